/// The meaning of RV32I's and M's computational instructions, as pure functions.
///
/// Both executors call these: the interpreter with the operation chosen per instruction, the
/// closure compiler with the operation fixed when a closure is built (the switch folds away).
/// Nothing here touches machine state, so nothing here can differ between engines.

/// Register-register and register-immediate ALU operations, M's included.
public enum ALUOp: UInt8, CaseIterable, Sendable {
    case add, sub, sll, slt, sltu, xor, srl, sra, or, and
    case mul, mulh, mulhsu, mulhu, div, divu, rem, remu

    @inlinable @inline(__always)
    public func apply(_ a: UInt32, _ b: UInt32) -> UInt32 {
        switch self {
        case .add: return a &+ b
        case .sub: return a &- b
        case .sll: return a &<< (b & 31)
        case .slt: return Int32(bitPattern: a) < Int32(bitPattern: b) ? 1 : 0
        case .sltu: return a < b ? 1 : 0
        case .xor: return a ^ b
        case .srl: return a &>> (b & 31)
        case .sra: return UInt32(bitPattern: Int32(bitPattern: a) &>> Int32(b & 31))
        case .or: return a | b
        case .and: return a & b
        case .mul: return a &* b
        case .mulh: return UInt32(truncatingIfNeeded: (Int64(Int32(bitPattern: a)) &* Int64(Int32(bitPattern: b))) >> 32)
        case .mulhsu: return UInt32(truncatingIfNeeded: (Int64(Int32(bitPattern: a)) &* Int64(b)) >> 32)
        case .mulhu: return UInt32(truncatingIfNeeded: (UInt64(a) &* UInt64(b)) >> 32)
        // Division never traps: by zero it gives all ones (quotient) or the dividend
        // (remainder); INT_MIN / -1 overflows to INT_MIN with remainder 0.
        case .div:
            if b == 0 { return 0xffff_ffff }
            if a == 0x8000_0000 && b == 0xffff_ffff { return a }
            return UInt32(bitPattern: Int32(bitPattern: a) / Int32(bitPattern: b))
        case .divu: return b == 0 ? 0xffff_ffff : a / b
        case .rem:
            if b == 0 { return a }
            if a == 0x8000_0000 && b == 0xffff_ffff { return 0 }
            return UInt32(bitPattern: Int32(bitPattern: a) % Int32(bitPattern: b))
        case .remu: return b == 0 ? a : a % b
        }
    }

    /// Whether `apply` is the same for (a, b) and (b, a).
    public var isCommutative: Bool {
        switch self {
        case .add, .xor, .or, .and, .mul, .mulh, .mulhu: return true
        case .sub, .sll, .slt, .sltu, .srl, .sra, .mulhsu, .div, .divu, .rem, .remu: return false
        }
    }

    public var name: String { "\(self)" }
}

/// Conditional branch comparisons.
public enum BranchCondition: UInt8, CaseIterable, Sendable {
    case eq, ne, lt, ge, ltu, geu

    @inlinable
    public func holds(_ a: UInt32, _ b: UInt32) -> Bool {
        switch self {
        case .eq: return a == b
        case .ne: return a != b
        case .lt: return Int32(bitPattern: a) < Int32(bitPattern: b)
        case .ge: return Int32(bitPattern: a) >= Int32(bitPattern: b)
        case .ltu: return a < b
        case .geu: return a >= b
        }
    }

    /// The condition that holds exactly when this one does not.
    public var negated: BranchCondition {
        switch self {
        case .eq: return .ne
        case .ne: return .eq
        case .lt: return .ge
        case .ge: return .lt
        case .ltu: return .geu
        case .geu: return .ltu
        }
    }

    public var name: String { "\(self)" }
}

/// Load and store widths, and how a loaded value is extended to 32 bits.
public enum MemoryWidth: UInt8, CaseIterable, Sendable {
    case byte, half, word, byteUnsigned, halfUnsigned

    @inlinable public var size: UInt32 {
        switch self {
        case .byte, .byteUnsigned: return 1
        case .half, .halfUnsigned: return 2
        case .word: return 4
        }
    }

    /// Extends the `size` low bytes of `raw` as the load instruction says.
    @inlinable
    public func extend(_ raw: UInt32) -> UInt32 {
        switch self {
        case .byte: return UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: raw)))
        case .half: return UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: raw)))
        case .word: return raw
        case .byteUnsigned: return raw & 0xff
        case .halfUnsigned: return raw & 0xffff
        }
    }

    public var name: String {
        switch self {
        case .byte: return "i8"
        case .half: return "i16"
        case .word: return "i32"
        case .byteUnsigned: return "u8"
        case .halfUnsigned: return "u16"
        }
    }
}

/// Control-flow helpers shared by the executors.
public enum ControlFlow {
    /// `jalr` target: rs1 + imm with bit 0 cleared.
    @inlinable
    public static func jalrTarget(_ base: UInt32, _ imm: Int32) -> UInt32 {
        (base &+ UInt32(bitPattern: imm)) & ~1
    }

    /// pc-relative target of a branch or `jal`.
    @inlinable
    public static func relative(_ pc: UInt32, _ offset: Int32) -> UInt32 { pc &+ UInt32(bitPattern: offset) }
}
