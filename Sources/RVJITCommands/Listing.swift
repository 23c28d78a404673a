import RISCV
import RVMachine

/// Text listings of guest code, laid out as `riscv64-unknown-elf-objdump -d` (binutils 2.40)
/// lays them out, byte for byte.
///
/// What objdump does, and this copies:
/// - each executable section is cut at its symbols; each piece starts with a label line and
///   is disassembled on its own (an instruction may not run past the next symbol);
/// - mapping symbols decide what the bytes are: `$d` regions print as `.word`/`.short`/`.byte`
///   (4 bytes at a time, fewer before the next mapping symbol or the section's end), `$x`
///   regions as instructions of the ISA of the latest `$x<isa>` symbol (else the ELF's);
/// - an instruction is as long as its first halfword says (2, 4, 6, 8 or more bytes); its
///   bytes show as one number per 2 bytes (compressed, 6-byte) or per 4, padded to 8 bytes;
/// - a run of 8 or more zero bytes prints as `...` (skipping a multiple of 4 unless the run
///   reaches the piece's end), and so does a run of 1 or 2 zero bytes that ends the piece;
/// - an instruction or datum that does not fit before the piece's end prints the bytes
///   there and `Address 0x… is out of bounds.`, and objdump then steps 5 bytes on (EIO);
/// - `# address <symbol>` notes follow loads, stores, addi and jalr whose address was built
///   by a lui/auipc (or comes from gp, tp or zero), as `AddressNotes` tracks.
public enum Listing {
    public static func disassemble(_ file: ELFFile, path: String = "", aliases: Bool) -> String {
        let symbols = file.symbols
        var out = path.isEmpty ? "" : "\n\(path):     file format elf32-littleriscv\n\n"
        var sections = symbols.codeSections
        if sections.isEmpty {
            sections = file.segments.filter { $0.flags & 1 != 0 }.map {
                SymbolTable.CodeSection(name: "LOAD", address: $0.vaddr, size: $0.fileSize, offset: $0.offset)
            }
        }
        var printer = SectionPrinter(
            file: file, disassembler: file.disassembler(aliases: aliases), aliases: aliases,
            notes: AddressNotes(globalPointer: symbols["__global_pointer$"]?.address))
        for section in sections {
            printer.print(section, into: &out)
        }
        return out
    }

    static func hex8(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, 8 - s.count)) + s
    }
}

/// Prints sections one after the other (objdump's address-note state runs on across them).
struct SectionPrinter {
    let file: ELFFile
    let disassembler: Disassembler
    let aliases: Bool
    var notes: AddressNotes

    /// objdump's `EIO`: how far it steps after an instruction it could not read.
    static let readErrorLength: UInt64 = 5

    /// One line's worth: how many bytes it covers, how they are grouped, and the text.
    struct Unit {
        var length: UInt64
        /// Bytes per group in the raw column (little-endian groups).
        var chunk: UInt64
        /// Bytes the raw column holds (nil: as for the previous line).
        var lineWidth: UInt64?
        var text: String
    }

    mutating func print(_ section: SymbolTable.CodeSection, into out: inout String) {
        let start = UInt64(section.address)
        let offset = Int(section.offset)
        let available = offset < file.bytes.count ? UInt64(file.bytes.count - offset) : 0
        let end = start + min(UInt64(section.size), available)
        guard end > start else { return }
        out += "\nDisassembly of section \(section.name):\n"
        let layout = file.layout(of: section)
        let symbols = file.symbols
        let sectionSymbols = symbols.symbols.filter { $0.section == section.name }
        let inSection = sectionSymbols.filter { UInt64($0.address) >= start && UInt64($0.address) < end }
        let boundaries = Array(Set(inSection.map { UInt64($0.address) } + [start])).sorted()
        let bytes = Array(file.bytes[offset..<(offset + Int(end - start))])
        let addressDigits = Self.addressDigits(sectionEnd: end)

        for (n, chunkStart) in boundaries.enumerated() {
            let stop = n + 1 < boundaries.count ? boundaries[n + 1] : end
            let a32 = UInt32(truncatingIfNeeded: chunkStart)
            let label = Self.label(chunkStart, section: section, sectionSymbols: sectionSymbols, symbols: symbols)
            out += "\n\(Listing.hex8(a32)) <\(label)>:\n"

            var a = chunkStart
            var lineWidth: UInt64 = 4
            func byte(_ at: UInt64) -> UInt8 { bytes[Int(at - start)] }
            while a < stop {
                var z = a
                while z < stop && byte(z) == 0 { z += 1 }
                if z - a >= 8 || (z == stop && z - a < 3) {
                    out += "\t...\n"
                    a += z == stop ? z - a : (z - a) & ~3
                    continue
                }
                let unit = self.unit(at: a, stop: stop, sectionEnd: end, layout: layout, byte: byte)
                if let w = unit.lineWidth { lineWidth = w }
                out += Self.address(a, digits: addressDigits) + ":\t"
                var shown = min(unit.length, lineWidth)
                out += Self.rawBytes(a, from: 0, to: shown, chunk: unit.chunk, stop: stop, byte: byte)
                var pad = shown
                while pad < lineWidth {
                    out += String(repeating: "  ", count: Int(unit.chunk)) + " "
                    pad += unit.chunk
                }
                out += "\t" + unit.text
                while shown < unit.length {
                    let from = shown
                    shown = min(shown + lineWidth, unit.length)
                    out += "\n" + Self.address(a + from, digits: addressDigits) + ":\t"
                    out += Self.rawBytes(a, from: from, to: shown, chunk: unit.chunk, stop: stop, byte: byte)
                }
                out += "\n"
                a += unit.length
            }
        }
    }

