/// IEEE 754 addition, multiplication, division, square root and fused multiply-add on raw bits,
/// correctly rounded in every mode, with the exception flags, and RISC-V's NaN rule: every NaN
/// result is the canonical NaN (payloads are not propagated); a signalling NaN input raises NV.
public enum SoftFloat {
    /// The canonical NaN, with NV if any input was a signalling NaN (or `invalid` says so).
    @inlinable
    static func nan(_ w: FloatWidth, _ inputs: UnpackedFloat..., invalid: Bool = false) -> (UInt64, FloatFlags) {
        (w.canonicalNaN, invalid || inputs.contains { $0.isSignaling } ? .invalid : [])
    }

    /// The sum of two exact zeros or of exactly cancelling values: +0, or −0 when rounding down
    /// (and −0 when both were −0).
    @inlinable
    static func zeroSum(_ w: FloatWidth, _ a: Bool, _ b: Bool, _ mode: RoundingMode) -> UInt64 {
        w.zero(negative: a == b ? a : mode == .rdn)
    }

    /// `±sa × 2^ea + ±sb × 2^eb`, both nonzero, rounded once. The significands are aligned at
    /// bit 125 (two bits of headroom) and the smaller one is shifted right with a jammed sticky
    /// bit: when the exponents differ by two or more the result keeps its leading bit within one
    /// place, so the sticky bit stays far below the rounding position; when they differ by one or
    /// less, the shift drops nothing (inputs have at most 106 significant bits).
    @inlinable
    static func addFinite(
        _ w: FloatWidth, _ na: Bool, _ ea: Int, _ sa: UInt128, _ nb: Bool, _ eb: Int, _ sb: UInt128, _ mode: RoundingMode
    ) -> (UInt64, FloatFlags) {
        let ka = 125 - topBit(sa), kb = 125 - topBit(sb)
        var (xa, xe, xs) = (na, ea - ka, sa << UInt128(ka))
        var (ya, ye, ys) = (nb, eb - kb, sb << UInt128(kb))
        if ye > xe { swap(&xa, &ya); swap(&xe, &ye); swap(&xs, &ys) }
        ys = shiftRightJamming(ys, by: xe - ye)
        if xa == ya { return w.round(negative: xa, exponent: xe, significand: xs + ys, mode: mode) }
        if xs == ys { return (zeroSum(w, false, true, mode), []) }
        if xs > ys { return w.round(negative: xa, exponent: xe, significand: xs - ys, mode: mode) }
        return w.round(negative: ya, exponent: xe, significand: ys - xs, mode: mode)
    }

    /// `a + b` (`subtract`: `a − b`).
    public static func add(_ w: FloatWidth, _ abits: UInt64, _ bbits: UInt64, subtract: Bool = false, mode: RoundingMode) -> (UInt64, FloatFlags) {
        let a = UnpackedFloat(abits, w)
        var b = UnpackedFloat(bbits, w)
        if subtract { b.negative.toggle() }
        if a.isNaN || b.isNaN { return nan(w, a, b) }
        switch (a.kind, b.kind) {
        case (.infinity, .infinity):
            return a.negative == b.negative ? (w.infinity(negative: a.negative), []) : nan(w, invalid: true)
        case (.infinity, _): return (w.infinity(negative: a.negative), [])
        case (_, .infinity): return (w.infinity(negative: b.negative), [])
        case (.zero, .zero): return (zeroSum(w, a.negative, b.negative, mode), [])
        case (.zero, _): return ((bbits & ~w.signMask) | (b.negative ? w.signMask : 0), [])
        case (_, .zero): return (abits, [])
        default:
            return addFinite(w, a.negative, a.exponent, UInt128(a.significand), b.negative, b.exponent, UInt128(b.significand), mode)
        }
    }

    /// `a × b`.
    public static func multiply(_ w: FloatWidth, _ abits: UInt64, _ bbits: UInt64, mode: RoundingMode) -> (UInt64, FloatFlags) {
        let a = UnpackedFloat(abits, w), b = UnpackedFloat(bbits, w)
        let negative = a.negative != b.negative
        if a.isNaN || b.isNaN { return nan(w, a, b) }
        switch (a.kind, b.kind) {
        case (.infinity, .zero), (.zero, .infinity): return nan(w, invalid: true)
        case (.infinity, _), (_, .infinity): return (w.infinity(negative: negative), [])
        case (.zero, _), (_, .zero): return (w.zero(negative: negative), [])
        default:
            return w.round(negative: negative, exponent: a.exponent + b.exponent,
                           significand: UInt128(a.significand) * UInt128(b.significand), mode: mode)
        }
    }

