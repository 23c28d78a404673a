import TestSupport
import RISCV
import Testing

/// Random operands that fit a row's format, in the shape the decoder produces them.
func randomInstruction(_ spec: InstructionSpec, using g: inout SeededGenerator) -> Instruction {
    func reg() -> UInt8 { UInt8.random(in: 0...31, using: &g) }
    switch spec.format {
    case .r: return Instruction(spec.opcode, rd: spec.mask & (0x1f << 7) != 0 ? 0 : reg(), rs1: reg(), rs2: reg())  // sfence.vma fixes rd
    case .unary: return Instruction(spec.opcode, rd: reg(), rs1: reg())
    case .i, .load, .jalr: return Instruction(spec.opcode, rd: reg(), rs1: reg(), imm: .random(in: -2048...2047, using: &g))
    case .shift: return Instruction(spec.opcode, rd: reg(), rs1: reg(), imm: .random(in: 0...31, using: &g))
    case .s: return Instruction(spec.opcode, rs1: reg(), rs2: reg(), imm: .random(in: -2048...2047, using: &g))
    case .b: return Instruction(spec.opcode, rs1: reg(), rs2: reg(), imm: Int32.random(in: -2048...2047, using: &g) * 2)
    case .u: return Instruction(spec.opcode, rd: reg(), imm: Int32(bitPattern: UInt32.random(in: 0...UInt32.max, using: &g) & 0xffff_f000))
    case .j: return Instruction(spec.opcode, rd: reg(), imm: Int32.random(in: -(1 << 19)...((1 << 19) - 1), using: &g) * 2)
    case .fence: return Instruction(spec.opcode, rd: reg(), rs1: reg(), imm: .random(in: 0...0xfff, using: &g))
    case .csr, .csri: return Instruction(spec.opcode, rd: reg(), rs1: reg(), csr: .random(in: 0...0xfff, using: &g))
    case .noOperands: return Instruction(spec.opcode)
    case .amo: return Instruction(spec.opcode, rd: reg(), rs1: reg(), rs2: reg(), imm: .random(in: 0...3, using: &g))
    case .lr: return Instruction(spec.opcode, rd: reg(), rs1: reg(), imm: .random(in: 0...3, using: &g))
    case .floatLoad: return Instruction(spec.opcode, rd: reg(), rs1: reg(), imm: .random(in: -2048...2047, using: &g))
    case .floatStore: return Instruction(spec.opcode, rs1: reg(), rs2: reg(), imm: .random(in: -2048...2047, using: &g))
    case .floatR, .floatR4:
        let rm = spec.mask & 0x7000 != 0 ? 0 : UInt8.random(in: 0...7, using: &g)
        let rs2 = spec.mask & (0x1f << 20) != 0 ? 0 : reg()
        return Instruction(spec.opcode, rd: reg(), rs1: reg(), rs2: rs2, rs3: spec.format == .floatR4 ? reg() : 0, rm: rm)
    }
}

/// Every row's extension enabled, C left out: the words here are 32-bit encodings.
let allRows = ISA.everything.subtracting(.c)

/// The rows a word satisfies, by a plain scan of the table (the reference the decoder's buckets
/// and fast path must agree with): the first is the instruction.
func matchingRows(_ word: UInt32) -> [InstructionSpec] {
    InstructionTable.rows.filter { word & $0.mask == $0.match }
}