    /// The label of a piece: its symbol, or for a section that does not start at one, the
    /// section's nearest symbol with an offset (objdump looks only at symbols of the section,
    /// wherever they lie), or the section's name when it has none.
    static func label(_ a: UInt64, section: SymbolTable.CodeSection, sectionSymbols: [SymbolTable.Symbol], symbols: SymbolTable) -> String {
        let a32 = UInt32(truncatingIfNeeded: a)
        if let sym = symbols.nearestSymbol(a32), sym.address == a32, sym.section == section.name { return sym.name }
        let below = sectionSymbols.last { $0.address <= a32 }
        guard let sym = below.flatMap({ b in sectionSymbols.first { $0.address == b.address } }) ?? sectionSymbols.first else {
            return section.name
        }
        if sym.address == a32 { return sym.name }
        return sym.address < a32
            ? "\(sym.name)+0x" + String(a32 - sym.address, radix: 16)
            : "\(sym.name)-0x" + String(sym.address - a32, radix: 16)
    }

    /// The instruction or datum at `a`, as objdump reads it without going past `stop`.
    mutating func unit(at a: UInt64, stop: UInt64, sectionEnd: UInt64, layout: SectionLayout, byte: (UInt64) -> UInt8) -> Unit {
        let pc = UInt32(truncatingIfNeeded: a)
        let outOfBounds = "Address 0x" + String(a, radix: 16) + " is out of bounds.\n"
        func read(_ n: UInt64) -> [UInt8] { (0..<n).map { byte(a + $0) } }
        switch layout.content(at: pc) {
        case .data:
            let next = layout.nextMark(after: pc).map { UInt64($0) } ?? sectionEnd
            var length = min(4, next > a ? next - a : 4, sectionEnd - a)
            if length == 3 { length = 2 }
            guard a + length <= stop else { return Unit(length: Self.readErrorLength, chunk: length, lineWidth: nil, text: outOfBounds) }
            return Unit(length: length, chunk: length, lineWidth: length == 1 ? 6 : 8, text: Disassembler.dataDirective(read(length)))
        case .instructions(let isa):
            guard a + 2 <= stop else { return Unit(length: Self.readErrorLength, chunk: 1, lineWidth: nil, text: outOfBounds) }
            let low = UInt16(byte(a)) | UInt16(byte(a + 1)) << 8
            let length = UInt64(Decoder.encodedLength(low))
            guard a + length <= stop else { return Unit(length: Self.readErrorLength, chunk: 1, lineWidth: nil, text: outOfBounds) }
            let chunk: UInt64 = length % 4 == 0 ? 4 : 2
            let bytes = read(length)
            guard length == 4 || (length == 2 && low & 3 != 3) else {
                return Unit(length: length, chunk: chunk, lineWidth: 8, text: Disassembler.unknownInstruction(bytes))
            }
            let word = bytes.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            var d = disassembler
            d.isa = isa
            var text = d.text(word: word, pc: pc)
            if let noted = notes.note(word, pc: pc, isa: isa, aliases: aliases) {
                text += " # " + String(noted, radix: 16) + (file.symbols.describe(noted).map { " <\($0)>" } ?? "")
            }
            return Unit(length: length, chunk: chunk, lineWidth: 8, text: text)
        }
    }

    /// Bytes `from..<to` of the unit at `a` in groups of `chunk`, each group as one
    /// little-endian number and a space (a group past `stop` leaves only its space).
    static func rawBytes(_ a: UInt64, from: UInt64, to: UInt64, chunk: UInt64, stop: UInt64, byte: (UInt64) -> UInt8) -> String {
        var s = ""
        var j = from
        while j < to {
            if a + j + chunk <= stop {
                for k in (0..<chunk).reversed() { s += Disassembler.hex(byte(a + j + k), digits: 2) }
            }
            s += " "
            j += chunk
        }
        return s
    }

