import RISCV
import TestSupport
import Testing

/// Half precision (Zfh): the soft-float at width `.half` against hand-derived edge cases (results
/// and flags, every rounding mode), and against an independent oracle built on the host's
/// `Float16`: every result is computed exactly (or rounded to odd) in `Double`, then rounded to a
/// half in each of the five modes with the host's own round-to-nearest conversion and neighbour
/// steps, the flags read off the way IEEE 754 defines them (tininess after rounding).
@Suite struct HalfPrecisionTests {
    let nx = FloatFlags.inexact, uf = FloatFlags.underflow, of = FloatFlags.overflow
    let dz = FloatFlags.divideByZero, nv = FloatFlags.invalid
    typealias H = HalfOracle

    static let one: UInt64 = 0x3c00, two: UInt64 = 0x4000, three: UInt64 = 0x4200, half: UInt64 = 0x3800
    static let inf: UInt64 = 0x7c00, negInf: UInt64 = 0xfc00, negZero: UInt64 = 0x8000
    static let qnan: UInt64 = 0x7e00, snan: UInt64 = 0x7c01
    static let maxH: UInt64 = 0x7bff, minNormal: UInt64 = 0x0400, minSub: UInt64 = 1

    @Test func formatParameters() {
        let h = FloatWidth.half
        #expect(h.fractionBits == 10 && h.precision == 11 && h.exponentBits == 5 && h.bias == 15)
        #expect(h.canonicalNaN == 0x7e00 && h.signMask == 0x8000 && h.largest(negative: false) == 0x7bff)
        #expect(h.infinity(negative: true) == 0xfc00 && h.size == 2 && h.fmt == 2)
        // The other formats keep theirs.
        #expect(FloatWidth.single.canonicalNaN == 0x7fc0_0000 && FloatWidth.double.canonicalNaN == 0x7ff8_0000_0000_0000)
        #expect(FloatWidth.single.bias == 127 && FloatWidth.double.bias == 1023)
    }

    @Test func nanBoxing() {
        #expect(FloatWidth.half.unbox(0xffff_ffff_ffff_3c00) == Self.one)
        #expect(FloatWidth.half.unbox(0xffff_ffff_fffe_3c00) == Self.qnan)  // one bit short of boxed
        #expect(FloatWidth.half.unbox(0xffff_ffff_0000_3c00) == Self.qnan)  // boxed as a single is not as a half
        #expect(FloatWidth.half.unbox(0x3c00) == Self.qnan)
        #expect(FloatWidth.half.box(0x1234_3c00) == 0xffff_ffff_ffff_3c00)
        #expect(FloatOp.add.apply(.half, 0x3c00, 0xffff_ffff_ffff_3c00, 0, mode: .rne) == (0xffff_ffff_ffff_7e00, []))
        #expect(FloatOp.add.apply(.half, 0xffff_ffff_ffff_3c00, 0xffff_ffff_ffff_3c00, 0, mode: .rne) == (0xffff_ffff_ffff_4000, []))
        // An improperly boxed input is the canonical NaN: fclass says quiet NaN, fsgnjn flips its sign.
        #expect(FloatOp.classify.apply(.half, 0xffff_0000_ffff_0000, 0, 0, mode: .rne).0 == 1 << 9)
        #expect(FloatOp.sgnjn.apply(.half, 0x1234, 0xffff_ffff_ffff_0000, 0, mode: .rne) == (0xffff_ffff_ffff_fe00, []))
        // fmv.x.h: the low 16 bits, boxed or not, sign-extended; fmv.h.x boxes the low 16 bits of x.
        #expect(FloatOp.moveToInt.apply(.half, 0xffff_ffff_ffff_8001, 0, 0, mode: .rne).0 == 0xffff_8001)
        #expect(FloatOp.moveToInt.apply(.half, 0x1234_5678_9abc_7ff0, 0, 0, mode: .rne).0 == 0x7ff0)
        #expect(FloatOp.moveFromInt.apply(.half, 0xdead_beef, 0, 0, mode: .rne) == (0xffff_ffff_ffff_beef, []))
        // Conversions unbox their source as its own width.
        #expect(FloatOp.convertFromHalf.apply(.single, 0xffff_ffff_ffff_3c00, 0, 0, mode: .rne) == (0xffff_ffff_3f80_0000, []))
        #expect(FloatOp.convertFromHalf.apply(.double, 0xffff_ffff_0000_3c00, 0, 0, mode: .rne) == (0x7ff8_0000_0000_0000, []))
        #expect(FloatOp.convertFromSingle.apply(.half, 0xffff_ffff_3f80_0000, 0, 0, mode: .rne) == (0xffff_ffff_ffff_3c00, []))
        #expect(FloatOp.convertFromDouble.apply(.half, 0x3ff0_0000_0000_0000, 0, 0, mode: .rne) == (0xffff_ffff_ffff_3c00, []))
    }

