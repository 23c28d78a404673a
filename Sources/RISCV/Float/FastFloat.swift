/// The common cases of the F and D operations computed with the host's `Float` and `Double`,
/// bit-identical to `SoftFloat` in result and flags, or nil when the case is not a common one and
/// `SoftFloat` must decide.
///
/// A fast case rounds to nearest even (the host's own mode), has normal operands, and a result
/// that is finite and above the smallest normal: then the host's result is the correctly rounded
/// one, no overflow or underflow can have happened (to nearest, an overflow gives ∞; above the
/// smallest normal nothing is tiny), and only the inexact flag is left to decide. It is decided
/// exactly, without the host's flags:
/// - a sum by TwoSum (Knuth): `s = a + b` and the rounding error `(a − a') + (b − b')` with
///   `b' = s − a`, `a' = s − b'`, itself exact; NX when it is not zero;
/// - a product, quotient or root by integer arithmetic on the significands' odd parts: `a × b`
///   is representable when odd(a)·odd(b) fits the precision; the correctly rounded `q = a ÷ b` is
///   exact when odd(q)·odd(b) = odd(a), and `r = √a` when odd(r)² = odd(a) (equal odd parts make
///   the two sides differ by a power of two, and a rounded result is within one part in 2^p, so
///   that power is 1).
/// Half precision, NaNs, infinities, zeros, subnormals, the other rounding modes and results at
/// the edges of the range all return nil.
public enum FastFloat {
    /// `a + b` (`subtract`: `a − b`). Operands have exponents below the largest by two or more, so
    /// that neither the sum nor any step of TwoSum can overflow; a sum below the smallest normal
    /// is exact (a multiple of the smallest subnormal), so it needs no check.
    @inlinable @inline(__always)
    public static func add(_ w: FloatWidth, _ a: UInt64, _ b: UInt64, subtract: Bool, mode: RoundingMode) -> (UInt64, FloatFlags)? {
        guard mode == .rne else { return nil }
        switch w {
        case .single: return add(Float.self, a, b, subtract: subtract)
        case .double: return add(Double.self, a, b, subtract: subtract)
        case .half: return nil
        }
    }

    @inlinable @inline(__always)
    static func add<F: HostFloat>(_: F.Type, _ a: UInt64, _ b: UInt64, subtract: Bool) -> (UInt64, FloatFlags)? {
        let w = F.width
        guard w.isNormal(a, margin: 1), w.isNormal(b, margin: 1) else { return nil }
        let x = F(rawBits: a), y = subtract ? -F(rawBits: b) : F(rawBits: b)
        let s = x + y
        let yRounded = s - x, xRounded = s - yRounded
        let error = (x - xRounded) + (y - yRounded)
        return (s.rawBits, error == 0 ? [] : .inexact)
    }

    /// `a × b`.
    @inlinable @inline(__always)
    public static func multiply(_ w: FloatWidth, _ a: UInt64, _ b: UInt64, mode: RoundingMode) -> (UInt64, FloatFlags)? {
        guard mode == .rne else { return nil }
        switch w {
        case .single: return multiply(Float.self, a, b)
        case .double: return multiply(Double.self, a, b)
        case .half: return nil
        }
    }

    @inlinable @inline(__always)
    static func multiply<F: HostFloat>(_: F.Type, _ a: UInt64, _ b: UInt64) -> (UInt64, FloatFlags)? {
        let w = F.width
        guard w.isNormal(a), w.isNormal(b) else { return nil }
        let r = (F(rawBits: a) * F(rawBits: b)).rawBits
        guard w.isSafelyNormal(r) else { return nil }
        let product = w.oddSignificand(a).multipliedFullWidth(by: w.oddSignificand(b))
        let exact = product.high == 0 && product.low >> UInt64(w.precision) == 0
        return (r, exact ? [] : .inexact)
    }

    /// `a ÷ b`.
    @inlinable @inline(__always)
    public static func divide(_ w: FloatWidth, _ a: UInt64, _ b: UInt64, mode: RoundingMode) -> (UInt64, FloatFlags)? {
        guard mode == .rne else { return nil }
        switch w {
        case .single: return divide(Float.self, a, b)
        case .double: return divide(Double.self, a, b)
        case .half: return nil
        }
    }

