/// Disassembly in the syntax of GNU objdump 2.40 (`riscv64-unknown-elf-objdump -d`), including
/// its choice of pseudo-instructions, or without them (`-M no-aliases`).
///
/// objdump 2.40 prints several I-type instructions under their register-form alias (`addi` as
/// `add a0,a0,-1`, `slli` as `sll a0,a0,0x2`); the tests hold this file to what objdump really
/// prints, quirks included, so that a diff of our output and objdump's is empty.
public struct Disassembler: Sendable {
    public var aliases: Bool
    /// Names an address for branch and jump targets: returns e.g. `main+0x20`.
    public var symbolize: (@Sendable (UInt32) -> String?)?
    /// The program's extensions. objdump decodes only the extensions an ELF's `Tag_RISCV_arch`
    /// names (`rv32i2p1` has neither Zicsr nor M) and prints the others as `.word`;
    /// `ELFFile.disassembler(aliases:)` sets this from the ELF.
    public var isa: ISA

    public init(aliases: Bool = true, symbolize: (@Sendable (UInt32) -> String?)? = nil, isa: ISA = .everything) {
        self.aliases = aliases
        self.symbolize = symbolize
        self.isa = isa
    }

    var zicsr: Bool { isa.contains(.zicsr) }
    var zifencei: Bool { isa.contains(.zifencei) }

    /// Mnemonic and operands of a decoded instruction's 32-bit form (for a compressed one, its
    /// expansion: `text(word:pc:)` prints the compressed syntax), separated by a tab as objdump
    /// does (no tab when there are no operands).
    public func text(_ inst: Instruction, pc: UInt32) -> String {
        let (m, ops) = parts(inst, pc: pc)
        return ops.isEmpty ? m : m + "\t" + ops
    }

    /// Text for the instruction that starts in the low bits of `word` at an address (a
    /// compressed one when those bits say so: then only the low halfword counts).
    public func text(word: UInt32, pc: UInt32) -> String {
        let (m, ops) = parts(word: word, pc: pc)
        return ops.isEmpty ? m : m + "\t" + ops
    }

    /// Mnemonic and operands of the instruction in the low bits of `word`.
    public func parts(word: UInt32, pc: UInt32) -> (String, String) {
        if word & 3 != 3 { return compressedParts(UInt16(truncatingIfNeeded: word), pc: pc) }
        // Zicsr and Zifencei are decoded always: objdump prints their words itself (see below).
        let inst = decode(word, isa: isa.union([.zicsr, .zifencei]))
        return parts(inst, pc: pc)
    }

