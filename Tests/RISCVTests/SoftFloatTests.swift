import RISCV
import TestSupport
import Testing

/// The soft-float helpers: against hand-computed edge cases (results and flags), and against the
/// host's FPU on random operands where the host is exact (round to nearest even, results only).
@Suite struct SoftFloatTests {
    typealias F = FloatFlags
    let nx = FloatFlags.inexact, uf = FloatFlags.underflow, of = FloatFlags.overflow
    let dz = FloatFlags.divideByZero, nv = FloatFlags.invalid

    static let one: UInt64 = 0x3f80_0000, two: UInt64 = 0x4000_0000, three: UInt64 = 0x4040_0000
    static let inf: UInt64 = 0x7f80_0000, negInf: UInt64 = 0xff80_0000
    static let qnan: UInt64 = 0x7fc0_0000, snan: UInt64 = 0x7f80_0001, negZero: UInt64 = 0x8000_0000
    static let maxS: UInt64 = 0x7f7f_ffff, minNormalS: UInt64 = 0x0080_0000, minSubS: UInt64 = 1

    func s(_ x: Float) -> UInt64 { UInt64(x.bitPattern) }
    func d(_ x: Double) -> UInt64 { x.bitPattern }

    @Test func additionSpecialValues() {
        #expect(SoftFloat.add(.single, Self.inf, Self.negInf, mode: .rne) == (0x7fc0_0000, nv))
        #expect(SoftFloat.add(.single, Self.snan, Self.one, mode: .rne) == (0x7fc0_0000, nv))
        #expect(SoftFloat.add(.single, 0x7fc1_2345, Self.one, mode: .rne) == (0x7fc0_0000, []))  // payload dropped
        #expect(SoftFloat.add(.single, 0, Self.negZero, mode: .rne) == (0, []))
        #expect(SoftFloat.add(.single, 0, Self.negZero, mode: .rdn) == (Self.negZero, []))
        #expect(SoftFloat.add(.single, Self.negZero, Self.negZero, mode: .rne) == (Self.negZero, []))
        #expect(SoftFloat.add(.single, Self.one, Self.one, subtract: true, mode: .rne) == (0, []))
        #expect(SoftFloat.add(.single, Self.one, Self.one, subtract: true, mode: .rdn) == (Self.negZero, []))
        #expect(SoftFloat.add(.single, Self.negZero, Self.one, mode: .rne) == (Self.one, []))
        #expect(SoftFloat.add(.double, d(-0.0), d(-2.5), mode: .rne) == (d(-2.5), []))
    }

    /// 1 + 2^-24 is halfway between 1 and its successor: each mode's answer.
    @Test func everyModeOnAHalfwayCase() {
        let half: UInt64 = 0x3380_0000  // 2^-24
        let up = Self.one + 1
        #expect(SoftFloat.add(.single, Self.one, half, mode: .rne) == (Self.one, nx))  // tie to even
        #expect(SoftFloat.add(.single, Self.one, half, mode: .rtz) == (Self.one, nx))
        #expect(SoftFloat.add(.single, Self.one, half, mode: .rdn) == (Self.one, nx))
        #expect(SoftFloat.add(.single, Self.one, half, mode: .rup) == (up, nx))
        #expect(SoftFloat.add(.single, Self.one, half, mode: .rmm) == (up, nx))
        // (1 + 2^-23) + 2^-24: halfway with an odd last place: even is up.
        #expect(SoftFloat.add(.single, up, half, mode: .rne) == (up + 1, nx))
        // Negative: −1 − 2^-24.
        #expect(SoftFloat.add(.single, Self.one | Self.negZero, half | Self.negZero, mode: .rdn) == (up | Self.negZero, nx))
        #expect(SoftFloat.add(.single, Self.one | Self.negZero, half | Self.negZero, mode: .rup) == (Self.one | Self.negZero, nx))
        #expect(SoftFloat.add(.single, Self.one | Self.negZero, half | Self.negZero, mode: .rmm) == (up | Self.negZero, nx))
    }