    /// `a ÷ b`.
    public static func divide(_ w: FloatWidth, _ abits: UInt64, _ bbits: UInt64, mode: RoundingMode) -> (UInt64, FloatFlags) {
        let a = UnpackedFloat(abits, w), b = UnpackedFloat(bbits, w)
        let negative = a.negative != b.negative
        if a.isNaN || b.isNaN { return nan(w, a, b) }
        switch (a.kind, b.kind) {
        case (.infinity, .infinity), (.zero, .zero): return nan(w, invalid: true)
        case (.infinity, _): return (w.infinity(negative: negative), [])
        case (_, .infinity): return (w.zero(negative: negative), [])
        case (.zero, _): return (w.zero(negative: negative), [])
        case (_, .zero): return (w.infinity(negative: negative), .divideByZero)
        default:
            // Dividend's leading bit at 126, divisor's at 63: a quotient of 63 or 64 bits, the
            // remainder as the sticky bit.
            let ka = 126 - topBit(UInt128(a.significand)), kb = 63 - topBit(UInt128(b.significand))
            let dividend = UInt128(a.significand) << UInt128(ka)
            let divisor = UInt128(b.significand) << UInt128(kb)
            let (q, r) = dividend.quotientAndRemainder(dividingBy: divisor)
            return w.round(negative: negative, exponent: (a.exponent - ka) - (b.exponent - kb),
                           significand: r != 0 ? q | 1 : q, mode: mode)
        }
    }

    /// `√a`.
    public static func squareRoot(_ w: FloatWidth, _ abits: UInt64, mode: RoundingMode) -> (UInt64, FloatFlags) {
        let a = UnpackedFloat(abits, w)
        if a.isNaN { return nan(w, a) }
        switch a.kind {
        case .zero: return (abits, [])  // √±0 = ±0
        case _ where a.negative: return nan(w, invalid: true)
        case .infinity: return (abits, [])
        default:
            // Leading bit at 2(p+2) or one above, so that the exponent is even: a root of p+2 or
            // p+3 bits (the rounding needs p+2 and a sticky bit; more would only cost time).
            var k = 2 * (w.precision + 2) + 1 - topBit(UInt128(a.significand))
            if (a.exponent - k) & 1 != 0 { k -= 1 }
            let (root, exact) = integerSquareRoot(UInt128(a.significand) << UInt128(k))
            return w.round(negative: false, exponent: (a.exponent - k) / 2, significand: exact ? root : root | 1, mode: mode)
        }
    }

    /// ⌊√n⌋ and whether it is exact, for n < 2^126. The host's square root of a nearby
    /// double gives an estimate within a few units; integer arithmetic then moves it to the
    /// exact floor (r² ≤ n < (r+1)²), so the answer never depends on the host's rounding.
    @inlinable
    public static func integerSquareRoot(_ n: UInt128) -> (UInt128, Bool) {
        let high = Double(UInt64(truncatingIfNeeded: n >> 64)), low = Double(UInt64(truncatingIfNeeded: n))
        let estimate = (high * 0x1p64 + low).squareRoot()
        // √n < 2^63: the estimate fits (clamped against any surprise from the host).
        var r = estimate < 0x1p63 ? UInt128(UInt64(max(estimate, 0))) : UInt128(1) << 63 - 1
        while r * r > n { r -= 1 }
        while (r + 1) * (r + 1) <= n { r += 1 }
        return (r, r * r == n)
    }

    /// `±(a × b) ± c` with one rounding: `negateProduct` and `negateAddend` give fmadd (neither),
    /// fmsub (addend), fnmsub (product) and fnmadd (both). ∞ × 0 is invalid even when `c` is a
    /// quiet NaN, as RISC-V requires.
    public static func fusedMultiplyAdd(
        _ w: FloatWidth, _ abits: UInt64, _ bbits: UInt64, _ cbits: UInt64,
        negateProduct: Bool, negateAddend: Bool, mode: RoundingMode
    ) -> (UInt64, FloatFlags) {
        let a = UnpackedFloat(abits, w), b = UnpackedFloat(bbits, w)
        var c = UnpackedFloat(cbits, w)
        if negateAddend { c.negative.toggle() }
        let product = (a.negative != b.negative) != negateProduct
        let invalidProduct = (a.kind == .infinity && b.kind == .zero) || (a.kind == .zero && b.kind == .infinity)
        if a.isNaN || b.isNaN || c.isNaN { return nan(w, a, b, c, invalid: invalidProduct) }
        if invalidProduct { return nan(w, invalid: true) }
        if a.kind == .infinity || b.kind == .infinity {
            if c.kind == .infinity && c.negative != product { return nan(w, invalid: true) }
            return (w.infinity(negative: product), [])
        }
        if c.kind == .infinity { return (w.infinity(negative: c.negative), []) }
        if a.kind == .zero || b.kind == .zero {
            if c.kind == .zero { return (zeroSum(w, product, c.negative, mode), []) }
            return ((cbits & ~w.signMask) | (c.negative ? w.signMask : 0), [])
        }
        let ps = UInt128(a.significand) * UInt128(b.significand), pe = a.exponent + b.exponent
        if c.kind == .zero { return w.round(negative: product, exponent: pe, significand: ps, mode: mode) }
        return addFinite(w, product, pe, ps, c.negative, c.exponent, UInt128(c.significand), mode)
    }
}