    public func parts(_ inst: Instruction, pc: UInt32) -> (String, String) {
        let rd = RegisterName.name(inst.rd), rs1 = RegisterName.name(inst.rs1), rs2 = RegisterName.name(inst.rs2)
        let imm = inst.imm
        let op = inst.opcode
        let name = inst.spec?.mnemonic ?? "illegal"
        let word = { Self.unknown(encode(inst) ?? UInt32(bitPattern: imm)) }
        if op == .fence_i && !zifencei { return word() }
        switch inst.spec?.format {
        case nil:
            return Self.unknown(UInt32(bitPattern: imm))
        case .r:
            if op == .sfence_vma {
                // objdump drops trailing zero operands, except with -M no-aliases.
                return (name, !aliases || inst.rs2 != 0 ? "\(rs1),\(rs2)" : inst.rs1 != 0 ? rs1 : "")
            }
            if aliases {
                if op == .sub && inst.rs1 == 0 { return ("neg", "\(rd),\(rs2)") }
                if op == .sltu && inst.rs1 == 0 { return ("snez", "\(rd),\(rs2)") }
                if op == .slt && inst.rs2 == 0 { return ("sltz", "\(rd),\(rs1)") }
                if op == .slt && inst.rs1 == 0 { return ("sgtz", "\(rd),\(rs2)") }
            }
            return (name, "\(rd),\(rs1),\(rs2)")
        case .i:
            if aliases {
                switch op {
                case .addi:
                    if inst.rd == 0 && inst.rs1 == 0 && imm == 0 { return ("nop", "") }
                    if inst.rs1 == 0 { return ("li", "\(rd),\(imm)") }
                    if imm == 0 { return ("mv", "\(rd),\(rs1)") }
                    return ("add", "\(rd),\(rs1),\(imm)")
                case .xori where imm == -1: return ("not", "\(rd),\(rs1)")
                case .xori: return ("xor", "\(rd),\(rs1),\(imm)")
                case .ori: return ("or", "\(rd),\(rs1),\(imm)")
                case .andi where imm == 255: return ("zext.b", "\(rd),\(rs1)")
                case .andi: return ("and", "\(rd),\(rs1),\(imm)")
                case .sltiu where imm == 1: return ("seqz", "\(rd),\(rs1)")
                default: break
                }
            }
            return (name, "\(rd),\(rs1),\(imm)")
        case .shift:
            // With aliases every shift-amount instruction takes its register form's name
            // (`slli` → `sll`, `rori` → `ror`, `bexti` → `bext`); the amount is in hex either way.
            let shamt = "0x" + String(imm, radix: 16)
            return (aliases ? String(name.dropLast()) : name, "\(rd),\(rs1),\(shamt)")
        case .unary:
            // zext.h is `pack rd, rs1, x0`; objdump names it zext.h only when the ISA has Zbb.
            if op == .zext_h && !isa.contains(.zbb) { return ("pack", "\(rd),\(rs1),zero") }
            return (name, "\(rd),\(rs1)")
        case .load:
            return (name, "\(rd),\(imm)(\(rs1))")
        case .s:
            return (name, "\(rs2),\(imm)(\(rs1))")
        case .b:
            let target = target(ControlFlow.relative(pc, imm))
            if aliases {
                switch (op, inst.rs1, inst.rs2) {
                case (.beq, _, 0): return ("beqz", "\(rs1),\(target)")
                case (.bne, _, 0): return ("bnez", "\(rs1),\(target)")
                case (.bge, 0, _): return ("blez", "\(rs2),\(target)")
                case (.bge, _, 0): return ("bgez", "\(rs1),\(target)")
                case (.blt, _, 0): return ("bltz", "\(rs1),\(target)")
                case (.blt, 0, _): return ("bgtz", "\(rs2),\(target)")
                default: break
                }
            }
            return (name, "\(rs1),\(rs2),\(target)")
        case .u:
            return (name, "\(rd),0x" + String(UInt32(bitPattern: imm) >> 12, radix: 16))
        case .j:
            let target = target(ControlFlow.relative(pc, imm))
            if aliases {
                if inst.rd == 0 { return ("j", target) }
                if inst.rd == 1 { return ("jal", target) }
            }
            return (name, "\(rd),\(target)")
        case .jalr:
            if aliases {
                if inst.rd == 0 && inst.rs1 == 1 && imm == 0 { return ("ret", "") }
                if inst.rd == 0 { return ("jr", imm == 0 ? rs1 : "\(imm)(\(rs1))") }
                if inst.rd == 1 { return ("jalr", imm == 0 ? rs1 : "\(imm)(\(rs1))") }
                if imm == 0 { return ("jalr", "\(rd),\(rs1)") }
            }
            return (name, "\(rd),\(imm)(\(rs1))")
        case .fence:
            let bits = UInt32(bitPattern: imm)
            let fm = (bits >> 8) & 0xf, pred = (bits >> 4) & 0xf, succ = bits & 0xf
            // objdump knows only fm 0 (an empty set prints as `unknown`) and fence.tso; rd and
            // rs1 must be zero.
            guard inst.rd == 0 && inst.rs1 == 0 else { return word() }
            if fm == 8 && pred == 3 && succ == 3 { return ("fence.tso", "") }
            guard fm == 0 else { return word() }
            if aliases && pred == 0xf && succ == 0xf { return ("fence", "") }
            return (name, fenceSet(pred) + "," + fenceSet(succ))
        case .csr, .csri:
            return csrParts(inst)
        case .noOperands:
            return (name, "")
        case .amo, .lr:
            let order = ["", ".rl", ".aq", ".aqrl"][Int(imm & 3)]
            if op == .lr_w { return (name + order, "\(rd),(\(rs1))") }
            return (name + order, "\(rd),\(rs2),(\(rs1))")
        case .floatLoad:
            return (name, "\(RegisterName.float(inst.rd)),\(imm)(\(rs1))")
        case .floatStore:
            return (name, "\(RegisterName.float(inst.rs2)),\(imm)(\(rs1))")
        case .floatR, .floatR4:
            return floatParts(inst, name: name, word: word)
        }
    }

    /// objdump's rounding-mode suffix: none for dynamic (7), `unknown` for the reserved 5 and 6.
    static let roundingModeNames = ["rne", "rtz", "rdn", "rup", "rmm", "unknown", "unknown"]