    @Test func specialValues() {
        #expect(SoftFloat.add(.half, Self.inf, Self.negInf, mode: .rne) == (Self.qnan, nv))
        #expect(SoftFloat.add(.half, Self.snan, Self.one, mode: .rne) == (Self.qnan, nv))
        #expect(SoftFloat.add(.half, 0x7e55, Self.one, mode: .rne) == (Self.qnan, []))  // payload dropped
        #expect(SoftFloat.add(.half, 0, Self.negZero, mode: .rne) == (0, []))
        #expect(SoftFloat.add(.half, 0, Self.negZero, mode: .rdn) == (Self.negZero, []))
        #expect(SoftFloat.add(.half, Self.one, Self.one, subtract: true, mode: .rdn) == (Self.negZero, []))
        #expect(SoftFloat.divide(.half, Self.one, 0, mode: .rne) == (Self.inf, dz))
        #expect(SoftFloat.divide(.half, Self.one, Self.negZero, mode: .rne) == (Self.negInf, dz))
        #expect(SoftFloat.divide(.half, 0, 0, mode: .rne) == (Self.qnan, nv))
        #expect(SoftFloat.squareRoot(.half, Self.negZero, mode: .rne) == (Self.negZero, []))
        #expect(SoftFloat.squareRoot(.half, Self.one | Self.negZero, mode: .rne) == (Self.qnan, nv))
        #expect(SoftFloat.multiply(.half, Self.inf, 0, mode: .rne) == (Self.qnan, nv))
        #expect(SoftFloat.fusedMultiplyAdd(.half, Self.inf, 0, Self.qnan, negateProduct: false, negateAddend: false, mode: .rne) == (Self.qnan, nv))
        // min/max: −0 < +0, a NaN gives the other operand, a signalling one raises NV.
        #expect(SoftFloat.minMax(.half, 0, Self.negZero, maximum: false) == (Self.negZero, []))
        #expect(SoftFloat.minMax(.half, 0, Self.negZero, maximum: true) == (0, []))
        #expect(SoftFloat.minMax(.half, Self.snan, Self.one, maximum: false) == (Self.one, nv))
        #expect(SoftFloat.minMax(.half, Self.qnan, 0x7e01, maximum: true) == (Self.qnan, []))
        // Comparisons: feq is quiet, flt/fle signal on any NaN.
        #expect(SoftFloat.compare(.half, Self.qnan, Self.one, .equal) == (false, []))
        #expect(SoftFloat.compare(.half, Self.snan, Self.one, .equal) == (false, nv))
        #expect(SoftFloat.compare(.half, Self.qnan, Self.one, .less) == (false, nv))
        #expect(SoftFloat.compare(.half, Self.negZero, 0, .lessOrEqual) == (true, []))
        #expect(SoftFloat.compare(.half, Self.negZero, 0, .less) == (false, []))
        #expect(SoftFloat.compare(.half, 0xbc00, Self.minSub, .less) == (true, []))
        // fclass: each of the ten classes.
        let classes: [(UInt64, UInt32)] = [(Self.negInf, 1 << 0), (0xbc00, 1 << 1), (0x8001, 1 << 2), (Self.negZero, 1 << 3), (0, 1 << 4),
                                           (0x03ff, 1 << 5), (Self.maxH, 1 << 6), (Self.inf, 1 << 7), (Self.snan, 1 << 8), (Self.qnan, 1 << 9)]
        for (v, c) in classes { #expect(SoftFloat.classify(.half, v) == c, "\(v)") }
    }

    /// 1 + 2^-11 is halfway between 1 and its successor: each mode's answer.
    @Test func everyModeOnAHalfwayCase() {
        let tieBit: UInt64 = 0x1000  // 2^-11
        let up = Self.one + 1
        let expected: [(RoundingMode, UInt64, UInt64)] = [(.rne, Self.one, 0xbc00), (.rtz, Self.one, 0xbc00), (.rdn, Self.one, 0xbc01),
                                                          (.rup, up, 0xbc00), (.rmm, up, 0xbc01)]
        for (mode, positive, negative) in expected {
            #expect(SoftFloat.add(.half, Self.one, tieBit, mode: mode) == (positive, nx), "\(mode)")
            #expect(SoftFloat.add(.half, Self.one | Self.negZero, tieBit | Self.negZero, mode: mode) == (negative, nx), "\(mode)")
        }
        // (1 + 2^-10) + 2^-11: halfway with an odd last place; even is up.
        #expect(SoftFloat.add(.half, up, tieBit, mode: .rne) == (up + 1, nx))
    }

    @Test func overflowInEveryMode() {
        let m = Self.maxH, n = Self.negZero
        let expected: [(RoundingMode, UInt64, UInt64)] = [(.rne, Self.inf, Self.negInf), (.rtz, m, m | n), (.rdn, m, Self.negInf),
                                                          (.rup, Self.inf, m | n), (.rmm, Self.inf, Self.negInf)]
        for (mode, positive, negative) in expected {
            #expect(SoftFloat.multiply(.half, m, Self.two, mode: mode) == (positive, [of, nx]), "\(mode)")
            #expect(SoftFloat.multiply(.half, m | n, Self.two, mode: mode) == (negative, [of, nx]), "\(mode)")
        }
        // 65504 + 16 = 65520 is the midpoint between the largest half and 2^16: nearest (even)
        // overflows, towards zero it is the largest half and no overflow (65520 rounds to 65504
        // with an unbounded exponent).
        let sixteen: UInt64 = 0x4c00, eight: UInt64 = 0x4800
        #expect(SoftFloat.add(.half, m, sixteen, mode: .rne) == (Self.inf, [of, nx]))
        #expect(SoftFloat.add(.half, m, sixteen, mode: .rmm) == (Self.inf, [of, nx]))
        #expect(SoftFloat.add(.half, m, sixteen, mode: .rtz) == (m, nx))
        #expect(SoftFloat.add(.half, m, eight, mode: .rne) == (m, nx))
        #expect(SoftFloat.add(.half, m, eight, mode: .rup) == (Self.inf, [of, nx]))
        #expect(SoftFloat.add(.half, m, 0, mode: .rne) == (m, []))
    }

    @Test func underflowIsTininessAfterRounding() {
        // (2^-14 − 2^-24) × (1 + 2^-10) = 2^-14 (1 − 2^-20): to 11 bits with an unbounded
        // exponent it is 2^-14, not tiny: NX only; towards zero it stays a subnormal: UF.
        let largestSubnormal: UInt64 = 0x03ff, aboveOne: UInt64 = 0x3c01
        #expect(SoftFloat.multiply(.half, largestSubnormal, aboveOne, mode: .rne) == (Self.minNormal, nx))
        #expect(SoftFloat.multiply(.half, largestSubnormal, aboveOne, mode: .rtz) == (largestSubnormal, [uf, nx]))
        // 2^-14 × (1 − 2^-11) = 2^-14 − 2^-25 has 11 bits below 2^-14: tiny, inexact as a
        // subnormal, and nearest-even rounds it up to the smallest normal: UF all the same.
        #expect(SoftFloat.multiply(.half, Self.minNormal, 0x3bff, mode: .rne) == (Self.minNormal, [uf, nx]))
        #expect(SoftFloat.multiply(.half, Self.minNormal, Self.half, mode: .rne) == (0x0200, []))  // exact subnormal
        #expect(SoftFloat.multiply(.half, Self.minSub, Self.half, mode: .rne) == (0, [uf, nx]))
        #expect(SoftFloat.multiply(.half, Self.minSub, Self.half, mode: .rup) == (Self.minSub, [uf, nx]))
        #expect(SoftFloat.multiply(.half, Self.minSub, Self.half, mode: .rmm) == (Self.minSub, [uf, nx]))
        #expect(SoftFloat.multiply(.half, Self.minSub | Self.negZero, Self.half, mode: .rne) == (Self.negZero, [uf, nx]))
        #expect(SoftFloat.multiply(.half, Self.minSub | Self.negZero, Self.half, mode: .rdn) == (0x8001, [uf, nx]))
        #expect(SoftFloat.add(.half, 3, 5, mode: .rne) == (8, []))
    }

    @Test func divisionSquareRootAndFusedMultiplyAdd() {
        // 1/3 = 1.0101010101|0101… × 2^-2: below the halfway point.
        #expect(SoftFloat.divide(.half, Self.one, Self.three, mode: .rne) == (0x3555, nx))
        #expect(SoftFloat.divide(.half, Self.one, Self.three, mode: .rup) == (0x3556, nx))
        #expect(SoftFloat.divide(.half, Self.one, Self.three, mode: .rdn) == (0x3555, nx))
        #expect(SoftFloat.divide(.half, Self.one | Self.negZero, Self.three, mode: .rdn) == (0xb556, nx))
        #expect(SoftFloat.squareRoot(.half, 0x4400, mode: .rne) == (Self.two, []))  // √4
        #expect(SoftFloat.squareRoot(.half, Self.two, mode: .rne) == (0x3da8, nx))  // √2 = 1.4140625…
        #expect(SoftFloat.squareRoot(.half, Self.two, mode: .rup) == (0x3da9, nx))
        // One rounding: (1 + 2^-10)(1 − 2^-10) − 1 = −2^-20 exactly, a subnormal half.
        #expect(SoftFloat.fusedMultiplyAdd(.half, 0x3c01, 0x3bfe, Self.one, negateProduct: false, negateAddend: true, mode: .rne) == (0x8010, []))
        #expect(SoftFloat.fusedMultiplyAdd(.half, Self.one, Self.one, Self.one, negateProduct: false, negateAddend: true, mode: .rdn) == (Self.negZero, []))
        #expect(SoftFloat.fusedMultiplyAdd(.half, Self.two, Self.three, Self.one, negateProduct: true, negateAddend: true, mode: .rne) == (0xc700, []))  // −7
    }

    @Test func conversions() {
        let f = { (x: Float) in UInt64(x.bitPattern) }, d = { (x: Double) in x.bitPattern }
        #expect(SoftFloat.convert(f(65520), from: .single, to: .half, mode: .rne) == (Self.inf, [of, nx]))
        #expect(SoftFloat.convert(f(65520), from: .single, to: .half, mode: .rtz) == (Self.maxH, nx))
        #expect(SoftFloat.convert(f(65519), from: .single, to: .half, mode: .rne) == (Self.maxH, nx))
        #expect(SoftFloat.convert(d(1e-10), from: .double, to: .half, mode: .rne) == (0, [uf, nx]))
        #expect(SoftFloat.convert(d(1e-10), from: .double, to: .half, mode: .rup) == (Self.minSub, [uf, nx]))
        #expect(SoftFloat.convert(0x7f80_0001, from: .single, to: .half, mode: .rne) == (Self.qnan, nv))
        #expect(SoftFloat.convert(d(-.infinity), from: .double, to: .half, mode: .rne) == (Self.negInf, []))
        #expect(SoftFloat.convert(Self.snan, from: .half, to: .single, mode: .rne) == (0x7fc0_0000, nv))
        #expect(SoftFloat.convert(0x7e55, from: .half, to: .double, mode: .rne) == (0x7ff8_0000_0000_0000, []))
        #expect(SoftFloat.convert(Self.minSub, from: .half, to: .single, mode: .rne) == (0x3380_0000, []))  // 2^-24, exact
        #expect(SoftFloat.convert(0x8000, from: .half, to: .double, mode: .rne) == (0x8000_0000_0000_0000, []))
        // To integers: saturated with NV out of range, NX when rounded.
        #expect(SoftFloat.toInteger(.half, Self.maxH, signed: true, mode: .rne) == (65504, []))
        #expect(SoftFloat.toInteger(.half, Self.negInf, signed: true, mode: .rne) == (0x8000_0000, nv))
        #expect(SoftFloat.toInteger(.half, Self.qnan, signed: true, mode: .rne) == (0x7fff_ffff, nv))
        #expect(SoftFloat.toInteger(.half, Self.snan | Self.negZero, signed: false, mode: .rne) == (0xffff_ffff, nv))
        #expect(SoftFloat.toInteger(.half, 0xbe00, signed: false, mode: .rtz) == (0, nv))  // −1.5 → −1: below 0
        #expect(SoftFloat.toInteger(.half, 0xb800, signed: false, mode: .rtz) == (0, nx))  // −0.5 → −0
        #expect(SoftFloat.toInteger(.half, 0x4100, signed: true, mode: .rne) == (2, nx))  // 2.5
        #expect(SoftFloat.toInteger(.half, 0x4100, signed: true, mode: .rmm) == (3, nx))
        #expect(SoftFloat.toInteger(.half, 0xc100, signed: true, mode: .rdn) == (UInt32(bitPattern: -3), nx))
        // From integers: 65520 and beyond overflow to nearest, 2049 is a tie.
        #expect(SoftFloat.fromInteger(.half, 65520, signed: true, mode: .rne) == (Self.inf, [of, nx]))
        #expect(SoftFloat.fromInteger(.half, 2049, signed: true, mode: .rne) == (0x6800, nx))
        #expect(SoftFloat.fromInteger(.half, 2049, signed: true, mode: .rup) == (0x6801, nx))
        #expect(SoftFloat.fromInteger(.half, 0xffff_ffff, signed: false, mode: .rtz) == (Self.maxH, [of, nx]))
        #expect(SoftFloat.fromInteger(.half, 0xffff_ffff, signed: true, mode: .rne) == (0xbc00, []))  // −1
    }

    // MARK: Against the Float16 oracle

    static let randomCount = 10_000

    /// Every half operand, every mode: √, and the conversions to single, double and integers.
    @Test func everyHalfThroughTheUnaryOperations() {
        var failures: [String] = []
        func check(_ what: @autoclosure () -> String, _ mine: (UInt64, FloatFlags), _ oracle: (UInt64, FloatFlags)) {
            if failures.count < 10 && (mine.0 != oracle.0 || mine.1 != oracle.1) {
                failures.append("\(what()): \(hex(mine.0)) \(mine.1) oracle \(hex(oracle.0)) \(oracle.1)")
            }
        }
        for bits in UInt64(0)...0xffff {
            let x = Float16(bitPattern: UInt16(bits))
            let nan = x.isNaN, signalling = x.isSignalingNaN
            check("cvt.s.h \(hex(bits))", SoftFloat.convert(bits, from: .half, to: .single, mode: .rne),
                  nan ? (0x7fc0_0000, signalling ? nv : []) : (UInt64(Float(x).bitPattern), []))
            check("cvt.d.h \(hex(bits))", SoftFloat.convert(bits, from: .half, to: .double, mode: .rne),
                  nan ? (0x7ff8_0000_0000_0000, signalling ? nv : []) : (Double(x).bitPattern, []))
            for mode in RoundingMode.allCases {
                let sqrt: (UInt64, FloatFlags)
                if nan {
                    sqrt = (Self.qnan, signalling ? nv : [])
                } else if x < 0 {
                    sqrt = (Self.qnan, nv)
                } else if x.isInfinite || x == 0 {
                    sqrt = (bits, [])
                } else {
                    sqrt = H.round(H.squareRootToOdd(Double(x)), mode)
                }
                check("sqrt \(hex(bits)) \(mode)", SoftFloat.squareRoot(.half, bits, mode: mode), sqrt)
                for signed in [true, false] {
                    check("cvt.w\(signed ? "" : "u").h \(hex(bits)) \(mode)", {
                        let r = SoftFloat.toInteger(.half, bits, signed: signed, mode: mode)
                        return (UInt64(r.0), r.1)
                    }(), H.toInteger(x, signed: signed, mode))
                }
            }
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func randomOperandsInEveryMode() {
        var g = SeededGenerator(seed: 0x2F16)
        var failures: [String] = []
        func check(_ what: @autoclosure () -> String, _ mine: (UInt64, FloatFlags), _ oracle: (UInt64, FloatFlags)) {
            if failures.count < 10 && (mine.0 != oracle.0 || mine.1 != oracle.1) {
                failures.append("\(what()): \(hex(mine.0)) \(mine.1) oracle \(hex(oracle.0)) \(oracle.1)")
            }
        }
        for _ in 0..<Self.randomCount {
            let a = FloatEdges.value(.half, using: &g), b = FloatEdges.value(.half, using: &g), c = FloatEdges.value(.half, using: &g)
            let s = FloatEdges.value(.single, using: &g), d = FloatEdges.value(.double, using: &g)
            let n = UInt32(truncatingIfNeeded: UInt64.random(in: 0...UInt64.max, using: &g) >> UInt64.random(in: 0...48, using: &g))
            let x = Double(Float16(bitPattern: UInt16(truncatingIfNeeded: a)))
            let y = Double(Float16(bitPattern: UInt16(truncatingIfNeeded: b))), z = Double(Float16(bitPattern: UInt16(truncatingIfNeeded: c)))
            let finite = x.isFinite && y.isFinite && z.isFinite
            var operands: String { "\(hex(a)) \(hex(b)) \(hex(c))" }
            // Round to nearest even: Float16's own arithmetic is a second, separate oracle.
            if finite && y != 0 {
                let hx = Float16(bitPattern: UInt16(truncatingIfNeeded: a)), hy = Float16(bitPattern: UInt16(truncatingIfNeeded: b))
                for (name, mine, host) in [("add", SoftFloat.add(.half, a, b, mode: .rne).0, hx + hy),
                                           ("mul", SoftFloat.multiply(.half, a, b, mode: .rne).0, hx * hy),
                                           ("div", SoftFloat.divide(.half, a, b, mode: .rne).0, hx / hy)]
                where failures.count < 10 && mine != UInt64(host.bitPattern) {
                    failures.append("host \(name) \(operands): \(hex(mine)) host \(hex(UInt64(host.bitPattern)))")
                }
            }
            for mode in RoundingMode.allCases {
                var m: String { " \(mode)" }
                if finite {
                    check("add " + operands + m, SoftFloat.add(.half, a, b, mode: mode), H.sum(x, y, mode))
                    check("sub " + operands + m, SoftFloat.add(.half, a, b, subtract: true, mode: mode), H.sum(x, -y, mode))
                    check("mul " + operands + m, SoftFloat.multiply(.half, a, b, mode: mode), H.round(x * y, mode))
                    if y != 0 { check("div " + operands + m, SoftFloat.divide(.half, a, b, mode: mode), H.round(H.quotientToOdd(x, y), mode)) }
                    for (np, na) in [(false, false), (false, true), (true, false), (true, true)] {
                        check("fma \(np) \(na) " + operands + m,
                              SoftFloat.fusedMultiplyAdd(.half, a, b, c, negateProduct: np, negateAddend: na, mode: mode),
                              H.fusedMultiplyAdd(np ? -x : x, y, na ? -z : z, mode))
                    }
                }
                let single = Double(Float(bitPattern: UInt32(truncatingIfNeeded: s))), double = Double(bitPattern: d)
                if single.isFinite { check("cvt.h.s \(hex(s))" + m, SoftFloat.convert(s, from: .single, to: .half, mode: mode), H.round(single, mode)) }
                if double.isFinite { check("cvt.h.d \(hex(d))" + m, SoftFloat.convert(d, from: .double, to: .half, mode: mode), H.round(double, mode)) }
                check("cvt.h.w \(n)" + m, SoftFloat.fromInteger(.half, n, signed: true, mode: mode), H.round(Double(Int32(bitPattern: n)), mode))
                check("cvt.h.wu \(n)" + m, SoftFloat.fromInteger(.half, n, signed: false, mode: mode), H.round(Double(n), mode))
            }
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// The oracle itself, on values whose roundings are known by hand.
    @Test func theOracleRoundsAsIEEESays() {
        #expect(H.round(1 + 0x1p-11, .rne) == (0x3c00, nx))
        #expect(H.round(1 + 0x1p-11, .rmm) == (0x3c01, nx))
        #expect(H.round(-(1 + 0x1p-11), .rdn) == (0xbc01, nx))
        #expect(H.round(65520, .rne) == (0x7c00, [of, nx]))
        #expect(H.round(65520, .rtz) == (0x7bff, nx))
        #expect(H.round(65519, .rup) == (0x7c00, [of, nx]))
        #expect(H.round(0x1p-14 - 0x1p-25, .rne) == (0x0400, [uf, nx]))
        #expect(H.round(0x1p-14 - 0x1p-34, .rne) == (0x0400, nx))
        #expect(H.round(-0x1p-30, .rtz) == (0x8000, [uf, nx]))
        #expect(H.round(0x1p-24, .rne) == (0x0001, []))
    }

    func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }
}

/// Rounding a `Double` to a half in any mode, with IEEE 754's flags, from the host's `Float16`
/// (its conversion from `Double` rounds to nearest even) and `nextUp`/`nextDown`: no code shared
/// with the soft-float. The `Double` must be the exact result, or the exact result rounded to
/// odd at 53 bits (which rounds to 11 bits exactly as the exact value does, in every mode).
enum HalfOracle {
    static func round(_ r: Double, _ mode: RoundingMode) -> (UInt64, FloatFlags) {
        let (h, flags) = roundedHalf(r, mode)
        return (UInt64(h.bitPattern), flags)
    }

    static func roundedHalf(_ r: Double, _ mode: RoundingMode) -> (Float16, FloatFlags) {
        if r == 0 { return (r.sign == .minus ? -0.0 : 0.0, []) }
        let chosen = nearby(r, mode)
        var flags: FloatFlags = Double(chosen) == r ? [] : .inexact
        // Overflow and tininess look at the value rounded to 11 bits with an unbounded
        // exponent: scale it into [1, 2), where Float16 has all its 11 bits, and round there.
        let e = r.exponent
        let scaled = Double(sign: .plus, exponent: -e, significand: r.magnitude)
        let unbounded = Double(nearby(scaled, r < 0 ? mode.mirrored : mode))  // 1 ≤ unbounded ≤ 2
        if e > 15 || (e == 15 && unbounded == 2) { flags.formUnion([.overflow, .inexact]) }
        let tiny = e < -15 || (e == -15 && unbounded < 2)
        if tiny && flags.contains(.inexact) { flags.insert(.underflow) }
        return (chosen, flags)
    }

    /// The half `mode` picks for `r` (≠ 0): ±∞ beyond the range where the mode says so.
    static func nearby(_ r: Double, _ mode: RoundingMode) -> Float16 {
        let nearest = Float16(r)
        var below = nearest, above = nearest
        if Double(nearest) > r { below = nearest.nextDown } else if Double(nearest) < r { above = nearest.nextUp }
        if below == above { return nearest }
        switch mode {
        case .rne: return nearest
        case .rdn: return below
        case .rup: return above
        case .rtz: return r > 0 ? below : above
        case .rmm:
            // ±∞ stands for ±2^16 here, the next value of an unbounded format.
            let lo = below.isInfinite ? -65536 : Double(below), hi = above.isInfinite ? 65536 : Double(above)
            let middle = (lo + hi) / 2
            if r == middle { return r > 0 ? above : below }
            return r < middle ? below : above
        }
    }

    /// `x + y` for finite halves: exact in a `Double` (at most 40 significant bits apart).
    static func sum(_ x: Double, _ y: Double, _ mode: RoundingMode) -> (UInt64, FloatFlags) {
        let s = x + y
        if s == 0 { return zeroSum(x, y, mode) }
        return round(s, mode)
    }

    /// An exact zero sum: −0 + −0 is −0, +0 + +0 is +0, and opposite signs give −0 only when
    /// rounding down.
    static func zeroSum(_ x: Double, _ y: Double, _ mode: RoundingMode) -> (UInt64, FloatFlags) {
        let negative = x.sign == y.sign ? x.sign == .minus : mode == .rdn
        return (negative ? 0x8000 : 0, [])
    }

    /// `x / y` rounded to odd: the remainder (exact with a fused multiply-add) says on which
    /// side of the quotient the exact value lies.
    static func quotientToOdd(_ x: Double, _ y: Double) -> Double {
        let q = x / y
        let remainder = x.addingProduct(-q, y)
        if remainder == 0 { return q }
        return toOdd(q, above: (remainder > 0) == (y > 0))
    }

    static func squareRootToOdd(_ x: Double) -> Double {
        let s = x.squareRoot()
        let remainder = x.addingProduct(-s, s)
        if remainder == 0 { return s }
        return toOdd(s, above: remainder > 0)
    }

    /// `x × y + z` with one rounding: the product is exact in a `Double` (22 bits), the sum is
    /// split into its rounded value and exact error (TwoSum), then rounded to odd.
    static func fusedMultiplyAdd(_ x: Double, _ y: Double, _ z: Double, _ mode: RoundingMode) -> (UInt64, FloatFlags) {
        let p = x * y
        let s = p + z
        let bb = s - p
        let error = (p - (s - bb)) + (z - bb)
        if s == 0 && error == 0 { return zeroSum(p, z, mode) }
        if error == 0 { return round(s, mode) }
        return round(toOdd(s, above: error > 0), mode)
    }

    /// The odd one of `v` and its neighbour on the side of the exact value.
    static func toOdd(_ v: Double, above: Bool) -> Double {
        if v.bitPattern & 1 == 1 { return v }
        return above ? v.nextUp : v.nextDown
    }

    /// `fcvt.w[u].h`: the host's integral rounding of the exact `Double`, saturated with NV.
    static func toInteger(_ x: Float16, signed: Bool, _ mode: RoundingMode) -> (UInt64, FloatFlags) {
        let maxPositive: UInt64 = signed ? 0x7fff_ffff : 0xffff_ffff, maxNegative: UInt64 = signed ? 0x8000_0000 : 0
        if x.isNaN { return (maxPositive, .invalid) }
        if x.isInfinite { return (x < 0 ? maxNegative : maxPositive, .invalid) }
        let v = Double(x)
        let rule: FloatingPointRoundingRule
        switch mode {
        case .rne: rule = .toNearestOrEven
        case .rtz: rule = .towardZero
        case .rdn: rule = .down
        case .rup: rule = .up
        case .rmm: rule = .toNearestOrAwayFromZero
        }
        let r = v.rounded(rule)
        let flags: FloatFlags = r == v ? [] : .inexact
        if signed { return (UInt64(UInt32(bitPattern: Int32(r))), flags) }
        if r < 0 { return (0, .invalid) }
        return (UInt64(UInt32(r)), flags)
    }
}

extension RoundingMode {
    /// The mode that rounds −x as this one rounds x, mirrored (down ↔ up).
    var mirrored: RoundingMode {
        switch self {
        case .rdn: return .rup
        case .rup: return .rdn
        case .rne, .rtz, .rmm: return self
        }
    }
}