    @Test func overflowInEveryMode() {
        let big = Self.maxS
        #expect(SoftFloat.multiply(.single, big, Self.two, mode: .rne) == (Self.inf, [of, nx]))
        #expect(SoftFloat.multiply(.single, big, Self.two, mode: .rtz) == (big, [of, nx]))
        #expect(SoftFloat.multiply(.single, big, Self.two, mode: .rdn) == (big, [of, nx]))
        #expect(SoftFloat.multiply(.single, big, Self.two, mode: .rup) == (Self.inf, [of, nx]))
        #expect(SoftFloat.multiply(.single, big | Self.negZero, Self.two, mode: .rdn) == (Self.negInf, [of, nx]))
        #expect(SoftFloat.multiply(.single, big | Self.negZero, Self.two, mode: .rup) == (big | Self.negZero, [of, nx]))
        #expect(SoftFloat.multiply(.single, big | Self.negZero, Self.two, mode: .rmm) == (Self.negInf, [of, nx]))
        // Exactly the largest finite: no flags.
        #expect(SoftFloat.add(.single, big, 0, mode: .rne) == (big, []))
    }

    @Test func underflowIsTininessAfterRounding() {
        // (2^-126 − 2^-149) × (1 + 2^-23) = 2^-126 × (1 − 2^-46): just below the smallest normal.
        // Rounded to 24 bits with an unbounded exponent it is 2^-126, so it is not tiny: NX, no UF.
        let largestSubnormal: UInt64 = 0x007f_ffff, aboveOne: UInt64 = 0x3f80_0001
        #expect(SoftFloat.multiply(.single, largestSubnormal, aboveOne, mode: .rne) == (Self.minNormalS, nx))
        // Towards zero it stays below: a subnormal result, tiny and inexact.
        #expect(SoftFloat.multiply(.single, largestSubnormal, aboveOne, mode: .rtz) == (largestSubnormal, [uf, nx]))
        // (2^-126 − 2^-149) × (1 − 2^-24) needs 24 bits just below 2^-126: tiny (a subnormal
        // cannot hold it), inexact, so UF even though nearest rounding gives the smallest normal...
        #expect(SoftFloat.multiply(.single, Self.minNormalS, 0x3f7f_ffff, mode: .rne) == (Self.minNormalS, [uf, nx]))
        // An exact subnormal result raises nothing.
        #expect(SoftFloat.multiply(.single, Self.minNormalS, 0x3f00_0000, mode: .rne) == (0x0040_0000, []))
        // Half the smallest subnormal: ties to even (zero), up in RUP.
        let tiny: UInt64 = 0x3f00_0000  // 0.5
        #expect(SoftFloat.multiply(.single, Self.minSubS, tiny, mode: .rne) == (0, [uf, nx]))
        #expect(SoftFloat.multiply(.single, Self.minSubS, tiny, mode: .rup) == (Self.minSubS, [uf, nx]))
        #expect(SoftFloat.multiply(.single, Self.minSubS, tiny, mode: .rmm) == (Self.minSubS, [uf, nx]))
        #expect(SoftFloat.multiply(.single, Self.minSubS | Self.negZero, tiny, mode: .rne) == (Self.negZero, [uf, nx]))
        // Subnormal + subnormal: exact.
        #expect(SoftFloat.add(.single, 3, 5, mode: .rne) == (8, []))
        // Doubles: the smallest subnormal halved.
        #expect(SoftFloat.multiply(.double, 1, d(0.5), mode: .rdn) == (0, [uf, nx]))
    }

