/// IEEE 754 binary32/binary64 as the F and D extensions use them: the formats' parameters, the
/// rounding modes, the exception flags, NaN boxing. Values travel as raw bits in a `UInt64`
/// (a single in the low 32 bits); nothing here uses the host's floating-point unit.

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
    public static let inexact = FloatFlags(rawValue: 1)
    /// Underflow (tiny and inexact; tininess is detected after rounding, as RISC-V specifies).
    public static let underflow = FloatFlags(rawValue: 2)
    /// Overflow.
    public static let overflow = FloatFlags(rawValue: 4)
    /// Division by zero.
    public static let divideByZero = FloatFlags(rawValue: 8)
    /// Invalid operation.
    public static let invalid = FloatFlags(rawValue: 16)

    public var description: String {
        let names = [(Self.invalid, "NV"), (.divideByZero, "DZ"), (.overflow, "OF"), (.underflow, "UF"), (.inexact, "NX")]
        return names.filter { contains($0.0) }.map { $0.1 }.joined(separator: "|")
    }
}

extension FloatWidth {
    /// Stored fraction bits (23 or 52).
    @inlinable @inline(__always) public var fractionBits: Int { self == .single ? 23 : 52 }
    /// Significand precision, the hidden bit included.
    @inlinable @inline(__always) public var precision: Int { fractionBits + 1 }
    @inlinable @inline(__always) public var exponentBits: Int { self == .single ? 8 : 11 }
    @inlinable @inline(__always) public var bias: Int { self == .single ? 127 : 1023 }
    /// The exponent of the smallest normal number.
    @inlinable @inline(__always) public var minExponent: Int { 1 - bias }
    /// The exponent of the largest finite number.
    @inlinable @inline(__always) public var maxExponent: Int { bias }
    @inlinable @inline(__always) public var totalBits: Int { self == .single ? 32 : 64 }
    @inlinable @inline(__always) public var signMask: UInt64 { 1 << UInt64(totalBits - 1) }
    @inlinable @inline(__always) public var fractionMask: UInt64 { (1 << UInt64(fractionBits)) - 1 }
    /// The all-ones biased exponent of infinities and NaNs.
    @inlinable @inline(__always) public var exponentField: UInt64 { (1 << UInt64(exponentBits)) - 1 }
    /// The quiet bit: the fraction's top bit.
    @inlinable @inline(__always) public var quietBit: UInt64 { 1 << UInt64(fractionBits - 1) }
    /// The canonical NaN RISC-V returns: positive, quiet, zero payload.
    @inlinable @inline(__always) public var canonicalNaN: UInt64 { self == .single ? 0x7fc0_0000 : 0x7ff8_0000_0000_0000 }

    @inlinable @inline(__always) public func infinity(negative: Bool) -> UInt64 {
        (negative ? signMask : 0) | exponentField << UInt64(fractionBits)
    }

    @inlinable @inline(__always) public func zero(negative: Bool) -> UInt64 { negative ? signMask : 0 }

    /// The largest finite magnitude with the given sign.
    @inlinable @inline(__always) public func largest(negative: Bool) -> UInt64 {
        (negative ? signMask : 0) | (exponentField - 1) << UInt64(fractionBits) | fractionMask
    }

    /// The other width (the source format of `fcvt.s.d` and `fcvt.d.s`).
    @inlinable @inline(__always) public var other: FloatWidth { self == .single ? .double : .single }

    /// A 64-bit register value read as this width: a single must be NaN-boxed (upper 32 bits
    /// all ones), otherwise it reads as the canonical NaN.
    @inlinable @inline(__always)
    public func unbox(_ register: UInt64) -> UInt64 {
        guard self == .single else { return register }
        return register >> 32 == 0xffff_ffff ? register & 0xffff_ffff : canonicalNaN
    }

    /// A value of this width as a 64-bit register value (a single NaN-boxed).
    @inlinable @inline(__always)
    public func box(_ value: UInt64) -> UInt64 {
        self == .single ? 0xffff_ffff_0000_0000 | (value & 0xffff_ffff) : value
    }
}