    @inlinable @inline(__always)
    static func divide<F: HostFloat>(_: F.Type, _ a: UInt64, _ b: UInt64) -> (UInt64, FloatFlags)? {
        let w = F.width
        guard w.isNormal(a), w.isNormal(b) else { return nil }
        let q = (F(rawBits: a) / F(rawBits: b)).rawBits
        guard w.isSafelyNormal(q) else { return nil }
        let product = w.oddSignificand(q).multipliedFullWidth(by: w.oddSignificand(b))
        let exact = product.high == 0 && product.low == w.oddSignificand(a)
        return (q, exact ? [] : .inexact)
    }

    /// `√a`: a positive normal's root is normal.
    @inlinable @inline(__always)
    public static func squareRoot(_ w: FloatWidth, _ a: UInt64, mode: RoundingMode) -> (UInt64, FloatFlags)? {
        guard mode == .rne else { return nil }
        switch w {
        case .single: return squareRoot(Float.self, a)
        case .double: return squareRoot(Double.self, a)
        case .half: return nil
        }
    }

    @inlinable @inline(__always)
    static func squareRoot<F: HostFloat>(_: F.Type, _ a: UInt64) -> (UInt64, FloatFlags)? {
        let w = F.width
        guard a & w.signMask == 0, w.isNormal(a) else { return nil }
        let r = F(rawBits: a).squareRoot().rawBits
        let odd = w.oddSignificand(r)
        let square = odd.multipliedFullWidth(by: odd)
        let exact = square.high == 0 && square.low == w.oddSignificand(a)
        return (r, exact ? [] : .inexact)
    }

    /// `±(a × b) ± c` with one rounding (the host's fused multiply-add). Exactness is decided on
    /// integers: the product of the odd significands (at most 106 bits) and the addend's, aligned
    /// on the lower exponent, fit 128 bits when the exponents are close enough (otherwise nil),
    /// and the exact sum is representable when its set bits span at most the precision. An
    /// exactly cancelling sum is +0 to nearest, as the host gives it.
    @inlinable @inline(__always)
    public static func fusedMultiplyAdd(
        _ w: FloatWidth, _ a: UInt64, _ b: UInt64, _ c: UInt64, negateProduct: Bool, negateAddend: Bool, mode: RoundingMode
    ) -> (UInt64, FloatFlags)? {
        guard mode == .rne else { return nil }
        switch w {
        case .single: return fusedMultiplyAdd(Float.self, a, b, c, negateProduct: negateProduct, negateAddend: negateAddend)
        case .double: return fusedMultiplyAdd(Double.self, a, b, c, negateProduct: negateProduct, negateAddend: negateAddend)
        case .half: return nil
        }
    }

    @inlinable @inline(__always)
    static func fusedMultiplyAdd<F: HostFloat>(
        _: F.Type, _ a: UInt64, _ b: UInt64, _ c: UInt64, negateProduct: Bool, negateAddend: Bool
    ) -> (UInt64, FloatFlags)? {
        let w = F.width
        guard w.isNormal(a), w.isNormal(b), w.isNormal(c) else { return nil }
        let x = negateProduct ? -F(rawBits: a) : F(rawBits: a), z = negateAddend ? -F(rawBits: c) : F(rawBits: c)
        let r = z.addingProduct(x, F(rawBits: b)).rawBits
        // Each operand is odd × 2^e; the product's exponent is the sum.
        func exponent(_ v: UInt64) -> Int {
            Int(truncatingIfNeeded: w.biasedExponent(v)) &- w.bias &- w.fractionBits
                &+ (((v & w.fractionMask) | UInt64(1) << UInt64(w.fractionBits)).trailingZeroBitCount)
        }
        let product = UInt128(w.oddSignificand(a)) &* UInt128(w.oddSignificand(b)), addend = UInt128(w.oddSignificand(c))
        let shift = (exponent(a) &+ exponent(b)) &- exponent(c)
        let productBits = 128 &- product.leadingZeroBitCount, addendBits = 128 &- addend.leadingZeroBitCount
        let p: UInt128, q: UInt128
        if shift >= 0 {
            guard shift <= 126 &- productBits else { return nil }
            (p, q) = (product << UInt128(shift), addend)
        } else {
            guard 0 &- shift <= 126 &- addendBits else { return nil }
            (p, q) = (product, addend << UInt128(0 &- shift))
        }
        let productNegative = ((a ^ b) & w.signMask != 0) != negateProduct
        let addendNegative = (c & w.signMask != 0) != negateAddend
        let sum = productNegative == addendNegative ? p &+ q : p > q ? p &- q : q &- p
        if sum == 0 { return r & ~w.signMask == 0 ? (r, []) : nil }
        guard w.isSafelyNormal(r) else { return nil }
        let span = (128 &- sum.leadingZeroBitCount) &- sum.trailingZeroBitCount
        return (r, span <= w.precision ? [] : .inexact)
    }