    @Test func divisionAndSquareRoot() {
        #expect(SoftFloat.divide(.single, Self.one, 0, mode: .rne) == (Self.inf, dz))
        #expect(SoftFloat.divide(.single, Self.one, Self.negZero, mode: .rne) == (Self.negInf, dz))
        #expect(SoftFloat.divide(.single, 0, 0, mode: .rne) == (Self.qnan, nv))
        #expect(SoftFloat.divide(.single, Self.inf, Self.inf, mode: .rne) == (Self.qnan, nv))
        #expect(SoftFloat.divide(.single, Self.inf, 0, mode: .rne) == (Self.inf, []))
        #expect(SoftFloat.divide(.single, Self.one, Self.three, mode: .rne) == (s(1 / 3 as Float), nx))
        // 1/3 = 0x3eaaaaaa.aaa…: nearest and up round up, down and towards zero do not.
        #expect(SoftFloat.divide(.single, Self.one, Self.three, mode: .rup) == (0x3eaa_aaab, nx))
        #expect(SoftFloat.divide(.single, Self.one, Self.three, mode: .rdn) == (0x3eaa_aaaa, nx))
        #expect(SoftFloat.divide(.single, Self.one | Self.negZero, Self.three, mode: .rdn) == (0xbeaa_aaab, nx))
        #expect(SoftFloat.squareRoot(.single, Self.negZero, mode: .rne) == (Self.negZero, []))
        #expect(SoftFloat.squareRoot(.single, Self.one | Self.negZero, mode: .rne) == (Self.qnan, nv))
        #expect(SoftFloat.squareRoot(.single, Self.negInf, mode: .rne) == (Self.qnan, nv))
        #expect(SoftFloat.squareRoot(.single, Self.inf, mode: .rne) == (Self.inf, []))
        #expect(SoftFloat.squareRoot(.single, s(4), mode: .rne) == (Self.two, []))
        #expect(SoftFloat.squareRoot(.double, d(2), mode: .rne) == (d(2.0.squareRoot()), nx))
        #expect(SoftFloat.squareRoot(.single, Self.minSubS, mode: .rne).1 == nx)  // √(2^-149) is irrational, normal
    }

    @Test func fusedMultiplyAdd() {
        // ∞ × 0 + qNaN is invalid (RISC-V), with the canonical NaN.
        #expect(SoftFloat.fusedMultiplyAdd(.single, Self.inf, 0, Self.qnan, negateProduct: false, negateAddend: false, mode: .rne) == (Self.qnan, nv))
        #expect(SoftFloat.fusedMultiplyAdd(.single, Self.one, Self.one, Self.qnan, negateProduct: false, negateAddend: false, mode: .rne) == (Self.qnan, []))
        #expect(SoftFloat.fusedMultiplyAdd(.single, Self.inf, Self.one, Self.negInf, negateProduct: false, negateAddend: false, mode: .rne) == (Self.qnan, nv))
        // One rounding: (1 + 2^-23)(1 − 2^-23) − 1 = −2^-46 exactly (two roundings would give 0).
        let a: UInt64 = 0x3f80_0001, b: UInt64 = 0x3f7f_fffe
        #expect(SoftFloat.fusedMultiplyAdd(.single, a, b, Self.one, negateProduct: false, negateAddend: true, mode: .rne) == (0xa880_0000, []))
        // Exact zero sums: +0 except when rounding down.
        #expect(SoftFloat.fusedMultiplyAdd(.single, Self.one, Self.one, Self.one, negateProduct: false, negateAddend: true, mode: .rne) == (0, []))
        #expect(SoftFloat.fusedMultiplyAdd(.single, Self.one, Self.one, Self.one, negateProduct: false, negateAddend: true, mode: .rdn) == (Self.negZero, []))
        // fnmadd: −(a×b) − c.
        #expect(SoftFloat.fusedMultiplyAdd(.single, Self.two, Self.three, Self.one, negateProduct: true, negateAddend: true, mode: .rne) == (s(-7), []))
        // 0 × x + (−0) = −0 only when the product's sign is negative too.
        #expect(SoftFloat.fusedMultiplyAdd(.single, 0, Self.one, Self.negZero, negateProduct: false, negateAddend: false, mode: .rne) == (0, []))
        #expect(SoftFloat.fusedMultiplyAdd(.single, Self.negZero, Self.one, Self.negZero, negateProduct: false, negateAddend: false, mode: .rne) == (Self.negZero, []))
    }

    @Test func comparisonsAndMinMax() {
        #expect(SoftFloat.compare(.single, Self.qnan, Self.one, .equal) == (false, []))
        #expect(SoftFloat.compare(.single, Self.snan, Self.one, .equal) == (false, nv))
        #expect(SoftFloat.compare(.single, Self.qnan, Self.one, .less) == (false, nv))
        #expect(SoftFloat.compare(.single, Self.qnan, Self.one, .lessOrEqual) == (false, nv))
        #expect(SoftFloat.compare(.single, 0, Self.negZero, .equal) == (true, []))
        #expect(SoftFloat.compare(.single, Self.negZero, 0, .less) == (false, []))
        #expect(SoftFloat.compare(.single, Self.negZero, 0, .lessOrEqual) == (true, []))
        #expect(SoftFloat.compare(.single, s(-2), s(-1), .less) == (true, []))
        #expect(SoftFloat.minMax(.single, Self.negZero, 0, maximum: false) == (Self.negZero, []))
        #expect(SoftFloat.minMax(.single, 0, Self.negZero, maximum: false) == (Self.negZero, []))
        #expect(SoftFloat.minMax(.single, Self.negZero, 0, maximum: true) == (0, []))
        #expect(SoftFloat.minMax(.single, Self.qnan, Self.one, maximum: true) == (Self.one, []))
        #expect(SoftFloat.minMax(.single, Self.snan, Self.one, maximum: true) == (Self.one, nv))
        #expect(SoftFloat.minMax(.single, Self.snan, 0x7fc1_0000, maximum: false) == (Self.qnan, nv))
        #expect(SoftFloat.minMax(.double, d(-3), d(2), maximum: false) == (d(-3), []))
    }

