/// The host's binary32 and binary64 as the fast path computes with them (`Float`, `Double`):
/// the width they stand for and their bits as a register value.
///
/// Swift's `Float` and `Double` arithmetic is IEEE 754 arithmetic rounding to nearest even on
/// every host Swift supports (SSE2 on x86-64, the FPU on arm64); nothing in the process changes
/// the host's rounding mode or turns on flush-to-zero, so `+ − × ÷ √` give the correctly rounded
/// result bit for bit. What the host does not give portably is the exception flags; the fast
/// path decides those itself (see `FastFloat`).
public protocol HostFloat: BinaryFloatingPoint {
    /// The RISC-V width this type is.
    static var width: FloatWidth { get }
    /// The value whose bits are the low bits of `bits` (above them ignored).
    init(rawBits bits: UInt64)
    /// The bits, zero-extended.
    var rawBits: UInt64 { get }
}

extension Float: HostFloat {
    @inlinable @inline(__always) public static var width: FloatWidth { .single }
    @inlinable @inline(__always) public init(rawBits bits: UInt64) { self.init(bitPattern: UInt32(truncatingIfNeeded: bits)) }
    @inlinable @inline(__always) public var rawBits: UInt64 { UInt64(bitPattern) }
}

extension Double: HostFloat {
    @inlinable @inline(__always) public static var width: FloatWidth { .double }
    @inlinable @inline(__always) public init(rawBits bits: UInt64) { self.init(bitPattern: bits) }
    @inlinable @inline(__always) public var rawBits: UInt64 { bitPattern }
}

extension FloatWidth {
    /// The biased exponent field of `bits`.
    @inlinable @inline(__always)
    func biasedExponent(_ bits: UInt64) -> UInt64 { (bits >> UInt64(fractionBits)) & exponentField }

    /// `bits` is a normal number whose biased exponent is at most the largest finite one less
    /// `margin` (one unsigned comparison: zeros, subnormals, infinities and NaNs all fail).
    @inlinable @inline(__always)
    func isNormal(_ bits: UInt64, margin: UInt64 = 0) -> Bool {
        biasedExponent(bits) &- 1 < exponentField &- 1 &- margin
    }

    /// `bits` is finite and strictly above the smallest normal magnitude. A correctly rounded
    /// result there is neither an overflow (which to nearest gives ∞) nor tiny: the exact value
    /// lies above the smallest normal, since rounding is monotonic.
    @inlinable @inline(__always)
    func isSafelyNormal(_ bits: UInt64) -> Bool {
        let magnitude = bits & ~signMask, smallest = UInt64(1) << UInt64(fractionBits)
        return magnitude &- (smallest &+ 1) < infinity(negative: false) &- (smallest &+ 1)
    }

    /// The odd part of the significand of the normal number `bits` (the hidden bit made explicit,
    /// trailing zeros shifted out): two values' products and quotients are exact exactly when
    /// these odd parts multiply out, whatever the exponents.
    @inlinable @inline(__always)
    func oddSignificand(_ bits: UInt64) -> UInt64 {
        let significand = (bits & fractionMask) | UInt64(1) << UInt64(fractionBits)
        return significand >> UInt64(significand.trailingZeroBitCount)
    }
}
