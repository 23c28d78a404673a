/// The RV32C instruction set: each 16-bit instruction is a row that says how it expands into a
/// row of `InstructionTable` (as QEMU's `insn16.decode` maps onto the same `trans_*` functions as
/// `insn32.decode`). The expansion is the only semantics a compressed instruction has: executors
/// see the 32-bit instruction's decoded form with `length == 2`.

/// How a compressed instruction's operands sit in its 16 bits (the specification's formats,
/// split where the immediate is scrambled differently).
public enum CompressedFormat: Sendable {
    case ciw        // rd', nzuimm (c.addi4spn)
    case clWord     // rd', uimm(rs1'), word-scaled offset
    case clDouble   // rd', uimm(rs1'), doubleword-scaled offset
    case csWord     // rs2', uimm(rs1')
    case csDouble
    case ci         // rd, imm (6-bit signed)
    case ciShift    // rd, shamt
    case ciLui      // rd, nzimm[17:12]
    case ciSP       // sp, nzimm (c.addi16sp)
    case ciLoadWord    // rd, uimm(sp)
    case ciLoadDouble
    case cssWord    // rs2, uimm(sp)
    case cssDouble
    case cj         // offset
    case cb         // rs1', offset
    case cbShift    // rs1', shamt (c.srli, c.srai)
    case cbImm      // rs1', imm (c.andi)
    case ca         // rd', rs2'
    case crJump     // rs1 (c.jr, c.jalr)
    case cr         // rd, rs2 (c.mv, c.add)
    case none       // c.ebreak
}

/// One compressed instruction.
public struct CompressedSpec: Sendable {
    public let mnemonic: String
    public let format: CompressedFormat
    public let mask: UInt16
    public let match: UInt16
    /// The extensions it needs (C, plus F or D for the floating-point loads and stores).
    public let isa: ISA
    /// The 32-bit instruction the halfword's fields spell, whether or not the encoding is
    /// reserved (the disassembler shows reserved encodings the way objdump does).
    public let form: @Sendable (UInt16) -> Instruction
    /// Whether this encoding of the row is reserved (or, on RV32, kept for custom use).
    public let isReserved: @Sendable (UInt16) -> Bool

    /// The 32-bit instruction it stands for, or nil for a reserved encoding of the row.
    public func expand(_ half: UInt16) -> Instruction? { isReserved(half) ? nil : form(half) }
}

/// Bit fields of a compressed instruction.
public enum CompressedFields {
    @inlinable public static func rd(_ h: UInt16) -> UInt8 { UInt8(truncatingIfNeeded: (h >> 7) & 0x1f) }
    @inlinable public static func rs2(_ h: UInt16) -> UInt8 { UInt8(truncatingIfNeeded: (h >> 2) & 0x1f) }
    /// The 3-bit register fields name x8–x15.
    @inlinable public static func rdPrime(_ h: UInt16) -> UInt8 { UInt8(truncatingIfNeeded: (h >> 2) & 7) + 8 }
    @inlinable public static func rs1Prime(_ h: UInt16) -> UInt8 { UInt8(truncatingIfNeeded: (h >> 7) & 7) + 8 }

    @inlinable static func signExtend(_ v: UInt32, bits: UInt32) -> Int32 {
        Int32(bitPattern: v << (32 - bits)) >> Int32(32 - bits)
    }

    /// Bits `[lo, lo + count)` of `w`, moved to start at bit `to`.
    @inlinable static func bits(_ w: UInt32, _ lo: UInt32, _ count: UInt32, to: UInt32) -> UInt32 {
        ((w >> lo) & ((1 << count) - 1)) << to
    }