    @Test func classification() {
        let cases: [(UInt64, Int)] = [
            (Self.negInf, 0), (s(-1), 1), (0x8000_0001, 2), (Self.negZero, 3), (0, 4), (1, 5), (Self.one, 6),
            (Self.inf, 7), (Self.snan, 8), (Self.qnan, 9), (0xffc0_0000, 9),
        ]
        for (v, bit) in cases { #expect(SoftFloat.classify(.single, v) == 1 << UInt32(bit)) }
    }

    @Test func toIntegerSaturatesWithInvalid() {
        #expect(SoftFloat.toInteger(.single, Self.qnan, signed: true, mode: .rne) == (0x7fff_ffff, nv))
        #expect(SoftFloat.toInteger(.single, Self.qnan | Self.negZero, signed: true, mode: .rne) == (0x7fff_ffff, nv))
        #expect(SoftFloat.toInteger(.single, Self.qnan, signed: false, mode: .rne) == (0xffff_ffff, nv))
        #expect(SoftFloat.toInteger(.single, Self.negInf, signed: true, mode: .rne) == (0x8000_0000, nv))
        #expect(SoftFloat.toInteger(.single, Self.negInf, signed: false, mode: .rne) == (0, nv))
        #expect(SoftFloat.toInteger(.single, s(2147483648), signed: true, mode: .rne) == (0x7fff_ffff, nv))
        #expect(SoftFloat.toInteger(.single, s(-2147483648), signed: true, mode: .rne) == (0x8000_0000, []))
        #expect(SoftFloat.toInteger(.double, d(-2147483648.5), signed: true, mode: .rtz) == (0x8000_0000, nx))
        #expect(SoftFloat.toInteger(.double, d(-2147483648.5), signed: true, mode: .rdn) == (0x8000_0000, nv))
        #expect(SoftFloat.toInteger(.double, d(4294967295.5), signed: false, mode: .rtz) == (0xffff_ffff, nx))
        #expect(SoftFloat.toInteger(.double, d(4294967295.5), signed: false, mode: .rne) == (0xffff_ffff, nv))
        #expect(SoftFloat.toInteger(.single, s(-0.5), signed: false, mode: .rtz) == (0, nx))  // rounds to 0: not invalid
        #expect(SoftFloat.toInteger(.single, s(-0.5), signed: false, mode: .rdn) == (0xffff_ffff & 0, nv))
        #expect(SoftFloat.toInteger(.single, s(-1), signed: false, mode: .rtz) == (0, nv))
        #expect(SoftFloat.toInteger(.single, s(2.5), signed: true, mode: .rne) == (2, nx))
        #expect(SoftFloat.toInteger(.single, s(2.5), signed: true, mode: .rmm) == (3, nx))
        #expect(SoftFloat.toInteger(.single, s(-2.5), signed: true, mode: .rmm) == (UInt32(bitPattern: -3), nx))
        #expect(SoftFloat.toInteger(.single, s(-2.5), signed: true, mode: .rup) == (UInt32(bitPattern: -2), nx))
        #expect(SoftFloat.toInteger(.single, s(-2.5), signed: true, mode: .rdn) == (UInt32(bitPattern: -3), nx))
        #expect(SoftFloat.toInteger(.single, 1, signed: true, mode: .rup) == (1, nx))  // smallest subnormal
        #expect(SoftFloat.toInteger(.single, Self.maxS, signed: false, mode: .rne) == (0xffff_ffff, nv))
    }

    @Test func otherConversions() {
        #expect(SoftFloat.fromInteger(.single, 0x7fff_ffff, signed: true, mode: .rne) == (s(2147483648), nx))
        #expect(SoftFloat.fromInteger(.single, 0x7fff_ffff, signed: true, mode: .rtz) == (s(2147483520), nx))
        #expect(SoftFloat.fromInteger(.single, 0x8000_0000, signed: true, mode: .rne) == (s(-2147483648), []))
        #expect(SoftFloat.fromInteger(.single, 0xffff_ffff, signed: false, mode: .rdn) == (s(4294967040), nx))
        #expect(SoftFloat.fromInteger(.double, 0xffff_ffff, signed: true, mode: .rne) == (d(-1), []))
        #expect(SoftFloat.fromInteger(.double, 0, signed: true, mode: .rdn) == (0, []))
        #expect(SoftFloat.convert(d(1e40), from: .double, to: .single, mode: .rne) == (Self.inf, [of, nx]))
        #expect(SoftFloat.convert(d(1e40), from: .double, to: .single, mode: .rtz) == (Self.maxS, [of, nx]))
        #expect(SoftFloat.convert(d(1e-50), from: .double, to: .single, mode: .rne) == (0, [uf, nx]))
        #expect(SoftFloat.convert(0x7ff0_0000_0000_0001, from: .double, to: .single, mode: .rne) == (Self.qnan, nv))
        #expect(SoftFloat.convert(Self.snan, from: .single, to: .double, mode: .rne) == (0x7ff8_0000_0000_0000, nv))
        #expect(SoftFloat.convert(1, from: .single, to: .double, mode: .rne) == (d(Double(Float(bitPattern: 1))), []))
    }

    @Test func nanBoxing() {
        #expect(FloatWidth.single.unbox(0xffff_ffff_3f80_0000) == Self.one)
        #expect(FloatWidth.single.unbox(0xfffe_ffff_3f80_0000) == Self.qnan)
        #expect(FloatWidth.single.unbox(0x3f80_0000) == Self.qnan)
        #expect(FloatOp.add.apply(.single, 0x3f80_0000, 0xffff_ffff_3f80_0000, 0, mode: .rne) == (0xffff_ffff_7fc0_0000, []))
        #expect(FloatOp.sgnjn.apply(.single, 0x1234, 0xffff_ffff_0000_0000, 0, mode: .rne) == (0xffff_ffff_ffc0_0000, []))
        #expect(FloatOp.moveToInt.apply(.single, 0x1234_5678_9abc_def0, 0, 0, mode: .rne).0 == 0x9abc_def0)
        #expect(RoundingMode.resolve(field: 7, frm: 5) == nil)
        #expect(RoundingMode.resolve(field: 6, frm: 0) == nil)
        #expect(RoundingMode.resolve(field: 7, frm: 4) == .rmm)
    }

    /// The square root's integer core: the floor, exactly, whatever the host's estimate was.
    @Test func integerSquareRootIsTheExactFloor() {
        var g = SeededGenerator(seed: 0x5C2)
        var ns: [UInt128] = [0, 1, 2, 3, 4, 15, 16, 17, (1 << 126) - 1, 1 << 124, (1 << 124) - 1, (1 << 124) + 1]
        for _ in 0..<20_000 {
            let bits = Int.random(in: 1...126, using: &g)
            let v = UInt128(UInt64.random(in: 0...UInt64.max, using: &g)) << 64 | UInt128(UInt64.random(in: 0...UInt64.max, using: &g))
            let n = v >> UInt128(128 - bits)
            ns += [n, n | 1, n & ~1]
            let r = UInt128(UInt64.random(in: 0...(UInt64(1) << 62), using: &g))
            ns += [r * r, r * r - (r == 0 ? 0 : 1), r * r + 1]
        }
        for n in ns {
            let (r, exact) = SoftFloat.integerSquareRoot(n)
            #expect(r * r <= n && (r + 1) * (r + 1) > n && exact == (r * r == n), "\(n)")
        }
    }

    // MARK: Against the host (round to nearest even, results only)

    static let randomCount = 200_000

    func agree(_ w: FloatWidth, _ mine: UInt64, _ host: UInt64, _ what: String, _ operands: [UInt64]) -> Bool {
        let isNaN = { (v: UInt64) in UnpackedFloat(v, w).isNaN }
        if isNaN(host) { return mine == w.canonicalNaN }
        return mine == host
    }

    @Test func singlesAgreeWithTheHost() {
        var g = SeededGenerator(seed: 0xF10A7)
        var failures: [String] = []
        for _ in 0..<Self.randomCount where failures.count < 10 {
            let a = FloatEdges.value(.single, using: &g), b = FloatEdges.value(.single, using: &g)
            let c = FloatEdges.value(.single, using: &g)
            let x = Float(bitPattern: UInt32(a)), y = Float(bitPattern: UInt32(b)), z = Float(bitPattern: UInt32(c))
            let checks: [(String, UInt64, Float)] = [
                ("add", SoftFloat.add(.single, a, b, mode: .rne).0, x + y),
                ("sub", SoftFloat.add(.single, a, b, subtract: true, mode: .rne).0, x - y),
                ("mul", SoftFloat.multiply(.single, a, b, mode: .rne).0, x * y),
                ("div", SoftFloat.divide(.single, a, b, mode: .rne).0, x / y),
                ("sqrt", SoftFloat.squareRoot(.single, a, mode: .rne).0, x.squareRoot()),
                ("fma", SoftFloat.fusedMultiplyAdd(.single, a, b, c, negateProduct: false, negateAddend: false, mode: .rne).0,
                 z.addingProduct(x, y)),
                ("cvt.s.d", SoftFloat.convert(UInt64(UInt32(a)) << 29 ^ b << 32, from: .double, to: .single, mode: .rne).0,
                 Float(Double(bitPattern: UInt64(UInt32(a)) << 29 ^ b << 32))),
                ("cvt.s.w", SoftFloat.fromInteger(.single, UInt32(truncatingIfNeeded: a), signed: true, mode: .rne).0,
                 Float(Int32(truncatingIfNeeded: a))),
            ]
            for (name, mine, host) in checks where !agree(.single, mine, UInt64(host.bitPattern), name, [a, b, c]) {
                failures.append("\(name) \(hex(a)) \(hex(b)) \(hex(c)): \(hex(mine)) host \(hex(UInt64(host.bitPattern)))")
            }
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func doublesAgreeWithTheHost() {
        var g = SeededGenerator(seed: 0xD0B1E)
        var failures: [String] = []
        for _ in 0..<Self.randomCount where failures.count < 10 {
            let a = FloatEdges.value(.double, using: &g), b = FloatEdges.value(.double, using: &g)
            let c = FloatEdges.value(.double, using: &g)
            let x = Double(bitPattern: a), y = Double(bitPattern: b), z = Double(bitPattern: c)
            let checks: [(String, UInt64, Double)] = [
                ("add", SoftFloat.add(.double, a, b, mode: .rne).0, x + y),
                ("sub", SoftFloat.add(.double, a, b, subtract: true, mode: .rne).0, x - y),
                ("mul", SoftFloat.multiply(.double, a, b, mode: .rne).0, x * y),
                ("div", SoftFloat.divide(.double, a, b, mode: .rne).0, x / y),
                ("sqrt", SoftFloat.squareRoot(.double, a, mode: .rne).0, x.squareRoot()),
                ("fma", SoftFloat.fusedMultiplyAdd(.double, a, b, c, negateProduct: false, negateAddend: false, mode: .rne).0,
                 z.addingProduct(x, y)),
                ("cvt.d.s", SoftFloat.convert(a & 0xffff_ffff, from: .single, to: .double, mode: .rne).0,
                 Double(Float(bitPattern: UInt32(truncatingIfNeeded: a)))),
            ]
            for (name, mine, host) in checks where !agree(.double, mine, host.bitPattern, name, [a, b, c]) {
                failures.append("\(name) \(hex(a)) \(hex(b)) \(hex(c)): \(hex(mine)) host \(hex(host.bitPattern))")
            }
            // Conversions to integers in range, towards zero, as Swift's own conversion does.
            if x.isFinite, x > -2147483649, x < 2147483648 {
                let (v, _) = SoftFloat.toInteger(.double, a, signed: true, mode: .rtz)
                if Int32(bitPattern: v) != Int32(x) { failures.append("fcvt.w.d \(hex(a)): \(v)") }
            }
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }
}
