/// Rounding an exact (or sticky-jammed) intermediate result to a format: the one place where
/// rounding modes, overflow, underflow and inexactness are decided.

/// The bits an integer shift drops, as rounding sees them.
@usableFromInline
struct Discarded {
    /// The most significant dropped bit.
    @usableFromInline var round: Bool
    /// Any dropped bit below it.
    @usableFromInline var sticky: Bool

    @inlinable init(round: Bool, sticky: Bool) {
        self.round = round
        self.sticky = sticky
    }

    @inlinable var inexact: Bool { round || sticky }

    /// Whether rounding `kept` (its low bit `odd`) in `mode` adds one unit in the last place.
    @inlinable @inline(__always)
    func increments(_ mode: RoundingMode, negative: Bool, odd: Bool) -> Bool {
        switch mode {
        case .rne: return round && (sticky || odd)
        case .rtz: return false
        case .rdn: return inexact && negative
        case .rup: return inexact && !negative
        case .rmm: return round
        }
    }
}

/// `value >> shift` and what the shift dropped, for any `shift` ≥ 0 (no trapping shifts).
@inlinable @inline(__always)
func shiftRight(_ value: UInt128, by shift: Int) -> (UInt128, Discarded) {
    if shift <= 0 { return (value, Discarded(round: false, sticky: false)) }
    if shift > 128 { return (0, Discarded(round: false, sticky: value != 0)) }
    let kept = shift == 128 ? 0 : value >> UInt128(shift)
    let roundBit = (value >> UInt128(shift - 1)) & 1 != 0
    let below: UInt128 = shift == 1 ? 0 : value & ((1 << UInt128(shift - 1)) - 1)
    return (kept, Discarded(round: roundBit, sticky: below != 0))
}

/// `value >> shift` with every dropped bit ORed into bit 0 ("jamming"): exact enough for a later
/// rounding as long as bit 0 lies well below the rounding position.
@inlinable @inline(__always)
func shiftRightJamming(_ value: UInt128, by shift: Int) -> UInt128 {
    if shift <= 0 { return value }
    if shift >= 128 { return value != 0 ? 1 : 0 }
    let kept = value >> UInt128(shift)
    return value & ((1 << UInt128(shift)) - 1) != 0 ? kept | 1 : kept
}

/// The position of the most significant set bit (`value` ≠ 0).
@inlinable @inline(__always)
func topBit(_ value: UInt128) -> Int { 127 - value.leadingZeroBitCount }

/// `value >> shift` and what the shift dropped, on 64 bits (any `shift` ≥ 0).
@inlinable @inline(__always)
func shiftRight64(_ value: UInt64, by shift: Int) -> (UInt64, Discarded) {
    if shift <= 0 { return (value, Discarded(round: false, sticky: false)) }
    if shift > 64 { return (0, Discarded(round: false, sticky: value != 0)) }
    let kept = shift == 64 ? 0 : value >> UInt64(shift)
    let roundBit = (value >> UInt64(shift - 1)) & 1 != 0
    let below: UInt64 = shift == 1 ? 0 : value & ((1 << UInt64(shift - 1)) - 1)
    return (kept, Discarded(round: roundBit, sticky: below != 0))
}

extension FloatWidth {
    /// Rounds `±significand × 2^exponent` to this format in `mode`. `significand` may carry a
    /// jammed sticky bit in bit 0. A zero significand gives a zero of the given sign.
    ///
    /// A significand wider than 63 bits is first narrowed to 63 with a jamming shift: rounding
    /// to at most 53 bits looks only at the kept bits, the next bit and whether anything below
    /// it is set, and the jammed bit 0 stays at least nine places below that next bit, so the
    /// answer is the same; the rest is 64-bit arithmetic.
    @inlinable
    public func round(negative: Bool, exponent: Int, significand: UInt128, mode: RoundingMode) -> (UInt64, FloatFlags) {
        guard significand != 0 else { return (zero(negative: negative), []) }
        let excess = topBit(significand) - 62
        if excess > 0 {
            return round64(negative: negative, exponent: exponent + excess,
                           significand: UInt64(truncatingIfNeeded: shiftRightJamming(significand, by: excess)), mode: mode)
        }
        return round64(negative: negative, exponent: exponent, significand: UInt64(truncatingIfNeeded: significand), mode: mode)
    }

    /// `round` for a significand of at most 63 bits (nonzero).
    @inlinable
    func round64(negative: Bool, exponent: Int, significand: UInt64, mode: RoundingMode) -> (UInt64, FloatFlags) {
        let p = precision
        let top = exponent + (63 - significand.leadingZeroBitCount)  // exponent of the leading bit
        // The exponent of the result's last place: normal, or fixed in the subnormal range.
        var lsb = max(top, minExponent) - (p - 1)
        var (kept, dropped) = shiftRight64(significand, by: lsb - exponent)
        if lsb < exponent { kept = significand << UInt64(exponent - lsb) }  // exact, fewer than p bits
        if dropped.increments(mode, negative: negative, odd: kept & 1 != 0) { kept += 1 }
        if kept >> UInt64(p) != 0 {  // carried out to 2^p: one more exponent
            kept >>= 1
            lsb += 1
        }
        var flags: FloatFlags = dropped.inexact ? .inexact : []
        let sign: UInt64 = negative ? signMask : 0
        let normal = kept >> UInt64(p - 1) != 0
        if normal && lsb + p - 1 > maxExponent {
            flags.formUnion([.overflow, .inexact])
            switch mode {
            case .rne, .rmm: return (infinity(negative: negative), flags)
            case .rtz: return (largest(negative: negative), flags)
            case .rdn: return (negative ? infinity(negative: true) : largest(negative: false), flags)
            case .rup: return (negative ? largest(negative: true) : infinity(negative: false), flags)
            }
        }
        if top < minExponent && dropped.inexact && isTinyAfterRounding(negative: negative, top: top, exponent: exponent,
                                                                          significand: significand, mode: mode) {
            flags.insert(.underflow)
        }
        if normal {
            let biased = UInt64(lsb + p - 1 + bias)
            return (sign | biased << UInt64(fractionBits) | (kept & fractionMask), flags)
        }
        return (sign | kept, flags)
    }

    /// Tininess after rounding: the value, rounded to `precision` bits as if the exponent range
    /// were unbounded, is still below the smallest normal magnitude. Only a value just below it
    /// (leading bit one below `minExponent`) can round up out of the tiny range.
    @inlinable
    func isTinyAfterRounding(negative: Bool, top: Int, exponent: Int, significand: UInt64, mode: RoundingMode) -> Bool {
        guard top == minExponent - 1 else { return true }
        let lsb = top - (precision - 1)
        let (kept, dropped) = shiftRight64(significand, by: lsb - exponent)
        var rounded = lsb < exponent ? significand << UInt64(exponent - lsb) : kept
        if dropped.increments(mode, negative: negative, odd: rounded & 1 != 0) { rounded += 1 }
        return rounded >> UInt64(precision) == 0
    }
}
