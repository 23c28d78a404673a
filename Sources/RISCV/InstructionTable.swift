/// The RV32IMAFD + Zfh/Zfhmin + Zicsr + Zifencei + machine-mode + bit-manipulation
/// (Zba, Zbb, Zbc, Zbs, Zbkb, Zbkx) instruction table.
/// The compressed set (C) maps onto these rows: see `CompressedTable`.
///
/// This is the one description of the instruction set. The decoder, the encoder, the
/// disassembler, the block decoder and the tests all read it; nothing else lists encodings.

/// Every instruction rvjit knows, in table order. `illegal` is the decoder's answer for a word
/// that matches no row; it has no row of its own. A `_` in a case name is a `.` in the mnemonic.
public enum Opcode: UInt8, CaseIterable, Sendable {
    case lui, auipc, jal, jalr
    case beq, bne, blt, bge, bltu, bgeu
    case lb, lh, lw, lbu, lhu
    case sb, sh, sw
    case addi, slti, sltiu, xori, ori, andi, slli, srli, srai
    case add, sub, sll, slt, sltu, xor, srl, sra, or, and
    case fence, fence_i, ecall, ebreak
    case csrrw, csrrs, csrrc, csrrwi, csrrsi, csrrci
    case mret, wfi, sret, sfence_vma
    case mul, mulh, mulhsu, mulhu, div, divu, rem, remu
    case lr_w, sc_w, amoswap_w, amoadd_w, amoxor_w, amoand_w, amoor_w, amomin_w, amomax_w, amominu_w, amomaxu_w
    case flw, fsw, fld, fsd
    case sh1add, sh2add, sh3add, andn, orn, xnor, clz, ctz, cpop, max, maxu, min, minu, sext_b, sext_h, zext_h
    case rol, ror, rori, orc_b, rev8, clmul, clmulh, clmulr, bclr, bclri, bext, bexti, binv, binvi, bset, bseti
    case pack, packh, brev8, zip, unzip, xperm4, xperm8
    case fadd_s, fsub_s, fmul_s, fdiv_s, fsqrt_s, fsgnj_s, fsgnjn_s, fsgnjx_s, fmin_s, fmax_s
    case feq_s, flt_s, fle_s, fclass_s, fcvt_w_s, fcvt_wu_s, fcvt_s_w, fcvt_s_wu, fmv_x_w, fmv_w_x
    case fmadd_s, fmsub_s, fnmsub_s, fnmadd_s
    case fadd_d, fsub_d, fmul_d, fdiv_d, fsqrt_d, fsgnj_d, fsgnjn_d, fsgnjx_d, fmin_d, fmax_d
    case feq_d, flt_d, fle_d, fclass_d, fcvt_w_d, fcvt_wu_d, fcvt_d_w, fcvt_d_wu, fcvt_s_d, fcvt_d_s
    case fmadd_d, fmsub_d, fnmsub_d, fnmadd_d
    case flh, fsh, fmv_x_h, fmv_h_x, fcvt_s_h, fcvt_h_s, fcvt_d_h, fcvt_h_d
    case fadd_h, fsub_h, fmul_h, fdiv_h, fsqrt_h, fsgnj_h, fsgnjn_h, fsgnjx_h, fmin_h, fmax_h
    case feq_h, flt_h, fle_h, fclass_h, fcvt_w_h, fcvt_wu_h, fcvt_h_w, fcvt_h_wu
    case fmadd_h, fmsub_h, fnmsub_h, fnmadd_h
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
    case amo      // rd, rs2, (rs1), with the aq/rl bits 26:25 in imm
    case lr       // rd, (rs1), with aq/rl in imm
    case floatLoad   // frd, imm(rs1)
    case floatStore  // frs2, imm(rs1)
    case unary    // rd, rs1 (the rs2/imm field is part of the encoding; decoded rs2 and imm are 0)
    /// OP-FP: rd, rs1, rs2 and the rounding mode in funct3 (`Instruction.rm`). Which of rd and
    /// rs1 are integer registers, and which fields a row fixes, the family and the mask say.
    case floatR
    /// The fused multiply-adds: rd, rs1, rs2, rs3 (bits 31:27), rm.
    case floatR4
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

/// One row of the table: everything rvjit knows about one instruction.
public struct InstructionSpec: Sendable {
    public let opcode: Opcode
    public let mnemonic: String
    public let format: InstructionFormat
    /// What it does; the executors switch over this.
    public let family: Family
    /// The extensions it belongs to: it decodes when the machine has any of them (`rev8` is in
    /// Zbb and in Zbkb). Most rows name one; `--isa` turns them off.
    public let isa: ISA
    /// Extensions it needs besides one of `isa`, all of them: `fcvt.d.h` is Zfhmin's (or
    /// Zfh's) only on a machine with D.
    public let requires: ISA
    /// Bits that identify the instruction...
    public let mask: UInt32
    /// ...and the value they must have.
    public let match: UInt32
    public let flags: InstructionFlags

