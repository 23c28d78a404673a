import RISCV

/// Random floating-point operands drawn towards the edges: zeros, infinities, NaNs of both kinds
/// with random payloads, subnormals, the smallest and largest normals, values near 1 and near
/// the integer range, huge and tiny exponents, and plain random bits.
public enum FloatEdges {
    /// An f register's starting value for the fuzzers: an edge value of a random width (half,
    /// single or double), NaN-boxed as its width wants, except in f31, left as it is (a single
    /// or half there is improperly boxed and reads as the canonical NaN).
    public static func register<G: RandomNumberGenerator>(_ r: Int, using g: inout G) -> UInt64 {
        let w = FloatWidth.allCases[Int.random(in: 0..<FloatWidth.allCases.count, using: &g)]
        let v = value(w, using: &g)
        return r == 31 ? v : w.box(v)
    }

    public static func value<G: RandomNumberGenerator>(_ w: FloatWidth, using g: inout G) -> UInt64 {
        let sign: UInt64 = Bool.random(using: &g) ? w.signMask : 0
        let fraction = UInt64.random(in: 0...UInt64.max, using: &g) & w.fractionMask
        let f = UInt64(w.fractionBits)
        func exp(_ e: Int) -> UInt64 { UInt64(max(0, min(e + w.bias, Int(w.exponentField)))) << f }
        switch Int.random(in: 0..<16, using: &g) {
        case 0: return sign  // ±0
        case 1: return sign | w.exponentField << f  // ±∞
        case 2: return sign | w.exponentField << f | w.quietBit | fraction  // quiet NaN, any payload
        case 3: return sign | w.exponentField << f | max(1, fraction & ~w.quietBit)  // signalling NaN
        case 4: return sign | max(1, fraction >> UInt64.random(in: 0...f, using: &g))  // subnormal
        case 5: return sign | exp(w.minExponent) | fraction >> UInt64.random(in: 0...f, using: &g)  // smallest normals
        case 6: return sign | exp(w.maxExponent) | (w.fractionMask ^ (fraction >> UInt64.random(in: 0...f, using: &g)))  // largest
        case 7: return sign | exp(Int.random(in: -3...3, using: &g)) | fraction  // near 1
        case 8:  // near the int32 range (for halves, which never reach it: near the largest)
            return sign | exp(Int.random(in: min(28, w.maxExponent - 5)...min(33, w.maxExponent), using: &g)) | fraction
        case 9:  // small integers and halves (rounding ties)
            let k = UInt64.random(in: 0...16, using: &g)
            return sign | exp(Int.random(in: -1...5, using: &g)) | (fraction & ~(w.fractionMask >> k))
        case 10: return sign | exp(Int.random(in: w.minExponent...(w.minExponent + w.precision + 2), using: &g)) | fraction  // tiny
        case 11: return sign | exp(Int.random(in: (w.maxExponent - w.precision - 2)...w.maxExponent, using: &g)) | fraction  // huge
        case 12:  // short significands: products and sums are often exact or halfway
            return sign | exp(Int.random(in: -20...20, using: &g)) | (fraction & ~(w.fractionMask >> 4))
        default: return UInt64.random(in: 0...UInt64.max, using: &g) & ~w.boxBits
        }
    }
}