    /// F/D/Zfh computation. objdump prints a rounding mode only when it is not dynamic, knows
    /// `fcvt.d.w`, `fcvt.d.wu`, `fcvt.d.s`, `fcvt.s.h` and `fcvt.d.h` (exact, so their `rm`
    /// means nothing) only with rm = 0, and shows `fsgnj*` with equal sources as `fmv`, `fneg`,
    /// `fabs`.
    private func floatParts(_ inst: Instruction, name: String, word: () -> (String, String)) -> (String, String) {
        guard case .float(let op, let width) = inst.family else { return word() }
        let f = RegisterName.float, x = RegisterName.name
        let rd = op.writesInteger ? x(inst.rd) : f(inst.rd)
        let rs1 = op.readsInteger ? x(inst.rs1) : f(inst.rs1)
        let exact = op.isExact(at: width)
        if exact && inst.rm != 0 { return word() }  // objdump knows these only with rm 0
        let suffix = !op.hasRoundingMode || exact || inst.rm == RoundingMode.dynamicField
            ? "" : "," + Self.roundingModeNames[Int(inst.rm & 7)]
        let sources: String
        switch op.operandCount {
        case 1: sources = rs1
        case 2: sources = "\(rs1),\(f(inst.rs2))"
        default: sources = "\(rs1),\(f(inst.rs2)),\(f(inst.rs3))"
        }
        if aliases && inst.rs1 == inst.rs2 {
            let w = "." + width.letter
            switch op {
            case .sgnj: return ("fmv" + w, "\(rd),\(rs1)")
            case .sgnjn: return ("fneg" + w, "\(rd),\(rs1)")
            case .sgnjx: return ("fabs" + w, "\(rd),\(rs1)")
            default: break
            }
        }
        return (name, "\(rd),\(sources)\(suffix)")
    }

    /// objdump's names for the F/D CSR instructions: `frcsr`, `fscsr`, `frrm`, `fsrm`, `fsrmi`,
    /// `frflags`, `fsflags`, `fsflagsi`.
    private func csrParts(_ inst: Instruction) -> (String, String) {
        let rd = RegisterName.name(inst.rd), csr = CSR.name(inst.csr)
        let immediate = inst.spec?.format == .csri
        let src = immediate ? "\(inst.rs1)" : RegisterName.name(inst.rs1)
        // 0xc0001073 (csrrw zero, cycle, zero) is the canonical `unimp`, with or without aliases.
        if inst.opcode == .csrrw && inst.rd == 0 && inst.rs1 == 0 && inst.csr == CSR.cycle { return ("unimp", "") }
        if !zicsr { return Self.unknown(encode(inst) ?? 0) }
        guard aliases else { return (inst.spec?.mnemonic ?? "?", "\(rd),\(csr),\(src)") }
        if let float = floatCSRAlias(inst, source: src) { return float }
        let base: String
        switch inst.opcode {
        case .csrrw, .csrrwi: base = "csrrw"
        case .csrrs, .csrrsi: base = "csrrs"
        default: base = "csrrc"
        }
        if inst.opcode == .csrrs && inst.rs1 == 0 {
            switch inst.csr {
            case CSR.cycle: return ("rdcycle", rd)
            case CSR.time: return ("rdtime", rd)
            case CSR.instret: return ("rdinstret", rd)
            case CSR.cycleh: return ("rdcycleh", rd)
            case CSR.timeh: return ("rdtimeh", rd)
            case CSR.instreth: return ("rdinstreth", rd)
            default: return ("csrr", "\(rd),\(csr)")
            }
        }
        if inst.rd == 0 {
            let short = base == "csrrw" ? "csrw" : base == "csrrs" ? "csrs" : "csrc"
            return (short, "\(csr),\(src)")
        }
        return (base, "\(rd),\(csr),\(src)")
    }

    /// With F, objdump names the accesses to the floating-point CSRs (fflags, frm, fcsr):
    /// reads `frflags rd`, writes `fsflags [rd,]rs1`, immediate writes `fsflagsi rd,uimm` (not
    /// for fcsr), and the same with `rm` and `csr`.
    private func floatCSRAlias(_ inst: Instruction, source: String) -> (String, String)? {
        guard isa.contains(.f) else { return nil }
        let rd = RegisterName.name(inst.rd)
        let suffix: String
        switch inst.csr {
        case 0x001: suffix = "flags"
        case 0x002: suffix = "rm"
        case 0x003: suffix = "csr"
        default: return nil
        }
        switch inst.opcode {
        case .csrrs where inst.rs1 == 0: return ("fr" + suffix, rd)
        case .csrrw: return ("fs" + suffix, inst.rd == 0 ? source : "\(rd),\(source)")
        case .csrrwi where inst.csr != 0x003: return ("fs\(suffix)i", "\(rd),\(source)")
        default: return nil
        }
    }

