/// Encodes a decoded instruction (a compressed one as the 32-bit instruction it expands to)
/// back into its 32-bit word, from the same table the decoder uses.
/// Tests build guest programs with it. `encode(decode(w)) == w` for every legal `w` whose
/// ignored fields (fence's rd/rs1) are zero.
public func encode(_ inst: Instruction) -> UInt32? {
    guard let spec = inst.spec else { return nil }
    let rd = UInt32(inst.rd & 0x1f) << 7
    let rs1 = UInt32(inst.rs1 & 0x1f) << 15
    let rs2 = UInt32(inst.rs2 & 0x1f) << 20
    let base = spec.match
    switch spec.format {
    case .r: return base | rd | rs1 | rs2
    case .unary: return base | rd | rs1
    case .i, .load, .jalr: return base | rd | rs1 | Immediate.encodeI(inst.imm)
    case .shift: return base | rd | rs1 | (UInt32(bitPattern: inst.imm) & 0x1f) << 20
    case .s: return base | rs1 | rs2 | Immediate.encodeS(inst.imm)
    case .b: return base | rs1 | rs2 | Immediate.encodeB(inst.imm)
    case .u: return base | rd | Immediate.encodeU(inst.imm)
    case .j: return base | rd | Immediate.encodeJ(inst.imm)
    case .fence: return base | rd | rs1 | (UInt32(bitPattern: inst.imm) & 0xfff) << 20
    case .csr, .csri: return base | rd | rs1 | UInt32(inst.csr & 0xfff) << 20
    case .noOperands: return base
    case .amo: return base | rd | rs1 | rs2 | (UInt32(bitPattern: inst.imm) & 3) << 25
    case .lr: return base | rd | rs1 | (UInt32(bitPattern: inst.imm) & 3) << 25
    case .floatLoad: return base | rd | rs1 | Immediate.encodeI(inst.imm)
    case .floatStore: return base | rs1 | rs2 | Immediate.encodeS(inst.imm)
    case .floatR:
        let rm = spec.mask & 0x7000 != 0 ? 0 : UInt32(inst.rm & 7) << 12
        let rs2 = spec.mask & (0x1f << 20) != 0 ? 0 : rs2
        return base | rd | rs1 | rs2 | rm
    case .floatR4:
        return base | rd | rs1 | rs2 | UInt32(inst.rm & 7) << 12 | UInt32(inst.rs3 & 0x1f) << 27
    }
}

/// Convenience constructors that read like assembly, for tests and generators.
public enum Asm {
    public static func r(_ op: Opcode, _ rd: UInt8, _ rs1: UInt8, _ rs2: UInt8) -> Instruction {
        Instruction(op, rd: rd, rs1: rs1, rs2: rs2)
    }
    public static func i(_ op: Opcode, _ rd: UInt8, _ rs1: UInt8, _ imm: Int32) -> Instruction {
        Instruction(op, rd: rd, rs1: rs1, imm: imm)
    }
    public static func s(_ op: Opcode, _ rs2: UInt8, _ imm: Int32, _ rs1: UInt8) -> Instruction {
        Instruction(op, rs1: rs1, rs2: rs2, imm: imm)
    }
    public static func b(_ op: Opcode, _ rs1: UInt8, _ rs2: UInt8, _ offset: Int32) -> Instruction {
        Instruction(op, rs1: rs1, rs2: rs2, imm: offset)
    }
    public static func u(_ op: Opcode, _ rd: UInt8, _ imm: Int32) -> Instruction {
        Instruction(op, rd: rd, imm: imm)
    }
    public static func jal(_ rd: UInt8, _ offset: Int32) -> Instruction { Instruction(.jal, rd: rd, imm: offset) }
    public static func csr(_ op: Opcode, _ rd: UInt8, _ csr: UInt16, _ rs1: UInt8) -> Instruction {
        Instruction(op, rd: rd, rs1: rs1, csr: csr)
    }
    public static func amo(_ op: Opcode, _ rd: UInt8, _ rs2: UInt8, _ rs1: UInt8) -> Instruction {
        Instruction(op, rd: rd, rs1: rs1, rs2: rs2)
    }
    /// An F/D computation: `rd`, `rs1` are x or f registers as the operation says.
    public static func fp(_ op: Opcode, _ rd: UInt8, _ rs1: UInt8, _ rs2: UInt8 = 0, _ rs3: UInt8 = 0, rm: UInt8 = 0) -> Instruction {
        Instruction(op, rd: rd, rs1: rs1, rs2: rs2, rs3: rs3, rm: rm)
    }
    public static let ecall = Instruction(.ecall)
    public static let ebreak = Instruction(.ebreak)
}
