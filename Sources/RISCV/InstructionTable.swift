/// The RV32I + Zicsr + Zifencei + machine-mode instruction table.
///
/// This is the one description of the instruction set. The decoder, the encoder, the
/// disassembler, the block decoder and the tests all read it; nothing else lists encodings.

/// Every operation rvjit knows, in table order. `illegal` is the decoder's answer for a word that
/// matches no row; it has no row of its own.
public enum Opcode: UInt8, CaseIterable, Sendable {
    case lui, auipc, jal, jalr
    case beq, bne, blt, bge, bltu, bgeu
    case lb, lh, lw, lbu, lhu
    case sb, sh, sw
    case addi, slti, sltiu, xori, ori, andi, slli, srli, srai
    case add, sub, sll, slt, sltu, xor, srl, sra, or, and
    case fence, fence_i, ecall, ebreak
    case csrrw, csrrs, csrrc, csrrwi, csrrsi, csrrci
    case mret, wfi
    case illegal
}

/// How an instruction's operands sit in its 32 bits.
public enum InstructionFormat: Sendable {
    case r        // rd, rs1, rs2
    case i        // rd, rs1, imm[11:0]
    case shift    // rd, rs1, shamt[4:0]
    case load     // rd, imm(rs1)
    case s        // rs2, imm(rs1)
    case b        // rs1, rs2, pc-relative imm[12:1]
    case u        // rd, imm[31:12]
    case j        // rd, pc-relative imm[20:1]
    case jalr     // rd, imm(rs1)
    case fence    // pred, succ (fm in the top bits)
    case csr      // rd, csr, rs1
    case csri     // rd, csr, uimm[4:0] (held in rs1)
    case noOperands  // no operands
}

/// Properties the executors and the block decoder need without looking at the semantics.
public struct InstructionFlags: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Transfers control: a block ends after it.
    public static let endsBlock = InstructionFlags(rawValue: 1 << 0)
    /// Touches guest memory and can fault.
    public static let memory = InstructionFlags(rawValue: 1 << 1)
    /// Belongs to the privileged architecture or Zicsr: a sensitive instruction.
    public static let system = InstructionFlags(rawValue: 1 << 2)
    /// Writes `rd`.
    public static let writesRd = InstructionFlags(rawValue: 1 << 3)
}

/// One row of the table.
public struct InstructionSpec: Sendable {
    public let opcode: Opcode
    public let mnemonic: String
    public let format: InstructionFormat
    /// Bits that identify the instruction...
    public let mask: UInt32
    /// ...and the value they must have.
    public let match: UInt32
    public let flags: InstructionFlags
}

// Encoding building blocks: the major opcode in bits 6:0, funct3 in 14:12, funct7 in 31:25.
private func op(_ major: UInt32, f3: UInt32? = nil, f7: UInt32? = nil) -> (mask: UInt32, match: UInt32) {
    var mask: UInt32 = 0x7f
    var match = major
    if let f3 { mask |= 0x7 << 12; match |= f3 << 12 }
    if let f7 { mask |= 0x7f << 25; match |= f7 << 25 }
    return (mask, match)
}

private func row(
    _ opcode: Opcode, _ format: InstructionFormat, _ encoding: (mask: UInt32, match: UInt32),
    _ flags: InstructionFlags = []
) -> InstructionSpec {
    let name = opcode == .fence_i ? "fence.i" : "\(opcode)"
    return InstructionSpec(
        opcode: opcode, mnemonic: name, format: format,
        mask: encoding.mask, match: encoding.match, flags: flags)
}

private let LOAD: UInt32 = 0x03, MISC_MEM: UInt32 = 0x0f, OP_IMM: UInt32 = 0x13, AUIPC: UInt32 = 0x17
private let STORE: UInt32 = 0x23, OP: UInt32 = 0x33, LUI: UInt32 = 0x37, BRANCH: UInt32 = 0x63
private let JALR: UInt32 = 0x67, JAL: UInt32 = 0x6f, SYSTEM: UInt32 = 0x73