    private func target(_ address: UInt32) -> String {
        let hex = String(address, radix: 16)
        if let symbol = symbolize?(address) { return "\(hex) <\(symbol)>" }
        return hex
    }

    private func fenceSet(_ bits: UInt32) -> String {
        var s = ""
        if bits & 8 != 0 { s += "i" }
        if bits & 4 != 0 { s += "o" }
        if bits & 2 != 0 { s += "r" }
        if bits & 1 != 0 { s += "w" }
        return s.isEmpty ? "unknown" : s
    }
}

func hex8(_ v: UInt32) -> String {
    let s = String(v, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - s.count)) + s
}

// MARK: Compressed instructions

extension Disassembler {
    /// What objdump prints for an instruction it does not know: `.2byte 0x4505`, `.4byte 0x2b50533`.
    static func unknown(_ bits: UInt32, length: Int = 4) -> (String, String) {
        (".\(length)byte", "0x" + String(bits, radix: 16))
    }

    /// What objdump prints for the bytes of an instruction (in memory order) it does not know,
    /// of any length: `.2byte`, `.4byte` or `.8byte` with the value, `.byte` with each byte for
    /// the other lengths.
    public static func unknownInstruction(_ bytes: [UInt8]) -> String {
        switch bytes.count {
        case 2, 4, 8:
            let value = bytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            return ".\(bytes.count)byte\t0x" + String(value, radix: 16)
        default:
            return ".byte\t" + bytes.map { "0x" + hex($0, digits: 2) }.joined(separator: ", ")
        }
    }

    /// How objdump prints a `$d` region's bytes, up to 4 at a time (memory order):
    /// `.word 0x02b50533`, `.short 0x4505`, `.byte 0x03`.
    public static func dataDirective(_ bytes: [UInt8]) -> String {
        let value = bytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let name = bytes.count >= 4 ? ".word" : bytes.count >= 2 ? ".short" : ".byte"
        return name + "\t0x" + hex(value, digits: 2 * bytes.count)
    }

