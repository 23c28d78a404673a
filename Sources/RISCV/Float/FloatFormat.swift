/// IEEE 754 binary32/binary64/binary16 as the F, D and Zfh extensions use them: the formats' parameters, the
/// rounding modes, the exception flags, NaN boxing. Values travel as raw bits in a `UInt64`
/// (a single in the low 32 bits, a half in the low 16); nothing here uses the host's floating-point unit.

/// The five IEEE rounding modes in the encoding of the `rm` field and `frm`.
public enum RoundingMode: UInt8, CaseIterable, Sendable {
    /// To nearest, ties to even.
    case rne = 0
    /// Towards zero.
    case rtz = 1
    /// Down (towards −∞).
    case rdn = 2
    /// Up (towards +∞).
    case rup = 3
    /// To nearest, ties away from zero.
    case rmm = 4

    /// The `rm` field 7 means "dynamic": the mode in `frm`.
    public static let dynamicField: UInt8 = 7

    /// The mode an instruction with rounding-mode field `field` uses when `frm` holds `frm`;
    /// nil for the reserved encodings (5, 6, or dynamic with `frm` ≥ 5): an illegal instruction.
    @inlinable
    public static func resolve(field: UInt8, frm: UInt32) -> RoundingMode? {
        let mode = field == dynamicField ? UInt8(truncatingIfNeeded: frm & 7) : field
        return RoundingMode(rawValue: mode)
    }
}

/// The accrued exception flags, as `fflags` holds them.
public struct FloatFlags: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Inexact.
    @inlinable public static var inexact: FloatFlags { FloatFlags(rawValue: 1) }
    /// Underflow (tiny and inexact; tininess is detected after rounding, as RISC-V specifies).
    @inlinable public static var underflow: FloatFlags { FloatFlags(rawValue: 2) }
    /// Overflow.
    @inlinable public static var overflow: FloatFlags { FloatFlags(rawValue: 4) }
    /// Division by zero.
    @inlinable public static var divideByZero: FloatFlags { FloatFlags(rawValue: 8) }
    /// Invalid operation.
    @inlinable public static var invalid: FloatFlags { FloatFlags(rawValue: 16) }

    public var description: String {
        let names = [(Self.invalid, "NV"), (.divideByZero, "DZ"), (.overflow, "OF"), (.underflow, "UF"), (.inexact, "NX")]
        return names.filter { contains($0.0) }.map { $0.1 }.joined(separator: "|")
    }
}

// Each parameter is a switch returning constants: with the width known the optimiser folds it,
// and with the width a run-time value it is one table lookup (as cheap as the two-way choice
// it replaced).
extension FloatWidth {
    /// Stored fraction bits (23, 52 or 10).
    @inlinable @inline(__always) public var fractionBits: Int {
        switch self {
        case .single: return 23
        case .double: return 52
        case .half: return 10
        }
    }
    /// Significand precision, the hidden bit included.
    @inlinable @inline(__always) public var precision: Int { fractionBits + 1 }
    @inlinable @inline(__always) public var exponentBits: Int {
        switch self {
        case .single: return 8
        case .double: return 11
        case .half: return 5
        }
    }
    @inlinable @inline(__always) public var bias: Int {
        switch self {
        case .single: return 127
        case .double: return 1023
        case .half: return 15
        }
    }
    /// The exponent of the smallest normal number.
    @inlinable @inline(__always) public var minExponent: Int { 1 - bias }
    /// The exponent of the largest finite number.
    @inlinable @inline(__always) public var maxExponent: Int { bias }
    @inlinable @inline(__always) public var totalBits: Int {
        switch self {
        case .single: return 32
        case .double: return 64
        case .half: return 16
        }
    }
    @inlinable @inline(__always) public var signMask: UInt64 { 1 << UInt64(totalBits - 1) }
    @inlinable @inline(__always) public var fractionMask: UInt64 { (1 << UInt64(fractionBits)) - 1 }
    /// The all-ones biased exponent of infinities and NaNs.
    @inlinable @inline(__always) public var exponentField: UInt64 { (1 << UInt64(exponentBits)) - 1 }
    /// The quiet bit: the fraction's top bit.
    @inlinable @inline(__always) public var quietBit: UInt64 { 1 << UInt64(fractionBits - 1) }
    /// The canonical NaN RISC-V returns: positive, quiet, zero payload.
    @inlinable @inline(__always) public var canonicalNaN: UInt64 {
        switch self {
        case .single: return 0x7fc0_0000
        case .double: return 0x7ff8_0000_0000_0000
        case .half: return 0x7e00
        }
    }

    @inlinable @inline(__always) public func infinity(negative: Bool) -> UInt64 {
        (negative ? signMask : 0) | exponentField << UInt64(fractionBits)
    }

    @inlinable @inline(__always) public func zero(negative: Bool) -> UInt64 { negative ? signMask : 0 }

    /// The largest finite magnitude with the given sign.
    @inlinable @inline(__always) public func largest(negative: Bool) -> UInt64 {
        (negative ? signMask : 0) | (exponentField - 1) << UInt64(fractionBits) | fractionMask
    }

    /// The bits above a value of this width in a 64-bit register: all ones when it is properly
    /// NaN-boxed (none for a double).
    @inlinable @inline(__always) public var boxBits: UInt64 {
        switch self {
        case .single: return 0xffff_ffff_0000_0000
        case .double: return 0
        case .half: return 0xffff_ffff_ffff_0000
        }
    }

    /// A 64-bit register value read as this width: a single or a half must be NaN-boxed (every
    /// bit above it one), otherwise it reads as the canonical NaN of the width.
    @inlinable @inline(__always)
    public func unbox(_ register: UInt64) -> UInt64 {
        let box = boxBits
        return register & box == box ? register & ~box : canonicalNaN
    }

    /// A value of this width as a 64-bit register value (a single or a half NaN-boxed).
    @inlinable @inline(__always)
    public func box(_ value: UInt64) -> UInt64 { boxBits | (value & ~boxBits) }
}