    /// The immediate of each format, gathered as the specification scatters it (each term:
    /// instruction bits `lo` and up, and the immediate bit they land on).
    public static func immediate(_ format: CompressedFormat, _ h: UInt16) -> Int32 {
        let w = UInt32(h)
        let imm6 = bits(w, 12, 1, to: 5) | bits(w, 2, 5, to: 0)  // CI: imm[5] = 12, imm[4:0] = 6:2
        switch format {
        case .ciw:  // nzuimm[5:4|9:6|2|3] = 12:5
            return Int32(bits(w, 11, 2, to: 4) | bits(w, 7, 4, to: 6) | bits(w, 6, 1, to: 2) | bits(w, 5, 1, to: 3))
        case .clWord, .csWord:  // uimm[5:3] = 12:10, uimm[2|6] = 6:5
            return Int32(bits(w, 10, 3, to: 3) | bits(w, 6, 1, to: 2) | bits(w, 5, 1, to: 6))
        case .clDouble, .csDouble:  // uimm[5:3] = 12:10, uimm[7:6] = 6:5
            return Int32(bits(w, 10, 3, to: 3) | bits(w, 5, 2, to: 6))
        case .ci, .cbImm:
            return signExtend(imm6, bits: 6)
        case .ciShift, .cbShift:
            return Int32(imm6)
        case .ciLui:  // nzimm[17|16:12]
            return signExtend(imm6, bits: 6) << 12
        case .ciSP:  // nzimm[9] = 12, nzimm[4|6|8:7|5] = 6:2
            let v = bits(w, 12, 1, to: 9) | bits(w, 6, 1, to: 4) | bits(w, 5, 1, to: 6) | bits(w, 3, 2, to: 7) | bits(w, 2, 1, to: 5)
            return signExtend(v, bits: 10)
        case .ciLoadWord:  // uimm[5] = 12, uimm[4:2|7:6] = 6:2
            return Int32(bits(w, 12, 1, to: 5) | bits(w, 4, 3, to: 2) | bits(w, 2, 2, to: 6))
        case .ciLoadDouble:  // uimm[5] = 12, uimm[4:3|8:6] = 6:2
            return Int32(bits(w, 12, 1, to: 5) | bits(w, 5, 2, to: 3) | bits(w, 2, 3, to: 6))
        case .cssWord:  // uimm[5:2|7:6] = 12:7
            return Int32(bits(w, 9, 4, to: 2) | bits(w, 7, 2, to: 6))
        case .cssDouble:  // uimm[5:3|8:6] = 12:7
            return Int32(bits(w, 10, 3, to: 3) | bits(w, 7, 3, to: 6))
        case .cj:  // offset[11|4|9:8|10|6|7|3:1|5] = 12:2
            var v = bits(w, 12, 1, to: 11) | bits(w, 11, 1, to: 4) | bits(w, 9, 2, to: 8) | bits(w, 8, 1, to: 10)
            v |= bits(w, 7, 1, to: 6) | bits(w, 6, 1, to: 7) | bits(w, 3, 3, to: 1) | bits(w, 2, 1, to: 5)
            return signExtend(v, bits: 12)
        case .cb:  // offset[8|4:3] = 12:10, offset[7:6|2:1|5] = 6:2
            var v = bits(w, 12, 1, to: 8) | bits(w, 10, 2, to: 3)
            v |= bits(w, 5, 2, to: 6) | bits(w, 3, 2, to: 1) | bits(w, 2, 1, to: 5)
            return signExtend(v, bits: 9)
        case .ca, .crJump, .cr, .none:
            return 0
        }
    }
}

private typealias F = CompressedFields
private let sp: UInt8 = 2, ra: UInt8 = 1

/// A row: its encoding, when an encoding of it is reserved (given the halfword and its
/// immediate), and the 32-bit instruction it expands to.
private func c(
    _ name: String, _ format: CompressedFormat, _ mask: UInt16, _ match: UInt16, _ isa: ISA = .c,
    reserved: @escaping @Sendable (UInt16, Int32) -> Bool = { _, _ in false },
    _ expand: @escaping @Sendable (UInt16, Int32) -> Instruction
) -> CompressedSpec {
    CompressedSpec(
        mnemonic: name, format: format, mask: mask, match: match, isa: isa,
        form: { h in expand(h, F.immediate(format, h)) },
        isReserved: { h in reserved(h, F.immediate(format, h)) })
}