    /// How many hex digits of an address objdump shows in a section ending at `end`: 8, less
    /// the leading zeros of the end address in groups of 4 (always keeping one).
    static func addressDigits(sectionEnd end: UInt64) -> Int {
        let digits = Disassembler.hex(UInt32(truncatingIfNeeded: end), digits: 8)
        let zeros = digits.prefix { $0 == "0" }.count
        guard zeros > 0, zeros < 8 else { return 8 }
        return 8 - ((zeros - 1) & ~3)
    }

    /// An address as the listing's first column: leading zeros as spaces, at least one digit.
    static func address(_ a: UInt64, digits: Int) -> String {
        let s = String(Disassembler.hex(UInt32(truncatingIfNeeded: a), digits: 8).suffix(digits))
        let zeros = min(s.prefix { $0 == "0" }.count, s.count - 1)
        return String(repeating: " ", count: zeros) + s.dropFirst(zeros)
    }
}

/// The register state objdump keeps to annotate addresses built in two instructions: a
/// lui/auipc (or c.lui) records its result for its destination, and the next load, store,
/// addi (c.addi) or jalr based on that register (or on gp, tp or zero) gets `# address` after
/// it. Compressed loads, stores and jumps print no note and leave the state alone.
struct AddressNotes {
    var high = [UInt32?](repeating: nil, count: 32)
    let globalPointer: UInt32?

    init(globalPointer: UInt32?) { self.globalPointer = globalPointer }

    /// objdump's `maybe_print_address`: the base's recorded value is used up by its first use.
    private mutating func address(base: UInt8, offset: Int32, into noted: inout UInt32?) {
        if let h = high[Int(base)] {
            noted = (base != 0 ? h : 0) &+ UInt32(bitPattern: offset)
            high[Int(base)] = nil
        } else if base == 3, let gp = globalPointer {
            noted = gp &+ UInt32(bitPattern: offset)
        } else if base == 4 || base == 0 {
            noted = UInt32(bitPattern: offset)
        }
    }

    /// The address objdump notes after the instruction in the low bits of `word` at `pc`, in a
    /// region of `isa`.
    mutating func note(_ word: UInt32, pc: UInt32, isa: ISA, aliases: Bool) -> UInt32? {
        if word & 3 != 3 { return compressedNote(UInt16(truncatingIfNeeded: word), isa: isa) }
        // As the disassembler decodes it: Zicsr and Zifencei always (they print no note).
        let i = RISCV.decode(word, isa: isa.union([.zicsr, .zifencei]))
        var noted: UInt32? = nil
        switch i.family {
        case .lui:
            high[Int(i.rd)] = UInt32(bitPattern: i.imm)
        case .auipc:
            high[Int(i.rd)] = pc &+ UInt32(bitPattern: i.imm)
        case .load, .store, .floatLoad, .floatStore:
            address(base: i.rs1, offset: i.imm, into: &noted)
        case .aluImmediate(.add):
            // Not `li` (base zero), nor `mv` (which prints no immediate).
            if i.rs1 != 0 && !(aliases && i.imm == 0) { address(base: i.rs1, offset: i.imm, into: &noted) }
        case .jalr:
            let ret = aliases && i.rd == 0 && i.rs1 == 1 && i.imm == 0
            let offsetShown = !aliases || !(i.rd == 0 || i.rd == 1) || i.imm != 0
            if !ret {
                if offsetShown { address(base: i.rs1, offset: i.imm, into: &noted) }
                address(base: i.rs1, offset: i.imm, into: &noted)  // the base register operand
            }
        case .aluImmediate, .aluRegister, .jal, .branch, .fence, .fenceI, .ecall, .ebreak, .mret, .wfi, .sret, .sfenceVMA, .csr,
            .atomic, .float, .illegal:
            break
        }
        return noted
    }

    /// objdump's notes for compressed instructions: c.lui records, c.addi (not c.li, nor the
    /// stack-pointer forms c.addi4spn and c.addi16sp) uses.
    mutating func compressedNote(_ half: UInt16, isa: ISA) -> UInt32? {
        guard isa.contains(.c), let row = CompressedTable.spec(half), isa.isSuperset(of: row.isa),
            let form = row.expand(half)
        else { return nil }
        var noted: UInt32? = nil
        switch row.format {
        case .ciLui:
            high[Int(form.rd)] = UInt32(bitPattern: form.imm)
        case .ci:
            // c.addi adds to rd (rs1 = rd); c.li adds to zero and notes nothing, nor does a HINT.
            if form.rs1 != 0 { address(base: form.rs1, offset: form.imm, into: &noted) }
        case .ciw, .clWord, .clDouble, .csWord, .csDouble, .ciShift, .ciSP, .ciLoadWord, .ciLoadDouble, .cssWord,
            .cssDouble, .cj, .cb, .cbShift, .cbImm, .ca, .crJump, .cr, .none:
            break
        }
        return noted
    }
}