@Suite("Decode and encode")
struct EncodingTests {
    @Test("The table is indexed by opcode, every row's match lies inside its mask, and rows overlap only where an earlier row is a special case of a later one")
    func tableIsConsistent() {
        #expect(InstructionTable.rows.count == Opcode.allCases.count - 1)
        for (index, row) in InstructionTable.rows.enumerated() {
            #expect(Int(row.opcode.rawValue) == index, "\(row.mnemonic) is out of order")
            #expect(row.match & ~row.mask == 0, "\(row.mnemonic): match has bits outside its mask")
            // The row's text names its own opcode (fence_i is written fence.i).
            #expect(row.mnemonic == String(describing: row.opcode).replacingOccurrences(of: "_", with: "."))
            #expect(!row.isa.isEmpty, "\(row.mnemonic) belongs to no extension")
            // Two rows overlap when some word satisfies both: their matches agree on the common
            // mask. Allowed only when the earlier row fixes more bits (zext.h = pack rd, rs1, x0).
            for other in InstructionTable.rows[(index + 1)...] {
                let common = row.mask & other.mask
                let overlap = row.match & common == other.match & common
                let specialCase = common == other.mask && row.mask != other.mask
                #expect(!overlap || specialCase, "\(row.mnemonic) and \(other.mnemonic) overlap")
            }
        }
        #expect(InstructionTable.spec(.illegal) == nil)
        // Every opcode but `illegal` has its row.
        for op in Opcode.allCases where op != .illegal { #expect(InstructionTable.spec(op)?.opcode == op, "\(op)") }
    }

    @Test("Random operands: encode, decode gives the same instruction, encode gives the same word",
          arguments: InstructionTable.rows.map(\.opcode))
    func roundTrip(_ opcode: Opcode) throws {
        let spec = try #require(InstructionTable.spec(opcode))
        var g = SeededGenerator(seed: 0x5eed_0000 + UInt64(opcode.rawValue))
        for _ in 0..<2000 {
            let inst = randomInstruction(spec, using: &g)
            let word = try #require(encode(inst))
            #expect(word & spec.mask == spec.match, "\(inst) encodes to 0x\(String(word, radix: 16)) outside its row")
            let back = decode(word, isa: allRows)
            #expect(isDecoding(back, of: inst, word), "0x\(String(word, radix: 16))")
            #expect(encode(back) == word)
            guard isDecoding(back, of: inst, word) else { return }  // one report per row is enough
        }
    }

    @Test("Edge operands of every row survive the round trip", arguments: InstructionTable.rows.map(\.opcode))
    func edgeRoundTrip(_ opcode: Opcode) throws {
        let spec = try #require(InstructionTable.spec(opcode))
        for inst in EdgeOperands.instructions(spec) {
            let word = try #require(encode(inst))
            #expect(isDecoding(decode(word, isa: allRows), of: inst, word), "0x\(String(word, radix: 16))")
            #expect(encode(decode(word, isa: allRows)) == word)
        }
    }

    /// `decoded` is `inst`, or the word belongs to an earlier, more specific row (`pack a0,a1,x0`
    /// is zext.h) that gives the same operands.
    func isDecoding(_ decoded: Instruction, of inst: Instruction, _ word: UInt32) -> Bool {
        if decoded == inst { return true }
        guard let general = inst.spec, let special = decoded.spec else { return false }
        return special.opcode.rawValue < general.opcode.rawValue && word & special.mask == special.match
            && special.mask & general.mask == general.mask && decoded.rd == inst.rd && decoded.rs1 == inst.rs1
    }

    /// 1,000,000 seeded words in 8 parallel slices: each decodes to the one row it satisfies,
    /// re-encodes to itself, or is `.illegal` (carrying the word) when no row matches.
    @Test("Random words decode to the row they satisfy or to illegal", arguments: 0..<8)
    func randomWords(_ slice: Int) {
        var g = SeededGenerator(seed: 0xdec0de + UInt64(slice))
        var failures = 0
        for i in 0..<125_000 {
            var word = UInt32(truncatingIfNeeded: g.next())
            // Half the words get the `11` low bits of a 32-bit encoding, so most reach the table.
            if i & 1 == 0 { word |= 3 }
            if !checkWord(word) { failures += 1 }
            if failures > 10 { break }
        }
        #expect(failures == 0)
    }

    @Test("Edge words", arguments: [
        0, 0xffff_ffff, 3, 0x7f, 0x13, 0x73, 0x0010_0073, 0x3020_0073, 0x1050_0073, 0x0000_100f,
        0x8000_0013, 0x7ff0_0013, 0x8000_0063, 0x8000_006f, 0xc000_1073, 0x0200_1013, 0x4000_5013,
        0x4200_5013, 0x4000_0033, 0x0000_0037, 0xffff_f037, 0x0ff0_000f, 0x0000_200f, 0x0000_1073,
    ] as [UInt32])
    func edgeWord(_ word: UInt32) {
        #expect(checkWord(word))
    }

    @Test("Without C, words without the 0b11 low bits (compressed encodings) are illegal")
    func compressedIsIllegalWithoutC() {
        var g = SeededGenerator(seed: 16)
        for _ in 0..<10_000 {
            let word = UInt32(truncatingIfNeeded: g.next()) & ~UInt32(1 << Int.random(in: 0...1, using: &g))
            #expect(decode(word, isa: allRows).opcode == .illegal)
        }
    }

    @Test("Instructions of extensions the ISA leaves out are illegal")
    func isaGates() {
        let mul = encode(Instruction(.mul, rd: 10, rs1: 11, rs2: 12))!
        #expect(decode(mul, isa: [.i, .zicsr]).opcode == .illegal)
        #expect(decode(mul, isa: [.i, .m]).opcode == .mul)
        let amo = encode(Instruction(.amoadd_w, rd: 10, rs1: 11, rs2: 12))!
        #expect(decode(amo, isa: [.i, .m]).opcode == .illegal)
        #expect(decode(amo, isa: [.i, .a]).opcode == .amoadd_w)
        // F and D instructions are illegal on a machine without F and D.
        let flw = encode(Instruction(.flw, rd: 10, rs1: 11, imm: 4))!
        #expect(decode(flw, isa: [.i, .m, .a, .c]).opcode == .illegal)
        #expect(decode(flw).opcode == .flw)
        let fmaddD = encode(Asm.fp(.fmadd_d, 1, 2, 3, 4, rm: 7))!
        #expect(decode(fmaddD, isa: [.i, .f]).opcode == .illegal)
        #expect(decode(fmaddD, isa: [.i, .f, .d]) == Asm.fp(.fmadd_d, 1, 2, 3, 4, rm: 7))
        // --isa: g means imafd; D without F is refused.
        #expect((try? ISA(parsing: "rv32gc")) == ISA.implemented.subtracting(ISA.bitManipulation).subtracting([.zfh, .zfhmin]))
        #expect((try? ISA(parsing: "rv32imafdc")) == ISA.implemented.subtracting(ISA.bitManipulation).subtracting([.zfh, .zfhmin]))
        #expect(throws: ISA.ParseError.missingDependency("rv32id", "D", "F")) { try ISA(parsing: "rv32id") }
        #expect(decode(0x4501).opcode == .addi)  // c.li a0,0
        #expect(decode(0x4501, isa: ISA.implemented.subtracting(.c)).opcode == .illegal)
    }

    /// True when the decoder's answer for `word` agrees with a plain scan of the table.
    func checkWord(_ word: UInt32) -> Bool {
        if word & 3 != 3 { return true }  // compressed: CompressedTests check those
        let inst = decode(word, isa: allRows)
        let rows = matchingRows(word)
        let hex = "0x" + String(word, radix: 16)
        if let first = rows.first, rows.dropFirst().contains(where: { $0.mask & first.mask != $0.mask }) {
            Issue.record("\(hex) matches \(rows.map(\.mnemonic)), the first not the most specific")
            return false
        }
        guard let row = rows.first else {
            guard inst.opcode == .illegal, inst.imm == Int32(bitPattern: word) else {
                Issue.record("\(hex) matches no row but decodes to \(inst)")
                return false
            }
            return true
        }
        guard inst.opcode == row.opcode else {
            Issue.record("\(hex) is \(row.mnemonic) but decodes to \(inst.opcode)")
            return false
        }
        guard encode(inst) == word else {
            Issue.record("\(hex) decodes to \(inst), which encodes to \(encode(inst).map { String($0, radix: 16) } ?? "nil")")
            return false
        }
        // Fields the format does not use stay zero.
        switch row.format {
        case .r: if inst.imm != 0 || inst.csr != 0 { Issue.record("\(hex): stray fields \(inst)"); return false }
        case .unary: if inst.rs2 != 0 || inst.imm != 0 || inst.csr != 0 { Issue.record("\(hex): stray fields \(inst)"); return false }
        case .i, .load, .jalr, .shift, .u, .j: if inst.rs2 != 0 && row.format != .shift || inst.csr != 0 { Issue.record("\(hex): stray fields \(inst)"); return false }
        case .s, .b: if inst.rd != 0 || inst.csr != 0 { Issue.record("\(hex): stray fields \(inst)"); return false }
        case .noOperands: if inst != Instruction(row.opcode) { Issue.record("\(hex): stray fields \(inst)"); return false }
        case .lr: if inst.rs2 != 0 || inst.csr != 0 { Issue.record("\(hex): stray fields \(inst)"); return false }
        case .floatStore: if inst.rd != 0 || inst.csr != 0 { Issue.record("\(hex): stray fields \(inst)"); return false }
        case .floatR, .floatR4: if inst.imm != 0 || inst.csr != 0 { Issue.record("\(hex): stray fields \(inst)"); return false }
        case .fence, .csr, .csri, .amo, .floatLoad: break
        }
        return true
    }
}

@Suite("Immediates")
struct ImmediateTests {
    @Test("I and S immediates: every value in -2048...2047 round-trips")
    func twelveBit() {
        for v in Int32(-2048)...2047 {
            #expect(Immediate.i(Immediate.encodeI(v) | 0x13) == v)
            #expect(Immediate.s(Immediate.encodeS(v) | 0x23) == v)
        }
    }