/// Short constructors for the expansions, all with `length: 2`.
private func i(_ op: Opcode, _ rd: UInt8, _ rs1: UInt8, _ imm: Int32) -> Instruction {
    Instruction(op, rd: rd, rs1: rs1, imm: imm, length: 2)
}
private func r(_ op: Opcode, _ rd: UInt8, _ rs1: UInt8, _ rs2: UInt8) -> Instruction {
    Instruction(op, rd: rd, rs1: rs1, rs2: rs2, length: 2)
}
private func s(_ op: Opcode, _ rs2: UInt8, _ rs1: UInt8, _ imm: Int32) -> Instruction {
    Instruction(op, rs1: rs1, rs2: rs2, imm: imm, length: 2)
}

public enum CompressedTable {
    /// The rows, most specific first where encodings overlap (c.addi16sp before c.lui, c.jr
    /// before c.mv, c.ebreak before c.jalr before c.add). RV32: c.jal exists, c.ld/c.sd do not,
    /// and shift amounts with bit 5 set are reserved.
    public static let rows: [CompressedSpec] = [
        // Quadrant 0
        c("c.addi4spn", .ciw, 0xe003, 0x0000, reserved: { _, imm in imm == 0 }) { h, imm in i(.addi, F.rdPrime(h), sp, imm) },
        c("c.fld", .clDouble, 0xe003, 0x2000, [.c, .d]) { h, imm in i(.fld, F.rdPrime(h), F.rs1Prime(h), imm) },
        c("c.lw", .clWord, 0xe003, 0x4000) { h, imm in i(.lw, F.rdPrime(h), F.rs1Prime(h), imm) },
        c("c.flw", .clWord, 0xe003, 0x6000, [.c, .f]) { h, imm in i(.flw, F.rdPrime(h), F.rs1Prime(h), imm) },
        c("c.fsd", .csDouble, 0xe003, 0xa000, [.c, .d]) { h, imm in s(.fsd, F.rdPrime(h), F.rs1Prime(h), imm) },
        c("c.sw", .csWord, 0xe003, 0xc000) { h, imm in s(.sw, F.rdPrime(h), F.rs1Prime(h), imm) },
        c("c.fsw", .csWord, 0xe003, 0xe000, [.c, .f]) { h, imm in s(.fsw, F.rdPrime(h), F.rs1Prime(h), imm) },
        // Quadrant 1
        c("c.addi", .ci, 0xe003, 0x0001) { h, imm in i(.addi, F.rd(h), F.rd(h), imm) },
        c("c.jal", .cj, 0xe003, 0x2001) { _, imm in Instruction(.jal, rd: ra, imm: imm, length: 2) },
        c("c.li", .ci, 0xe003, 0x4001) { h, imm in i(.addi, F.rd(h), 0, imm) },
        c("c.addi16sp", .ciSP, 0xef83, 0x6101, reserved: { _, imm in imm == 0 }) { _, imm in i(.addi, sp, sp, imm) },
        c("c.lui", .ciLui, 0xe003, 0x6001, reserved: { _, imm in imm == 0 }) { h, imm in Instruction(.lui, rd: F.rd(h), imm: imm, length: 2) },
        c("c.srli", .cbShift, 0xec03, 0x8001, reserved: { _, imm in imm & 0x20 != 0 }) { h, imm in i(.srli, F.rs1Prime(h), F.rs1Prime(h), imm) },
        c("c.srai", .cbShift, 0xec03, 0x8401, reserved: { _, imm in imm & 0x20 != 0 }) { h, imm in i(.srai, F.rs1Prime(h), F.rs1Prime(h), imm) },
        c("c.andi", .cbImm, 0xec03, 0x8801) { h, imm in i(.andi, F.rs1Prime(h), F.rs1Prime(h), imm) },
        c("c.sub", .ca, 0xfc63, 0x8c01) { h, _ in r(.sub, F.rs1Prime(h), F.rs1Prime(h), F.rdPrime(h)) },
        c("c.xor", .ca, 0xfc63, 0x8c21) { h, _ in r(.xor, F.rs1Prime(h), F.rs1Prime(h), F.rdPrime(h)) },
        c("c.or", .ca, 0xfc63, 0x8c41) { h, _ in r(.or, F.rs1Prime(h), F.rs1Prime(h), F.rdPrime(h)) },
        c("c.and", .ca, 0xfc63, 0x8c61) { h, _ in r(.and, F.rs1Prime(h), F.rs1Prime(h), F.rdPrime(h)) },
        c("c.j", .cj, 0xe003, 0xa001) { _, imm in Instruction(.jal, rd: 0, imm: imm, length: 2) },
        c("c.beqz", .cb, 0xe003, 0xc001) { h, imm in Instruction(.beq, rs1: F.rs1Prime(h), rs2: 0, imm: imm, length: 2) },
        c("c.bnez", .cb, 0xe003, 0xe001) { h, imm in Instruction(.bne, rs1: F.rs1Prime(h), rs2: 0, imm: imm, length: 2) },
        // Quadrant 2
        c("c.slli", .ciShift, 0xe003, 0x0002, reserved: { _, imm in imm & 0x20 != 0 }) { h, imm in i(.slli, F.rd(h), F.rd(h), imm) },
        c("c.fldsp", .ciLoadDouble, 0xe003, 0x2002, [.c, .d]) { h, imm in i(.fld, F.rd(h), sp, imm) },
        c("c.lwsp", .ciLoadWord, 0xe003, 0x4002, reserved: { h, _ in F.rd(h) == 0 }) { h, imm in i(.lw, F.rd(h), sp, imm) },
        c("c.flwsp", .ciLoadWord, 0xe003, 0x6002, [.c, .f]) { h, imm in i(.flw, F.rd(h), sp, imm) },
        c("c.jr", .crJump, 0xf07f, 0x8002, reserved: { h, _ in F.rd(h) == 0 }) { h, _ in i(.jalr, 0, F.rd(h), 0) },
        c("c.mv", .cr, 0xf003, 0x8002) { h, _ in r(.add, F.rd(h), 0, F.rs2(h)) },
        c("c.ebreak", .none, 0xffff, 0x9002) { _, _ in Instruction(.ebreak, length: 2) },
        c("c.jalr", .crJump, 0xf07f, 0x9002) { h, _ in i(.jalr, ra, F.rd(h), 0) },
        c("c.add", .cr, 0xf003, 0x9002) { h, _ in r(.add, F.rd(h), F.rd(h), F.rs2(h)) },
        c("c.fsdsp", .cssDouble, 0xe003, 0xa002, [.c, .d]) { h, imm in s(.fsd, F.rs2(h), sp, imm) },
        c("c.swsp", .cssWord, 0xe003, 0xc002) { h, imm in s(.sw, F.rs2(h), sp, imm) },
        c("c.fswsp", .cssWord, 0xe003, 0xe002, [.c, .f]) { h, imm in s(.fsw, F.rs2(h), sp, imm) },
    ]

    /// Row indices by quadrant (bits 1:0) and funct3 (bits 15:13), in table order: every row
    /// fixes both, so a lookup tries at most the few rows of one bucket.
    static let buckets: [[Int]] = (0..<32).map { key in
        rows.indices.filter { i in
            let probe = UInt16(key & 3) | UInt16(key >> 2) << 13
            return probe & 0xe003 == rows[i].match & 0xe003
        }
    }

    /// The row a halfword matches, if any (a row may still call the encoding reserved).
    public static func spec(_ half: UInt16) -> CompressedSpec? {
        for i in buckets[Int(half & 3) | Int(half >> 13) << 2] where half & rows[i].mask == rows[i].match { return rows[i] }
        return nil
    }

    /// The 32-bit form of a compressed instruction, or nil when the halfword is reserved or
    /// illegal (the all-zero halfword among them).
    public static func expand(_ half: UInt16) -> Instruction? {
        spec(half)?.expand(half)
    }
}
