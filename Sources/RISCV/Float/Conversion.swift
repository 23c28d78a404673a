/// Conversions between the formats and 32-bit integers.
extension SoftFloat {
    /// `fcvt.w[u].{s,d}`: rounds to an integer in `mode`; out of range (NaN included) gives the
    /// saturated value the specification's table lists and NV, never NX.
    public static func toInteger(_ w: FloatWidth, _ bits: UInt64, signed: Bool, mode: RoundingMode) -> (UInt32, FloatFlags) {
        let a = UnpackedFloat(bits, w)
        let maxPositive: UInt32 = signed ? 0x7fff_ffff : 0xffff_ffff
        let maxNegative: UInt32 = signed ? 0x8000_0000 : 0
        switch a.kind {
        case .quietNaN, .signalingNaN: return (maxPositive, .invalid)
        case .infinity: return (a.negative ? maxNegative : maxPositive, .invalid)
        case .zero: return (0, [])
        case .finite: break
        }
        // |a| rounded to an integer, kept exactly (anything at or beyond 2^33 is out of range).
        let magnitude: UInt64
        var inexact = false
        if a.exponent >= 0 {
            guard topBit(UInt128(a.significand)) + a.exponent < 33 else {
                return (a.negative ? maxNegative : maxPositive, .invalid)
            }
            magnitude = a.significand << UInt64(a.exponent)
        } else {
            let (kept, dropped) = shiftRight(UInt128(a.significand), by: -a.exponent)
            let up = dropped.increments(mode, negative: a.negative, odd: kept & 1 != 0)
            magnitude = UInt64(truncatingIfNeeded: kept) + (up ? 1 : 0)
            inexact = dropped.inexact
        }
        let flags: FloatFlags = inexact ? .inexact : []
        if a.negative {
            if magnitude == 0 { return (0, flags) }
            if !signed || magnitude > 0x8000_0000 { return (maxNegative, .invalid) }
            return (UInt32(truncatingIfNeeded: 0 &- magnitude), flags)
        }
        if magnitude > UInt64(maxPositive) { return (maxPositive, .invalid) }
        return (UInt32(truncatingIfNeeded: magnitude), flags)
    }

    /// `fcvt.{s,d}.w[u]`: a 32-bit integer rounded to the format (exact for doubles).
    public static func fromInteger(_ w: FloatWidth, _ value: UInt32, signed: Bool, mode: RoundingMode) -> (UInt64, FloatFlags) {
        let negative = signed && Int32(bitPattern: value) < 0
        let magnitude = negative ? 0 &- value : value
        return w.round(negative: negative, exponent: 0, significand: UInt128(magnitude), mode: mode)
    }

    /// `fcvt.s.d` and `fcvt.d.s`: a value of width `from` rounded to width `to`.
    public static func convert(_ bits: UInt64, from: FloatWidth, to: FloatWidth, mode: RoundingMode) -> (UInt64, FloatFlags) {
        let a = UnpackedFloat(bits, from)
        switch a.kind {
        case .quietNaN, .signalingNaN: return nan(to, a)
        case .infinity: return (to.infinity(negative: a.negative), [])
        case .zero: return (to.zero(negative: a.negative), [])
        case .finite:
            return to.round(negative: a.negative, exponent: a.exponent, significand: UInt128(a.significand), mode: mode)
        }
    }
}
