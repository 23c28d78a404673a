/// A floating-point value taken apart: what the arithmetic works on.
///
/// A finite nonzero value is `significand × 2^exponent` exactly (the hidden bit made explicit,
/// subnormals with the minimum exponent), so arithmetic on it is integer arithmetic.
public struct UnpackedFloat: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case zero, finite, infinity, quietNaN, signalingNaN }

    public var negative: Bool
    public var kind: Kind
    public var exponent: Int
    public var significand: UInt64

    @inlinable
    public init(negative: Bool, kind: Kind, exponent: Int = 0, significand: UInt64 = 0) {
        self.negative = negative
        self.kind = kind
        self.exponent = exponent
        self.significand = significand
    }

    /// Takes apart the raw bits of a value of width `w` (upper bits beyond the width ignored).
    @inlinable @inline(__always)
    public init(_ bits: UInt64, _ w: FloatWidth) {
        let fractionBits = UInt64(w.fractionBits)
        let biased = (bits >> fractionBits) & w.exponentField
        let fraction = bits & w.fractionMask
        negative = bits & w.signMask != 0
        exponent = 0
        significand = 0
        if biased == w.exponentField {
            kind = fraction == 0 ? .infinity : fraction & w.quietBit != 0 ? .quietNaN : .signalingNaN
        } else if biased == 0 {
            kind = fraction == 0 ? .zero : .finite
            exponent = w.minExponent - w.fractionBits
            significand = fraction
        } else {
            kind = .finite
            exponent = Int(biased) - w.bias - w.fractionBits
            significand = fraction | 1 << fractionBits
        }
    }

    @inlinable @inline(__always) public var isNaN: Bool { kind == .quietNaN || kind == .signalingNaN }
    @inlinable @inline(__always) public var isSignaling: Bool { kind == .signalingNaN }
}
