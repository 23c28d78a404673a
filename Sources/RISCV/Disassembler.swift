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

    /// Mnemonic and operands, separated by a tab as objdump does (no tab when there are no operands).
    public func text(_ inst: Instruction, pc: UInt32) -> String {
        let (m, ops) = parts(inst, pc: pc)
        return ops.isEmpty ? m : m + "\t" + ops
    }

    /// Text for a raw word at an address.
    public func text(word: UInt32, pc: UInt32) -> String {
        // Zicsr and Zifencei are decoded always: objdump prints their words itself (see below).
        let inst = decode(word, isa: isa.union([.zicsr, .zifencei]))
        if inst.opcode == .illegal { return ".word\t" + hex8(word) }
        return text(inst, pc: pc)
    }

    public func parts(_ inst: Instruction, pc: UInt32) -> (String, String) {
        let rd = RegisterName.name(inst.rd), rs1 = RegisterName.name(inst.rs1), rs2 = RegisterName.name(inst.rs2)
        let imm = inst.imm
        let op = inst.opcode
        let name = inst.spec?.mnemonic ?? "illegal"
        let word = { hex8(encode(inst) ?? UInt32(bitPattern: imm)) }
        if op == .fence_i && !zifencei { return (".word", word()) }
        switch inst.spec?.format {
        case nil:
            return (".word", hex8(UInt32(bitPattern: imm)))
        case .r:
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
            let shamt = "0x" + String(imm, radix: 16)
            if aliases {
                let alias = op == .slli ? "sll" : op == .srli ? "srl" : "sra"
                return (alias, "\(rd),\(rs1),\(shamt)")
            }
            return (name, "\(rd),\(rs1),\(shamt)")
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
            // objdump knows only fm 0 with non-empty sets, and fence.tso; rd and rs1 must be zero.
            guard inst.rd == 0 && inst.rs1 == 0 else { return (".word", word()) }
            if fm == 8 && pred == 3 && succ == 3 { return ("fence.tso", "") }
            guard fm == 0 && pred != 0 && succ != 0 else { return (".word", word()) }
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

    /// F/D computation. objdump prints a rounding mode only when it is not dynamic, knows
    /// `fcvt.d.w`, `fcvt.d.wu` and `fcvt.d.s` (exact, so their `rm` means nothing) only with
    /// rm = 0, and shows `fsgnj*` with equal sources as `fmv`, `fneg`, `fabs`.
    private func floatParts(_ inst: Instruction, name: String, word: () -> String) -> (String, String) {
        guard case .float(let op, let width) = inst.family else { return (".word", word()) }
        let f = RegisterName.float, x = RegisterName.name
        let rd = op.writesInteger ? x(inst.rd) : f(inst.rd)
        let rs1 = op.readsInteger ? x(inst.rs1) : f(inst.rs1)
        let exact = width == .double && (op == .fromInt || op == .fromUnsigned || op == .convert)
        if exact && inst.rm != 0 { return (".word", word()) }
        let suffix = !op.hasRoundingMode || exact || inst.rm == RoundingMode.dynamicField
            ? "" : "," + Self.roundingModeNames[Int(inst.rm & 7)]
        let sources: String
        switch op.operandCount {
        case 1: sources = rs1
        case 2: sources = "\(rs1),\(f(inst.rs2))"
        default: sources = "\(rs1),\(f(inst.rs2)),\(f(inst.rs3))"
        }
        if aliases && inst.rs1 == inst.rs2 {
            let w = width == .single ? ".s" : ".d"
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
    private func floatCSRAlias(_ inst: Instruction) -> (String, String)? {
        guard isa.contains(.f) else { return nil }
        let stem: String
        switch inst.csr {
        case 0x001: stem = "flags"
        case 0x002: stem = "rm"
        case 0x003: stem = "csr"
        default: return nil
        }
        let rd = RegisterName.name(inst.rd), rs1 = RegisterName.name(inst.rs1)
        switch inst.opcode {
        case .csrrs where inst.rs1 == 0: return ("fr" + stem, rd)
        case .csrrw: return inst.rd == 0 ? ("fs" + stem, rs1) : ("fs" + stem, "\(rd),\(rs1)")
        case .csrrwi where stem != "csr": return ("fs\(stem)i", "\(rd),\(inst.rs1)")
        default: return nil
        }
    }

    private func csrParts(_ inst: Instruction) -> (String, String) {
        let rd = RegisterName.name(inst.rd), csr = CSR.name(inst.csr)
        let immediate = inst.spec?.format == .csri
        let src = immediate ? "\(inst.rs1)" : RegisterName.name(inst.rs1)
        // 0xc0001073 (csrrw zero, cycle, zero) is the canonical `unimp`, with or without aliases.
        if inst.opcode == .csrrw && inst.rd == 0 && inst.rs1 == 0 && inst.csr == CSR.cycle { return ("unimp", "") }
        if !zicsr { return (".word", hex8(encode(inst) ?? 0)) }
        guard aliases else { return (inst.spec?.mnemonic ?? "?", "\(rd),\(csr),\(src)") }
        if let alias = floatCSRAlias(inst) { return alias }
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
        return s.isEmpty ? "0" : s
    }
}

func hex8(_ v: UInt32) -> String {
    let s = String(v, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - s.count)) + s
}