    @Test("B immediates: every even offset in -4096...4094 round-trips")
    func branch() {
        for v in stride(from: Int32(-4096), through: 4094, by: 2) {
            #expect(Immediate.b(Immediate.encodeB(v) | 0x63) == v)
        }
    }

    @Test("J immediates: every even offset in ±1 MiB round-trips")
    func jump() {
        var bad = 0
        for v in stride(from: Int32(-(1 << 20)), through: (1 << 20) - 2, by: 2) where Immediate.j(Immediate.encodeJ(v) | 0x6f) != v {
            bad += 1
        }
        #expect(bad == 0)
    }

    @Test("U immediates keep bits 31:12", arguments: [0, 0x1000, 0x7fff_f000, 0x8000_0000, 0xffff_f000] as [UInt32])
    func upper(_ v: UInt32) {
        let imm = Int32(bitPattern: v)
        #expect(Immediate.u(Immediate.encodeU(imm) | 0x37) == imm)
        #expect(Immediate.encodeU(imm) & 0xfff == 0)
    }

    /// Words checked against the GNU assembler's output for the same instructions.
    @Test("Boundary encodings match the assembler's words", arguments: [
        (Instruction(.addi, rd: 0, rs1: 0, imm: -2048), 0x8000_0013),
        (Instruction(.addi, rd: 31, rs1: 31, imm: 2047), 0x7fff_8f93),
        (Instruction(.sw, rs1: 2, rs2: 10, imm: -2048), 0x80a1_2023),
        (Instruction(.sw, rs1: 2, rs2: 10, imm: 2047), 0x7ea1_2fa3),
        (Instruction(.beq, rs1: 10, rs2: 11, imm: 4094), 0x7eb5_0fe3),
        (Instruction(.beq, rs1: 10, rs2: 11, imm: -4096), 0x80b5_0063),
        (Instruction(.jal, rd: 1, imm: (1 << 20) - 2), 0x7fff_f0ef),
        (Instruction(.jal, rd: 0, imm: -(1 << 20)), 0x8000_006f),
        (Instruction(.lui, rd: 10, imm: Int32(bitPattern: 0xfffff000)), 0xffff_f537),
        (Instruction(.srai, rd: 10, rs1: 10, imm: 31), 0x41f5_5513),
        (Instruction(.csrrwi, rd: 10, rs1: 31, csr: 0x300), 0x300f_d573),
        (Instruction(.fence, imm: 0x833), 0x8330_000f),
    ] as [(Instruction, UInt32)])
    func knownWords(_ inst: Instruction, _ word: UInt32) {
        #expect(encode(inst) == word)
        #expect(decode(word, isa: allRows) == inst)
    }

    @Test("Encoders keep only the bits their field holds")
    func truncation() {
        #expect(Immediate.i(Immediate.encodeI(2048)) == -2048)
        #expect(Immediate.b(Immediate.encodeB(4096)) == -4096)
        #expect(Immediate.b(Immediate.encodeB(3)) == 2)  // bit 0 is not encoded
        #expect(Immediate.j(Immediate.encodeJ(1 << 20)) == -(1 << 20))
    }
}