    /// `feq`, `flt`, `fle` on two non-NaN values: the host's comparison (−0 = +0), no flags.
    @inlinable @inline(__always)
    public static func compare(_ w: FloatWidth, _ a: UInt64, _ b: UInt64, _ comparison: SoftFloat.Comparison) -> Bool? {
        switch w {
        case .single: return compare(Float.self, a, b, comparison)
        case .double: return compare(Double.self, a, b, comparison)
        case .half: return nil
        }
    }

    @inlinable @inline(__always)
    static func compare<F: HostFloat>(_: F.Type, _ a: UInt64, _ b: UInt64, _ comparison: SoftFloat.Comparison) -> Bool? {
        let x = F(rawBits: a), y = F(rawBits: b)
        guard !x.isNaN, !y.isNaN else { return nil }
        switch comparison {
        case .equal: return x == y
        case .less: return x < y
        case .lessOrEqual: return x <= y
        }
    }

    /// `fcvt.w[u].{s,d}` towards zero (C's conversion) of a value whose truncation is in range:
    /// the host's truncating conversion; NX when the integer differs from the value.
    @inlinable @inline(__always)
    public static func toInteger(_ w: FloatWidth, _ a: UInt64, signed: Bool, mode: RoundingMode) -> (UInt32, FloatFlags)? {
        guard mode == .rtz else { return nil }
        switch w {
        case .single: return toInteger(Float.self, a, signed: signed)
        case .double: return toInteger(Double.self, a, signed: signed)
        case .half: return nil
        }
    }

    @inlinable @inline(__always)
    static func toInteger<F: HostFloat>(_: F.Type, _ a: UInt64, signed: Bool) -> (UInt32, FloatFlags)? {
        let x = F(rawBits: a)
        // The bounds are exact in both formats (−2^31 − 1 is not a single, but no single lies
        // strictly between it and −2^31, so −2^31 itself is the single bound). NaN fails both.
        if signed {
            guard x > -2_147_483_649 || x == -2_147_483_648, x < 2_147_483_648 else { return nil }
            let i = Int32(x)
            return (UInt32(bitPattern: i), F(i) == x ? [] : .inexact)
        }
        guard x > -1, x < 4_294_967_296 else { return nil }
        let u = UInt32(x)
        return (u, F(u) == x ? [] : .inexact)
    }

    /// `fcvt.{s,d}.w[u]`: exact for doubles in any mode; for singles, rounded to nearest by the
    /// host, NX when the single differs from the integer (both exact as doubles).
    @inlinable @inline(__always)
    public static func fromInteger(_ w: FloatWidth, _ value: UInt32, signed: Bool, mode: RoundingMode) -> (UInt64, FloatFlags)? {
        let wide = signed ? Double(Int32(bitPattern: value)) : Double(value)
        switch w {
        case .double: return (wide.bitPattern, [])
        case .single:
            guard mode == .rne else { return nil }
            let single = signed ? Float(Int32(bitPattern: value)) : Float(value)
            return (UInt64(single.bitPattern), Double(single) == wide ? [] : .inexact)
        case .half: return nil
        }
    }

    /// `fcvt.d.s` (exact, subnormals included) and `fcvt.s.d` to nearest of zero or of a value
    /// whose single is above the smallest normal; NaNs and everything else return nil.
    @inlinable @inline(__always)
    public static func convert(_ bits: UInt64, from: FloatWidth, to: FloatWidth, mode: RoundingMode) -> (UInt64, FloatFlags)? {
        switch (from, to) {
        case (.single, .double):
            let x = Float(rawBits: bits)
            return x.isNaN ? nil : (Double(x).bitPattern, [])
        case (.double, .single):
            guard mode == .rne else { return nil }
            let x = Double(bitPattern: bits), r = Float(x)
            if x == 0 { return (r.rawBits, []) }
            guard FloatWidth.single.isSafelyNormal(r.rawBits) else { return nil }
            return (r.rawBits, Double(r) == x ? [] : .inexact)
        default: return nil
        }
    }
}
