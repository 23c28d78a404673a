/// A decoded instruction. Fields an instruction's format does not use are zero.
///
/// - `imm` holds the sign-extended immediate (for `lui`/`auipc` the value already shifted into
///   bits 31:12; for branches and `jal` the byte offset; for shifts the shift amount; for `fence`
///   the fm/pred/succ bits 31:20; for A's instructions the aq/rl bits).
/// - `csr` is the CSR number of Zicsr instructions; their immediate forms keep the 5-bit `uimm`
///   in `rs1`, exactly where the encoding has it.
/// - `rs3` and `rm` are the F/D fused multiply-adds' third source and the rounding-mode field
///   (funct3) of the F/D instructions that have one.
/// - `length` is 2 for a compressed instruction (decoded into the same form as the 32-bit
///   instruction it expands to) and 4 otherwise: the one place an instruction's size is known.
public struct Instruction: Hashable, Sendable {
    public var opcode: Opcode
    public var rd: UInt8
    public var rs1: UInt8
    public var rs2: UInt8
    public var imm: Int32
    public var csr: UInt16
    public var length: UInt8
    public var rs3: UInt8
    public var rm: UInt8
    /// The row's family, kept here so that executors switch on it without a table lookup.
    public var family: Family

    @inlinable
    public init(
        _ opcode: Opcode, rd: UInt8 = 0, rs1: UInt8 = 0, rs2: UInt8 = 0, imm: Int32 = 0, csr: UInt16 = 0, length: UInt8 = 4,
        rs3: UInt8 = 0, rm: UInt8 = 0
    ) {
        self.init(opcode, rd: rd, rs1: rs1, rs2: rs2, imm: imm, csr: csr, length: length,
                  family: InstructionTable.spec(opcode)?.family ?? .illegal, rs3: rs3, rm: rm)
    }

    @inlinable
    init(
        _ opcode: Opcode, rd: UInt8, rs1: UInt8, rs2: UInt8, imm: Int32, csr: UInt16, length: UInt8, family: Family,
        rs3: UInt8 = 0, rm: UInt8 = 0
    ) {
        self.rs3 = rs3
        self.rm = rm
        self.opcode = opcode
        self.rd = rd
        self.rs1 = rs1
        self.rs2 = rs2
        self.imm = imm
        self.csr = csr
        self.length = length
        self.family = family
    }

    public var spec: InstructionSpec? { InstructionTable.spec(opcode) }
    public var flags: InstructionFlags { spec?.flags ?? [.endsBlock] }
    public var endsBlock: Bool { family.endsBlock }
    /// The size of every instruction outside the compressed set.
    public static let uncompressedLength: UInt8 = 4

    /// The address of the instruction after this one.
    @inlinable public func next(_ pc: UInt32) -> UInt32 { pc &+ UInt32(length) }
}

/// Immediate extraction and insertion for each format: decode and encode are each other's inverse.
public enum Immediate {
    @inlinable public static func i(_ w: UInt32) -> Int32 { Int32(bitPattern: w) >> 20 }

    @inlinable public static func s(_ w: UInt32) -> Int32 {
        (Int32(bitPattern: w & 0xfe00_0000) >> 20) | Int32((w >> 7) & 0x1f)
    }

    @inlinable public static func b(_ w: UInt32) -> Int32 {
        (Int32(bitPattern: w & 0x8000_0000) >> 19)
            | Int32((w & 0x80) << 4)
            | Int32((w >> 20) & 0x7e0)
            | Int32((w >> 7) & 0x1e)
    }

    @inlinable public static func u(_ w: UInt32) -> Int32 { Int32(bitPattern: w & 0xffff_f000) }

    @inlinable public static func j(_ w: UInt32) -> Int32 {
        (Int32(bitPattern: w & 0x8000_0000) >> 11)
            | Int32(w & 0xff000)
            | Int32((w >> 9) & 0x800)
            | Int32((w >> 20) & 0x7fe)
    }

    @inlinable public static func encodeI(_ imm: Int32) -> UInt32 { (UInt32(bitPattern: imm) & 0xfff) << 20 }

    @inlinable public static func encodeS(_ imm: Int32) -> UInt32 {
        let v = UInt32(bitPattern: imm)
        return ((v >> 5) & 0x7f) << 25 | (v & 0x1f) << 7
    }

    @inlinable public static func encodeB(_ imm: Int32) -> UInt32 {
        let v = UInt32(bitPattern: imm)
        return ((v >> 12) & 1) << 31 | ((v >> 5) & 0x3f) << 25 | ((v >> 1) & 0xf) << 8 | ((v >> 11) & 1) << 7
    }

    @inlinable public static func encodeU(_ imm: Int32) -> UInt32 { UInt32(bitPattern: imm) & 0xffff_f000 }

    @inlinable public static func encodeJ(_ imm: Int32) -> UInt32 {
        let v = UInt32(bitPattern: imm)
        return ((v >> 20) & 1) << 31 | ((v >> 1) & 0x3ff) << 21 | ((v >> 11) & 1) << 20 | ((v >> 12) & 0xff) << 12
    }
}