    /// `v` in lower-case hex, zero-padded to `digits`.
    public static func hex<T: BinaryInteger>(_ v: T, digits: Int) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, digits - s.count)) + s
    }

    /// A compressed instruction as objdump prints it. Without aliases: the row's `c.` mnemonic
    /// with its operands as the assembler writes them. With aliases: the 32-bit instruction it
    /// expands to, under that instruction's own alias, except where objdump keeps the `c.`
    /// form (see `compressedAlias`). Encodings objdump does not know print as `.2byte`.
    public func compressedParts(_ half: UInt16, pc: UInt32) -> (String, String) {
        let raw = Self.unknown(UInt32(half), length: 2)
        guard isa.contains(.c), let row = CompressedTable.spec(half), isa.isSuperset(of: row.isa) else { return raw }
        // The all-zero halfword is the defined illegal instruction.
        if half == 0 { return (aliases ? "unimp" : "c.unimp", "") }
        let form = row.form(half)
        if row.isReserved(half) && !Self.objdumpDecodesReserved(row.format) { return raw }
        if let hint = Self.hintParts(row, form) { return hint }
        if aliases, let alias = compressedAlias(row, form, pc: pc) { return alias }
        return (row.mnemonic, compressedOperands(row.format, form, pc: pc))
    }

    /// Reserved encodings objdump 2.40 still decodes: it does not check XLEN for the compressed
    /// shifts (on RV32 a shift amount with bit 5 set, kept for custom use, prints as a shift by
    /// 32–63), nor the immediate of c.addi16sp (0 is reserved).
    static func objdumpDecodesReserved(_ format: CompressedFormat) -> Bool {
        switch format {
        case .ciShift, .cbShift, .ciSP: return true
        case .ciw, .clWord, .clDouble, .csWord, .csDouble, .ci, .ciLui, .ciLoadWord, .ciLoadDouble,
            .cssWord, .cssDouble, .cj, .cb, .cbImm, .ca, .crJump, .cr, .none:
            return false
        }
    }

    /// The HINTs objdump names on their own in both syntaxes: a shift by 0 is
    /// `c.slli64`/`c.srli64`/`c.srai64` (the RV128 shift by 64).
    static func hintParts(_ row: CompressedSpec, _ form: Instruction) -> (String, String)? {
        switch row.format {
        case .ciShift, .cbShift:
            return form.imm == 0 ? (row.mnemonic + "64", RegisterName.name(form.rd)) : nil
        case .ciw, .clWord, .clDouble, .csWord, .csDouble, .ci, .ciLui, .ciSP, .ciLoadWord, .ciLoadDouble,
            .cssWord, .cssDouble, .cj, .cb, .cbImm, .ca, .crJump, .cr, .none:
            return nil
        }
    }

    /// objdump's alias for a compressed instruction: the 32-bit instruction it expands to,
    /// named and laid out as objdump prints that instruction (`c.lw` is `lw`, `c.slli` is
    /// `sll a0,a0,0x3`, `c.jr ra` is `ret`), except for the forms of `addi` and `add`, which
    /// objdump names after the compressed form: `c.addi` (even by 0), `c.addi4spn` and
    /// `c.addi16sp` are `add rd,rs1,imm`, `c.li` is `li`, `c.mv` is `mv`, `c.addi zero,0` is
    /// `nop` and `c.addi zero,N` is `c.nop N`. Other HINTs (writing zero) have no alias: nil.
    func compressedAlias(_ row: CompressedSpec, _ form: Instruction, pc: UInt32) -> (String, String)? {
        let rd = RegisterName.name(form.rd), rs1 = RegisterName.name(form.rs1), rs2 = RegisterName.name(form.rs2)
        // A HINT: it computes a value for zero (a jump "to" zero just does not link).
        let writesZero = form.rd == 0 && form.flags.contains(.writesRd) && !form.endsBlock
        switch (row.format, form.opcode) {
        case (.ci, .addi) where row.mnemonic == "c.addi":
            if form.rd == 0 { return form.imm == 0 ? ("nop", "") : ("c.nop", "\(form.imm)") }
            return ("add", "\(rd),\(rs1),\(form.imm)")
        case (.ci, .addi):  // c.li
            return writesZero ? nil : ("li", "\(rd),\(form.imm)")
        case (.ciw, _), (.ciSP, _):
            return ("add", "\(rd),\(rs1),\(form.imm)")
        case (.cr, .add) where form.rs1 == 0:  // c.mv
            return writesZero ? nil : ("mv", "\(rd),\(rs2)")
        default:
            return writesZero ? nil : parts(form, pc: pc)
        }
    }

    /// The operands of a compressed instruction in the assembler's syntax, read from the 32-bit
    /// instruction its fields spell.
    func compressedOperands(_ format: CompressedFormat, _ form: Instruction, pc: UInt32) -> String {
        let isFloat: Bool
        switch form.family {
        case .floatLoad, .floatStore:
            isFloat = true
        case .lui, .auipc, .jal, .jalr, .branch, .load, .store, .aluImmediate, .aluRegister, .fence, .fenceI, .ecall,
            .ebreak, .mret, .wfi, .sret, .sfenceVMA, .csr, .atomic, .float, .illegal:
            isFloat = false
        }
        let rd = isFloat ? RegisterName.float(form.rd) : RegisterName.name(form.rd)
        let rs2 = isFloat ? RegisterName.float(form.rs2) : RegisterName.name(form.rs2)
        let rs1 = RegisterName.name(form.rs1)
        let imm = form.imm
        let hex = "0x" + String(imm, radix: 16)
        switch format {
        case .ciw: return "\(rd),\(rs1),\(imm)"
        case .clWord, .clDouble, .ciLoadWord, .ciLoadDouble: return "\(rd),\(imm)(\(rs1))"
        case .csWord, .csDouble, .cssWord, .cssDouble: return "\(rs2),\(imm)(\(rs1))"
        case .ci, .cbImm: return "\(rd),\(imm)"
        case .ciShift, .cbShift: return "\(rd),\(hex)"
        case .ciLui: return "\(rd),0x" + String(UInt32(bitPattern: imm) >> 12, radix: 16)
        case .ciSP: return "\(rd),\(imm)"
        case .cj: return target(ControlFlow.relative(pc, imm))
        case .cb: return "\(rs1),\(target(ControlFlow.relative(pc, imm)))"
        case .ca, .cr: return "\(rd),\(RegisterName.name(form.rs2))"
        case .crJump: return rs1
        case .none: return ""
        }
    }
}