public enum InstructionTable {
    /// The rows, indexed by `Opcode.rawValue`.
    public static let rows: [InstructionSpec] = [
        row(.lui, .u, op(LUI), .writesRd),
        row(.auipc, .u, op(AUIPC), .writesRd),
        row(.jal, .j, op(JAL), [.endsBlock, .writesRd]),
        row(.jalr, .jalr, op(JALR, f3: 0), [.endsBlock, .writesRd]),
        row(.beq, .b, op(BRANCH, f3: 0), .endsBlock),
        row(.bne, .b, op(BRANCH, f3: 1), .endsBlock),
        row(.blt, .b, op(BRANCH, f3: 4), .endsBlock),
        row(.bge, .b, op(BRANCH, f3: 5), .endsBlock),
        row(.bltu, .b, op(BRANCH, f3: 6), .endsBlock),
        row(.bgeu, .b, op(BRANCH, f3: 7), .endsBlock),
        row(.lb, .load, op(LOAD, f3: 0), [.memory, .writesRd]),
        row(.lh, .load, op(LOAD, f3: 1), [.memory, .writesRd]),
        row(.lw, .load, op(LOAD, f3: 2), [.memory, .writesRd]),
        row(.lbu, .load, op(LOAD, f3: 4), [.memory, .writesRd]),
        row(.lhu, .load, op(LOAD, f3: 5), [.memory, .writesRd]),
        row(.sb, .s, op(STORE, f3: 0), .memory),
        row(.sh, .s, op(STORE, f3: 1), .memory),
        row(.sw, .s, op(STORE, f3: 2), .memory),
        row(.addi, .i, op(OP_IMM, f3: 0), .writesRd),
        row(.slti, .i, op(OP_IMM, f3: 2), .writesRd),
        row(.sltiu, .i, op(OP_IMM, f3: 3), .writesRd),
        row(.xori, .i, op(OP_IMM, f3: 4), .writesRd),
        row(.ori, .i, op(OP_IMM, f3: 6), .writesRd),
        row(.andi, .i, op(OP_IMM, f3: 7), .writesRd),
        row(.slli, .shift, op(OP_IMM, f3: 1, f7: 0x00), .writesRd),
        row(.srli, .shift, op(OP_IMM, f3: 5, f7: 0x00), .writesRd),
        row(.srai, .shift, op(OP_IMM, f3: 5, f7: 0x20), .writesRd),
        row(.add, .r, op(OP, f3: 0, f7: 0x00), .writesRd),
        row(.sub, .r, op(OP, f3: 0, f7: 0x20), .writesRd),
        row(.sll, .r, op(OP, f3: 1, f7: 0x00), .writesRd),
        row(.slt, .r, op(OP, f3: 2, f7: 0x00), .writesRd),
        row(.sltu, .r, op(OP, f3: 3, f7: 0x00), .writesRd),
        row(.xor, .r, op(OP, f3: 4, f7: 0x00), .writesRd),
        row(.srl, .r, op(OP, f3: 5, f7: 0x00), .writesRd),
        row(.sra, .r, op(OP, f3: 5, f7: 0x20), .writesRd),
        row(.or, .r, op(OP, f3: 6, f7: 0x00), .writesRd),
        row(.and, .r, op(OP, f3: 7, f7: 0x00), .writesRd),
        // fence ignores rd/rs1 and keeps fm/pred/succ in imm; fence.i must have every other field zero.
        row(.fence, .fence, op(MISC_MEM, f3: 0)),
        row(.fence_i, .noOperands, (0xffff_ffff, 0x0000_100f), [.endsBlock, .system]),
        row(.ecall, .noOperands, (0xffff_ffff, 0x0000_0073), [.endsBlock, .system]),
        row(.ebreak, .noOperands, (0xffff_ffff, 0x0010_0073), [.endsBlock, .system]),
        row(.csrrw, .csr, op(SYSTEM, f3: 1), [.system, .writesRd]),
        row(.csrrs, .csr, op(SYSTEM, f3: 2), [.system, .writesRd]),
        row(.csrrc, .csr, op(SYSTEM, f3: 3), [.system, .writesRd]),
        row(.csrrwi, .csri, op(SYSTEM, f3: 5), [.system, .writesRd]),
        row(.csrrsi, .csri, op(SYSTEM, f3: 6), [.system, .writesRd]),
        row(.csrrci, .csri, op(SYSTEM, f3: 7), [.system, .writesRd]),
        row(.mret, .noOperands, (0xffff_ffff, 0x3020_0073), [.endsBlock, .system]),
        row(.wfi, .noOperands, (0xffff_ffff, 0x1050_0073), [.endsBlock, .system]),
    ]

    /// The row for an opcode; `illegal` has none.
    @inlinable
    public static func spec(_ opcode: Opcode) -> InstructionSpec? {
        let index = Int(opcode.rawValue)
        return index < rows.count ? rows[index] : nil
    }
}
