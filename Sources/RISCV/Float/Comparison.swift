/// Comparisons, minimum/maximum, sign injection and classification: exact operations, no rounding.
extension SoftFloat {
    public enum Comparison: UInt8, CaseIterable, Sendable {
        case equal, less, lessOrEqual
    }

    /// `feq` (quiet: NV only for a signalling NaN), `flt` and `fle` (signalling: NV for any NaN).
    /// Any NaN compares false.
    public static func compare(_ w: FloatWidth, _ abits: UInt64, _ bbits: UInt64, _ comparison: Comparison) -> (Bool, FloatFlags) {
        let a = UnpackedFloat(abits, w), b = UnpackedFloat(bbits, w)
        if a.isNaN || b.isNaN {
            let invalid = comparison != .equal || a.isSignaling || b.isSignaling
            return (false, invalid ? .invalid : [])
        }
        let bothZero = a.kind == .zero && b.kind == .zero
        switch comparison {
        case .equal: return (bothZero || abits == bbits, [])
        case .less: return (!bothZero && orderedBefore(w, abits, bbits), [])
        case .lessOrEqual: return (bothZero || abits == bbits || orderedBefore(w, abits, bbits), [])
        }
    }

    /// Whether non-NaN `a` comes before `b` with −0 before +0.
    @inlinable
    static func orderedBefore(_ w: FloatWidth, _ a: UInt64, _ b: UInt64) -> Bool {
        let na = a & w.signMask != 0, nb = b & w.signMask != 0
        if na != nb { return na }
        let ma = a & ~w.signMask, mb = b & ~w.signMask
        return na ? ma > mb : ma < mb
    }

    /// `fmin`/`fmax` (IEEE 754-2019 minimumNumber/maximumNumber, as RISC-V has had them since
    /// version 2.2): a NaN operand gives the other one, two NaNs the canonical NaN, a signalling
    /// NaN raises NV, and −0 is less than +0.
    public static func minMax(_ w: FloatWidth, _ abits: UInt64, _ bbits: UInt64, maximum: Bool) -> (UInt64, FloatFlags) {
        let a = UnpackedFloat(abits, w), b = UnpackedFloat(bbits, w)
        let flags: FloatFlags = a.isSignaling || b.isSignaling ? .invalid : []
        if a.isNaN && b.isNaN { return (w.canonicalNaN, flags) }
        if a.isNaN { return (bbits, flags) }
        if b.isNaN { return (abits, flags) }
        return (orderedBefore(w, abits, bbits) != maximum ? abits : bbits, flags)
    }

    public enum SignInjection: UInt8, CaseIterable, Sendable {
        /// `fsgnj`: b's sign.
        case copy
        /// `fsgnjn`: the opposite of b's sign.
        case negate
        /// `fsgnjx`: a's sign XOR b's.
        case xor
    }

    /// `fsgnj`, `fsgnjn`, `fsgnjx`: a's magnitude with a sign made from the signs.
    public static func injectSign(_ w: FloatWidth, _ a: UInt64, _ b: UInt64, _ kind: SignInjection) -> UInt64 {
        let sign: UInt64
        switch kind {
        case .copy: sign = b & w.signMask
        case .negate: sign = ~b & w.signMask
        case .xor: sign = (a ^ b) & w.signMask
        }
        return (a & ~w.signMask) | sign
    }

    /// `fclass`: one of ten bits (−∞, −normal, −subnormal, −0, +0, +subnormal, +normal, +∞,
    /// signalling NaN, quiet NaN).
    public static func classify(_ w: FloatWidth, _ bits: UInt64) -> UInt32 {
        let a = UnpackedFloat(bits, w)
        let index: UInt32
        switch a.kind {
        case .infinity: index = a.negative ? 0 : 7
        case .zero: index = a.negative ? 3 : 4
        case .finite:
            let subnormal = a.significand >> UInt64(w.fractionBits) == 0
            index = a.negative ? (subnormal ? 2 : 1) : (subnormal ? 5 : 6)
        case .signalingNaN: index = 8
        case .quietNaN: index = 9
        }
        return 1 << index
    }
}