    /// Whether a machine with `machine`'s extensions has this instruction (any of the row's).
    @inlinable public func isEnabled(in machine: ISA) -> Bool { !machine.isDisjoint(with: isa) && machine.isSuperset(of: requires) }
}

// Encoding building blocks: the major opcode in bits 6:0, funct3 in 14:12, funct7 in 31:25.
private func op(_ major: UInt32, f3: UInt32? = nil, f7: UInt32? = nil) -> (mask: UInt32, match: UInt32) {
    var mask: UInt32 = 0x7f
    var match = major
    if let f3 { mask |= 0x7 << 12; match |= f3 << 12 }
    if let f7 { mask |= 0x7f << 25; match |= f7 << 25 }
    return (mask, match)
}

// AMO: funct3 = 2 (word), funct5 in bits 31:27; aq/rl (26:25) are free.
private func amo(_ funct5: UInt32, rs2Zero: Bool = false) -> (mask: UInt32, match: UInt32) {
    (0x7f | 0x7 << 12 | 0x1f << 27 | (rs2Zero ? 0x1f << 20 : 0), 0x2f | 2 << 12 | funct5 << 27)
}

// An instruction whose rs2 (or immediate) field is fixed: `clz` is OP-IMM, funct3 1, imm 0x600.
private func unary(_ major: UInt32, f3: UInt32, imm: UInt32) -> (mask: UInt32, match: UInt32) {
    (0x7f | 0x7 << 12 | 0xfff << 20, major | f3 << 12 | imm << 20)
}

private func row(
    _ opcode: Opcode, _ format: InstructionFormat, _ encoding: (mask: UInt32, match: UInt32),
    _ family: Family, _ isa: ISA = .i, _ flags: InstructionFlags = [], requires: ISA = []
) -> InstructionSpec {
    var flags = flags
    if family.endsBlock { flags.insert(.endsBlock) }
    return InstructionSpec(
        opcode: opcode, mnemonic: String("\(opcode)".map { $0 == "_" ? "." : $0 }), format: format,
        family: family, isa: isa, requires: requires, mask: encoding.mask, match: encoding.match, flags: flags)
}

private let LOAD: UInt32 = 0x03, MISC_MEM: UInt32 = 0x0f, OP_IMM: UInt32 = 0x13, AUIPC: UInt32 = 0x17
private let STORE: UInt32 = 0x23, OP: UInt32 = 0x33, LUI: UInt32 = 0x37, BRANCH: UInt32 = 0x63
private let JALR: UInt32 = 0x67, JAL: UInt32 = 0x6f, SYSTEM: UInt32 = 0x73
private let LOAD_FP: UInt32 = 0x07, STORE_FP: UInt32 = 0x27, OP_FP: UInt32 = 0x53
private let MADD: UInt32 = 0x43, MSUB: UInt32 = 0x47, NMSUB: UInt32 = 0x4b, NMADD: UInt32 = 0x4f

// OP-FP: funct5 in bits 31:27, fmt (0 single, 1 double, 2 half) in 26:25; funct3 is the rounding
// mode unless the row fixes it; rs2 selects among conversions where the row fixes it.
private func fp(_ funct5: UInt32, _ w: FloatWidth, f3: UInt32? = nil, rs2: UInt32? = nil) -> (mask: UInt32, match: UInt32) {
    var (mask, match) = op(OP_FP, f3: f3, f7: funct5 << 2 | w.fmt)
    if let rs2 { mask |= 0x1f << 20; match |= rs2 << 20 }
    return (mask, match)
}

// R4: the major opcode and fmt fixed; rs3, rs2, rs1, rm, rd free.
private func r4(_ major: UInt32, _ w: FloatWidth) -> (mask: UInt32, match: UInt32) {
    (0x7f | 3 << 25, major | w.fmt << 25)
}

public enum InstructionTable {
    /// The rows, indexed by `Opcode.rawValue`.
    public static let rows: [InstructionSpec] = [
        row(.lui, .u, op(LUI), .lui, .i, .writesRd),
        row(.auipc, .u, op(AUIPC), .auipc, .i, .writesRd),
        row(.jal, .j, op(JAL), .jal, .i, .writesRd),
        row(.jalr, .jalr, op(JALR, f3: 0), .jalr, .i, .writesRd),
        row(.beq, .b, op(BRANCH, f3: 0), .branch(.eq)),
        row(.bne, .b, op(BRANCH, f3: 1), .branch(.ne)),
        row(.blt, .b, op(BRANCH, f3: 4), .branch(.lt)),
        row(.bge, .b, op(BRANCH, f3: 5), .branch(.ge)),
        row(.bltu, .b, op(BRANCH, f3: 6), .branch(.ltu)),
        row(.bgeu, .b, op(BRANCH, f3: 7), .branch(.geu)),
        row(.lb, .load, op(LOAD, f3: 0), .load(.byte), .i, [.memory, .writesRd]),
        row(.lh, .load, op(LOAD, f3: 1), .load(.half), .i, [.memory, .writesRd]),
        row(.lw, .load, op(LOAD, f3: 2), .load(.word), .i, [.memory, .writesRd]),
        row(.lbu, .load, op(LOAD, f3: 4), .load(.byteUnsigned), .i, [.memory, .writesRd]),
        row(.lhu, .load, op(LOAD, f3: 5), .load(.halfUnsigned), .i, [.memory, .writesRd]),
        row(.sb, .s, op(STORE, f3: 0), .store(.byte), .i, .memory),
        row(.sh, .s, op(STORE, f3: 1), .store(.half), .i, .memory),
        row(.sw, .s, op(STORE, f3: 2), .store(.word), .i, .memory),
        row(.addi, .i, op(OP_IMM, f3: 0), .aluImmediate(.add), .i, .writesRd),
        row(.slti, .i, op(OP_IMM, f3: 2), .aluImmediate(.slt), .i, .writesRd),
        row(.sltiu, .i, op(OP_IMM, f3: 3), .aluImmediate(.sltu), .i, .writesRd),
        row(.xori, .i, op(OP_IMM, f3: 4), .aluImmediate(.xor), .i, .writesRd),
        row(.ori, .i, op(OP_IMM, f3: 6), .aluImmediate(.or), .i, .writesRd),
        row(.andi, .i, op(OP_IMM, f3: 7), .aluImmediate(.and), .i, .writesRd),
        row(.slli, .shift, op(OP_IMM, f3: 1, f7: 0x00), .aluImmediate(.sll), .i, .writesRd),
        row(.srli, .shift, op(OP_IMM, f3: 5, f7: 0x00), .aluImmediate(.srl), .i, .writesRd),
        row(.srai, .shift, op(OP_IMM, f3: 5, f7: 0x20), .aluImmediate(.sra), .i, .writesRd),
        row(.add, .r, op(OP, f3: 0, f7: 0x00), .aluRegister(.add), .i, .writesRd),
        row(.sub, .r, op(OP, f3: 0, f7: 0x20), .aluRegister(.sub), .i, .writesRd),
        row(.sll, .r, op(OP, f3: 1, f7: 0x00), .aluRegister(.sll), .i, .writesRd),
        row(.slt, .r, op(OP, f3: 2, f7: 0x00), .aluRegister(.slt), .i, .writesRd),
        row(.sltu, .r, op(OP, f3: 3, f7: 0x00), .aluRegister(.sltu), .i, .writesRd),
        row(.xor, .r, op(OP, f3: 4, f7: 0x00), .aluRegister(.xor), .i, .writesRd),
        row(.srl, .r, op(OP, f3: 5, f7: 0x00), .aluRegister(.srl), .i, .writesRd),
        row(.sra, .r, op(OP, f3: 5, f7: 0x20), .aluRegister(.sra), .i, .writesRd),
        row(.or, .r, op(OP, f3: 6, f7: 0x00), .aluRegister(.or), .i, .writesRd),
        row(.and, .r, op(OP, f3: 7, f7: 0x00), .aluRegister(.and), .i, .writesRd),
        // fence ignores rd/rs1 and keeps fm/pred/succ in imm; fence.i must have every other field zero.
        row(.fence, .fence, op(MISC_MEM, f3: 0), .fence),
        row(.fence_i, .noOperands, (0xffff_ffff, 0x0000_100f), .fenceI, .zifencei, .system),
        row(.ecall, .noOperands, (0xffff_ffff, 0x0000_0073), .ecall, .i, .system),
        row(.ebreak, .noOperands, (0xffff_ffff, 0x0010_0073), .ebreak, .i, .system),
        row(.csrrw, .csr, op(SYSTEM, f3: 1), .csr(.write, immediate: false), .zicsr, [.system, .writesRd]),
        row(.csrrs, .csr, op(SYSTEM, f3: 2), .csr(.set, immediate: false), .zicsr, [.system, .writesRd]),
        row(.csrrc, .csr, op(SYSTEM, f3: 3), .csr(.clear, immediate: false), .zicsr, [.system, .writesRd]),
        row(.csrrwi, .csri, op(SYSTEM, f3: 5), .csr(.write, immediate: true), .zicsr, [.system, .writesRd]),
        row(.csrrsi, .csri, op(SYSTEM, f3: 6), .csr(.set, immediate: true), .zicsr, [.system, .writesRd]),
        row(.csrrci, .csri, op(SYSTEM, f3: 7), .csr(.clear, immediate: true), .zicsr, [.system, .writesRd]),
        row(.mret, .noOperands, (0xffff_ffff, 0x3020_0073), .mret, .privileged, .system),
        row(.wfi, .noOperands, (0xffff_ffff, 0x1050_0073), .wfi, .privileged, .system),
        row(.sret, .noOperands, (0xffff_ffff, 0x1020_0073), .sret, .privileged, .system),
        // sfence.vma rs1, rs2: an R-type with rd and funct3 zero (rs1 the address, rs2 the ASID).
        row(.sfence_vma, .r, (0xfe00_7fff, 0x1200_0073), .sfenceVMA, .privileged, .system),
        // M: OP with funct7 = 1.
        row(.mul, .r, op(OP, f3: 0, f7: 0x01), .aluRegister(.mul), .m, .writesRd),
        row(.mulh, .r, op(OP, f3: 1, f7: 0x01), .aluRegister(.mulh), .m, .writesRd),
        row(.mulhsu, .r, op(OP, f3: 2, f7: 0x01), .aluRegister(.mulhsu), .m, .writesRd),
        row(.mulhu, .r, op(OP, f3: 3, f7: 0x01), .aluRegister(.mulhu), .m, .writesRd),
        row(.div, .r, op(OP, f3: 4, f7: 0x01), .aluRegister(.div), .m, .writesRd),
        row(.divu, .r, op(OP, f3: 5, f7: 0x01), .aluRegister(.divu), .m, .writesRd),
        row(.rem, .r, op(OP, f3: 6, f7: 0x01), .aluRegister(.rem), .m, .writesRd),
        row(.remu, .r, op(OP, f3: 7, f7: 0x01), .aluRegister(.remu), .m, .writesRd),
        // A: word-sized LR/SC and AMOs.
        row(.lr_w, .lr, amo(0x02, rs2Zero: true), .atomic(.loadReserved), .a, [.memory, .writesRd]),
        row(.sc_w, .amo, amo(0x03), .atomic(.storeConditional), .a, [.memory, .writesRd]),
        row(.amoswap_w, .amo, amo(0x01), .atomic(.amo(.swap)), .a, [.memory, .writesRd]),
        row(.amoadd_w, .amo, amo(0x00), .atomic(.amo(.add)), .a, [.memory, .writesRd]),
        row(.amoxor_w, .amo, amo(0x04), .atomic(.amo(.xor)), .a, [.memory, .writesRd]),
        row(.amoand_w, .amo, amo(0x0c), .atomic(.amo(.and)), .a, [.memory, .writesRd]),
        row(.amoor_w, .amo, amo(0x08), .atomic(.amo(.or)), .a, [.memory, .writesRd]),
        row(.amomin_w, .amo, amo(0x10), .atomic(.amo(.min)), .a, [.memory, .writesRd]),
        row(.amomax_w, .amo, amo(0x14), .atomic(.amo(.max)), .a, [.memory, .writesRd]),
        row(.amominu_w, .amo, amo(0x18), .atomic(.amo(.minu)), .a, [.memory, .writesRd]),
        row(.amomaxu_w, .amo, amo(0x1c), .atomic(.amo(.maxu)), .a, [.memory, .writesRd]),
        // F/D loads and stores (their compressed forms are part of C).
        row(.flw, .floatLoad, op(LOAD_FP, f3: 2), .floatLoad(.single), .f, .memory),
        row(.fsw, .floatStore, op(STORE_FP, f3: 2), .floatStore(.single), .f, .memory),
        row(.fld, .floatLoad, op(LOAD_FP, f3: 3), .floatLoad(.double), .d, .memory),
        row(.fsd, .floatStore, op(STORE_FP, f3: 3), .floatStore(.double), .d, .memory),
        // Bit manipulation (RV32 encodings). Rows in Zbb and Zbkb both name both. zext.h is
        // `pack rd, rs1, x0`: the more specific row comes first and wins, and is in Zbkb too.
        // The unary ones are `.aluImmediate` with imm 0; rori/bclri/... use shamt[4:0], funct7
        // fixed (shamt[5] = 0).
        row(.sh1add, .r, op(OP, f3: 2, f7: 0x10), .aluRegister(.sh1add), .zba, .writesRd),
        row(.sh2add, .r, op(OP, f3: 4, f7: 0x10), .aluRegister(.sh2add), .zba, .writesRd),
        row(.sh3add, .r, op(OP, f3: 6, f7: 0x10), .aluRegister(.sh3add), .zba, .writesRd),
        row(.andn, .r, op(OP, f3: 7, f7: 0x20), .aluRegister(.andn), [.zbb, .zbkb], .writesRd),
        row(.orn, .r, op(OP, f3: 6, f7: 0x20), .aluRegister(.orn), [.zbb, .zbkb], .writesRd),
        row(.xnor, .r, op(OP, f3: 4, f7: 0x20), .aluRegister(.xnor), [.zbb, .zbkb], .writesRd),
        row(.clz, .unary, unary(OP_IMM, f3: 1, imm: 0x600), .aluImmediate(.clz), .zbb, .writesRd),
        row(.ctz, .unary, unary(OP_IMM, f3: 1, imm: 0x601), .aluImmediate(.ctz), .zbb, .writesRd),
        row(.cpop, .unary, unary(OP_IMM, f3: 1, imm: 0x602), .aluImmediate(.cpop), .zbb, .writesRd),
        row(.max, .r, op(OP, f3: 6, f7: 0x05), .aluRegister(.max), .zbb, .writesRd),
        row(.maxu, .r, op(OP, f3: 7, f7: 0x05), .aluRegister(.maxu), .zbb, .writesRd),
        row(.min, .r, op(OP, f3: 4, f7: 0x05), .aluRegister(.min), .zbb, .writesRd),
        row(.minu, .r, op(OP, f3: 5, f7: 0x05), .aluRegister(.minu), .zbb, .writesRd),
        row(.sext_b, .unary, unary(OP_IMM, f3: 1, imm: 0x604), .aluImmediate(.sextB), .zbb, .writesRd),
        row(.sext_h, .unary, unary(OP_IMM, f3: 1, imm: 0x605), .aluImmediate(.sextH), .zbb, .writesRd),
        row(.zext_h, .unary, unary(OP, f3: 4, imm: 0x080), .aluImmediate(.pack), [.zbb, .zbkb], .writesRd),
        row(.rol, .r, op(OP, f3: 1, f7: 0x30), .aluRegister(.rol), [.zbb, .zbkb], .writesRd),
        row(.ror, .r, op(OP, f3: 5, f7: 0x30), .aluRegister(.ror), [.zbb, .zbkb], .writesRd),
        row(.rori, .shift, op(OP_IMM, f3: 5, f7: 0x30), .aluImmediate(.ror), [.zbb, .zbkb], .writesRd),
        row(.orc_b, .unary, unary(OP_IMM, f3: 5, imm: 0x287), .aluImmediate(.orcB), .zbb, .writesRd),
        row(.rev8, .unary, unary(OP_IMM, f3: 5, imm: 0x698), .aluImmediate(.rev8), [.zbb, .zbkb], .writesRd),
        row(.clmul, .r, op(OP, f3: 1, f7: 0x05), .aluRegister(.clmul), .zbc, .writesRd),
        row(.clmulh, .r, op(OP, f3: 3, f7: 0x05), .aluRegister(.clmulh), .zbc, .writesRd),
        row(.clmulr, .r, op(OP, f3: 2, f7: 0x05), .aluRegister(.clmulr), .zbc, .writesRd),
        row(.bclr, .r, op(OP, f3: 1, f7: 0x24), .aluRegister(.bclr), .zbs, .writesRd),
        row(.bclri, .shift, op(OP_IMM, f3: 1, f7: 0x24), .aluImmediate(.bclr), .zbs, .writesRd),
        row(.bext, .r, op(OP, f3: 5, f7: 0x24), .aluRegister(.bext), .zbs, .writesRd),
        row(.bexti, .shift, op(OP_IMM, f3: 5, f7: 0x24), .aluImmediate(.bext), .zbs, .writesRd),
        row(.binv, .r, op(OP, f3: 1, f7: 0x34), .aluRegister(.binv), .zbs, .writesRd),
        row(.binvi, .shift, op(OP_IMM, f3: 1, f7: 0x34), .aluImmediate(.binv), .zbs, .writesRd),
        row(.bset, .r, op(OP, f3: 1, f7: 0x14), .aluRegister(.bset), .zbs, .writesRd),
        row(.bseti, .shift, op(OP_IMM, f3: 1, f7: 0x14), .aluImmediate(.bset), .zbs, .writesRd),
        row(.pack, .r, op(OP, f3: 4, f7: 0x04), .aluRegister(.pack), .zbkb, .writesRd),
        row(.packh, .r, op(OP, f3: 7, f7: 0x04), .aluRegister(.packh), .zbkb, .writesRd),
        row(.brev8, .unary, unary(OP_IMM, f3: 5, imm: 0x687), .aluImmediate(.brev8), .zbkb, .writesRd),
        row(.zip, .unary, unary(OP_IMM, f3: 1, imm: 0x08f), .aluImmediate(.zip), .zbkb, .writesRd),
        row(.unzip, .unary, unary(OP_IMM, f3: 5, imm: 0x08f), .aluImmediate(.unzip), .zbkb, .writesRd),
        row(.xperm4, .r, op(OP, f3: 2, f7: 0x14), .aluRegister(.xperm4), .zbkx, .writesRd),
        row(.xperm8, .r, op(OP, f3: 4, f7: 0x14), .aluRegister(.xperm8), .zbkx, .writesRd),
        // F: computation (OP-FP and the fused multiply-adds).
        row(.fadd_s, .floatR, fp(0x00, .single), .float(.add, .single), .f),
        row(.fsub_s, .floatR, fp(0x01, .single), .float(.sub, .single), .f),
        row(.fmul_s, .floatR, fp(0x02, .single), .float(.mul, .single), .f),
        row(.fdiv_s, .floatR, fp(0x03, .single), .float(.div, .single), .f),
        row(.fsqrt_s, .floatR, fp(0x0b, .single, rs2: 0), .float(.sqrt, .single), .f),
        row(.fsgnj_s, .floatR, fp(0x04, .single, f3: 0), .float(.sgnj, .single), .f),
        row(.fsgnjn_s, .floatR, fp(0x04, .single, f3: 1), .float(.sgnjn, .single), .f),
        row(.fsgnjx_s, .floatR, fp(0x04, .single, f3: 2), .float(.sgnjx, .single), .f),
        row(.fmin_s, .floatR, fp(0x05, .single, f3: 0), .float(.min, .single), .f),
        row(.fmax_s, .floatR, fp(0x05, .single, f3: 1), .float(.max, .single), .f),
        row(.feq_s, .floatR, fp(0x14, .single, f3: 2), .float(.eq, .single), .f, .writesRd),
        row(.flt_s, .floatR, fp(0x14, .single, f3: 1), .float(.lt, .single), .f, .writesRd),
        row(.fle_s, .floatR, fp(0x14, .single, f3: 0), .float(.le, .single), .f, .writesRd),
        row(.fclass_s, .floatR, fp(0x1c, .single, f3: 1, rs2: 0), .float(.classify, .single), .f, .writesRd),
        row(.fcvt_w_s, .floatR, fp(0x18, .single, rs2: 0), .float(.toInt, .single), .f, .writesRd),
        row(.fcvt_wu_s, .floatR, fp(0x18, .single, rs2: 1), .float(.toUnsigned, .single), .f, .writesRd),
        row(.fcvt_s_w, .floatR, fp(0x1a, .single, rs2: 0), .float(.fromInt, .single), .f),
        row(.fcvt_s_wu, .floatR, fp(0x1a, .single, rs2: 1), .float(.fromUnsigned, .single), .f),
        row(.fmv_x_w, .floatR, fp(0x1c, .single, f3: 0, rs2: 0), .float(.moveToInt, .single), .f, .writesRd),
        row(.fmv_w_x, .floatR, fp(0x1e, .single, f3: 0, rs2: 0), .float(.moveFromInt, .single), .f),
        row(.fmadd_s, .floatR4, r4(MADD, .single), .float(.madd, .single), .f),
        row(.fmsub_s, .floatR4, r4(MSUB, .single), .float(.msub, .single), .f),
        row(.fnmsub_s, .floatR4, r4(NMSUB, .single), .float(.nmsub, .single), .f),
        row(.fnmadd_s, .floatR4, r4(NMADD, .single), .float(.nmadd, .single), .f),
        // D: computation (OP-FP and the fused multiply-adds).
        row(.fadd_d, .floatR, fp(0x00, .double), .float(.add, .double), .d),
        row(.fsub_d, .floatR, fp(0x01, .double), .float(.sub, .double), .d),
        row(.fmul_d, .floatR, fp(0x02, .double), .float(.mul, .double), .d),
        row(.fdiv_d, .floatR, fp(0x03, .double), .float(.div, .double), .d),
        row(.fsqrt_d, .floatR, fp(0x0b, .double, rs2: 0), .float(.sqrt, .double), .d),
        row(.fsgnj_d, .floatR, fp(0x04, .double, f3: 0), .float(.sgnj, .double), .d),
        row(.fsgnjn_d, .floatR, fp(0x04, .double, f3: 1), .float(.sgnjn, .double), .d),
        row(.fsgnjx_d, .floatR, fp(0x04, .double, f3: 2), .float(.sgnjx, .double), .d),
        row(.fmin_d, .floatR, fp(0x05, .double, f3: 0), .float(.min, .double), .d),
        row(.fmax_d, .floatR, fp(0x05, .double, f3: 1), .float(.max, .double), .d),
        row(.feq_d, .floatR, fp(0x14, .double, f3: 2), .float(.eq, .double), .d, .writesRd),
        row(.flt_d, .floatR, fp(0x14, .double, f3: 1), .float(.lt, .double), .d, .writesRd),
        row(.fle_d, .floatR, fp(0x14, .double, f3: 0), .float(.le, .double), .d, .writesRd),
        row(.fclass_d, .floatR, fp(0x1c, .double, f3: 1, rs2: 0), .float(.classify, .double), .d, .writesRd),
        row(.fcvt_w_d, .floatR, fp(0x18, .double, rs2: 0), .float(.toInt, .double), .d, .writesRd),
        row(.fcvt_wu_d, .floatR, fp(0x18, .double, rs2: 1), .float(.toUnsigned, .double), .d, .writesRd),
        row(.fcvt_d_w, .floatR, fp(0x1a, .double, rs2: 0), .float(.fromInt, .double), .d),
        row(.fcvt_d_wu, .floatR, fp(0x1a, .double, rs2: 1), .float(.fromUnsigned, .double), .d),
        row(.fcvt_s_d, .floatR, fp(0x08, .single, rs2: 1), .float(.convertFromDouble, .single), .d),
        row(.fcvt_d_s, .floatR, fp(0x08, .double, rs2: 0), .float(.convertFromSingle, .double), .d),
        row(.fmadd_d, .floatR4, r4(MADD, .double), .float(.madd, .double), .d),
        row(.fmsub_d, .floatR4, r4(MSUB, .double), .float(.msub, .double), .d),
        row(.fnmsub_d, .floatR4, r4(NMSUB, .double), .float(.nmsub, .double), .d),
        row(.fnmadd_d, .floatR4, r4(NMADD, .double), .float(.nmadd, .double), .d),
        // Zfhmin: half-precision loads, stores, moves and conversions to and from the wider
        // formats (Zfh contains it: these rows name both).
        row(.flh, .floatLoad, op(LOAD_FP, f3: 1), .floatLoad(.half), [.zfh, .zfhmin], .memory),
        row(.fsh, .floatStore, op(STORE_FP, f3: 1), .floatStore(.half), [.zfh, .zfhmin], .memory),
        row(.fmv_x_h, .floatR, fp(0x1c, .half, f3: 0, rs2: 0), .float(.moveToInt, .half), [.zfh, .zfhmin], .writesRd),
        row(.fmv_h_x, .floatR, fp(0x1e, .half, f3: 0, rs2: 0), .float(.moveFromInt, .half), [.zfh, .zfhmin]),
        row(.fcvt_s_h, .floatR, fp(0x08, .single, rs2: 2), .float(.convertFromHalf, .single), [.zfh, .zfhmin]),
        row(.fcvt_h_s, .floatR, fp(0x08, .half, rs2: 0), .float(.convertFromSingle, .half), [.zfh, .zfhmin]),
        row(.fcvt_d_h, .floatR, fp(0x08, .double, rs2: 2), .float(.convertFromHalf, .double), [.zfh, .zfhmin], requires: .d),
        row(.fcvt_h_d, .floatR, fp(0x08, .half, rs2: 1), .float(.convertFromDouble, .half), [.zfh, .zfhmin], requires: .d),
        // Zfh: half-precision computation (OP-FP and the fused multiply-adds).
        row(.fadd_h, .floatR, fp(0x00, .half), .float(.add, .half), .zfh),
        row(.fsub_h, .floatR, fp(0x01, .half), .float(.sub, .half), .zfh),
        row(.fmul_h, .floatR, fp(0x02, .half), .float(.mul, .half), .zfh),
        row(.fdiv_h, .floatR, fp(0x03, .half), .float(.div, .half), .zfh),
        row(.fsqrt_h, .floatR, fp(0x0b, .half, rs2: 0), .float(.sqrt, .half), .zfh),
        row(.fsgnj_h, .floatR, fp(0x04, .half, f3: 0), .float(.sgnj, .half), .zfh),
        row(.fsgnjn_h, .floatR, fp(0x04, .half, f3: 1), .float(.sgnjn, .half), .zfh),
        row(.fsgnjx_h, .floatR, fp(0x04, .half, f3: 2), .float(.sgnjx, .half), .zfh),
        row(.fmin_h, .floatR, fp(0x05, .half, f3: 0), .float(.min, .half), .zfh),
        row(.fmax_h, .floatR, fp(0x05, .half, f3: 1), .float(.max, .half), .zfh),
        row(.feq_h, .floatR, fp(0x14, .half, f3: 2), .float(.eq, .half), .zfh, .writesRd),
        row(.flt_h, .floatR, fp(0x14, .half, f3: 1), .float(.lt, .half), .zfh, .writesRd),
        row(.fle_h, .floatR, fp(0x14, .half, f3: 0), .float(.le, .half), .zfh, .writesRd),
        row(.fclass_h, .floatR, fp(0x1c, .half, f3: 1, rs2: 0), .float(.classify, .half), .zfh, .writesRd),
        row(.fcvt_w_h, .floatR, fp(0x18, .half, rs2: 0), .float(.toInt, .half), .zfh, .writesRd),
        row(.fcvt_wu_h, .floatR, fp(0x18, .half, rs2: 1), .float(.toUnsigned, .half), .zfh, .writesRd),
        row(.fcvt_h_w, .floatR, fp(0x1a, .half, rs2: 0), .float(.fromInt, .half), .zfh),
        row(.fcvt_h_wu, .floatR, fp(0x1a, .half, rs2: 1), .float(.fromUnsigned, .half), .zfh),
        row(.fmadd_h, .floatR4, r4(MADD, .half), .float(.madd, .half), .zfh),
        row(.fmsub_h, .floatR4, r4(MSUB, .half), .float(.msub, .half), .zfh),
        row(.fnmsub_h, .floatR4, r4(NMSUB, .half), .float(.nmsub, .half), .zfh),
        row(.fnmadd_h, .floatR4, r4(NMADD, .half), .float(.nmadd, .half), .zfh),
    ]

    /// The row for an opcode; `illegal` has none.
    @inlinable
    public static func spec(_ opcode: Opcode) -> InstructionSpec? {
        let index = Int(opcode.rawValue)
        return index < rows.count ? rows[index] : nil
    }
}
