import RISCV
import TestSupport
import Testing

/// The host fast path against `SoftFloat`, bit for bit in results and flags, in both widths it
/// serves: on random edge operands, and on operands built to sit where its decisions are made
/// (near overflow, near underflow, exact products, quotients and roots, ties). Every run also
/// counts how often the fast path answered, so that a fast path that always declines fails too.
@Suite struct FastFloatTests {
    static let count = 60_000
    static let widths: [FloatWidth] = [.single, .double]

    /// Compares the fast path's answers with SoftFloat's and counts the answers.
    struct Ledger {
        var failures: [String] = []
        var taken: [String: Int] = [:]
        var asked: [String: Int] = [:]

        mutating func check<R: Equatable>(_ name: String, _ fast: (R, FloatFlags)?, _ soft: (R, FloatFlags), _ operands: [UInt64]) {
            asked[name, default: 0] += 1
            guard let fast else { return }
            taken[name, default: 0] += 1
            if (fast.0 != soft.0 || fast.1 != soft.1) && failures.count < 20 {
                let hex = operands.map { "0x" + String($0, radix: 16) }.joined(separator: " ")
                failures.append("\(name) \(hex): fast \(fast.0) \(fast.1), soft \(soft.0) \(soft.1)")
            }
        }

        /// The fast path answered at least `share` of the cases of every operation.
        func answered(atLeast share: Double) -> [String] {
            asked.compactMap { name, n in Double(taken[name, default: 0]) < share * Double(n) ? "\(name): \(taken[name, default: 0]) of \(n)" : nil }
        }
    }

    /// The four arithmetic operations and the square root on `a`, `b`.
    static func arithmetic(_ w: FloatWidth, _ a: UInt64, _ b: UInt64, into ledger: inout Ledger) {
        ledger.check("add", FastFloat.add(w, a, b, subtract: false, mode: .rne), SoftFloat.add(w, a, b, mode: .rne), [a, b])
        ledger.check("sub", FastFloat.add(w, a, b, subtract: true, mode: .rne), SoftFloat.add(w, a, b, subtract: true, mode: .rne), [a, b])
        ledger.check("mul", FastFloat.multiply(w, a, b, mode: .rne), SoftFloat.multiply(w, a, b, mode: .rne), [a, b])
        ledger.check("div", FastFloat.divide(w, a, b, mode: .rne), SoftFloat.divide(w, a, b, mode: .rne), [a, b])
        ledger.check("sqrt", FastFloat.squareRoot(w, a, mode: .rne), SoftFloat.squareRoot(w, a, mode: .rne), [a])
    }

    /// The four fused multiply-adds on `a`, `b`, `c`.
    static func fused(_ w: FloatWidth, _ a: UInt64, _ b: UInt64, _ c: UInt64, into ledger: inout Ledger) {
        for (negateProduct, negateAddend) in [(false, false), (false, true), (true, false), (true, true)] {
            ledger.check("fma", FastFloat.fusedMultiplyAdd(w, a, b, c, negateProduct: negateProduct, negateAddend: negateAddend, mode: .rne),
                         SoftFloat.fusedMultiplyAdd(w, a, b, c, negateProduct: negateProduct, negateAddend: negateAddend, mode: .rne),
                         [a, b, c])
        }
    }

    /// A value of width `w` with unbiased exponent `e` (clamped to the normal range), the given
    /// sign, and a random significand of which only the top `bits` fraction bits may be set.
    static func value<G: RandomNumberGenerator>(_ w: FloatWidth, exponent e: Int, fractionBits bits: Int? = nil,
                                                negative: Bool? = nil, using g: inout G) -> UInt64 {
        let keep = min(bits ?? w.fractionBits, w.fractionBits)
        let fraction = UInt64.random(in: 0...UInt64.max, using: &g) & w.fractionMask & ~(w.fractionMask >> UInt64(keep))
        let biased = UInt64(max(1, min(e + w.bias, w.bias * 2)))
        let sign = negative ?? Bool.random(using: &g)
        return (sign ? w.signMask : 0) | biased << UInt64(w.fractionBits) | fraction
    }

    @Test(arguments: widths) func randomEdgeOperands(_ w: FloatWidth) {
        var g = SeededGenerator(seed: 0xFA57 + UInt64(w.rawValue))
        var ledger = Ledger()
        for _ in 0..<Self.count {
            let a = FloatEdges.value(w, using: &g), b = FloatEdges.value(w, using: &g)
            Self.arithmetic(w, a, b, into: &ledger)
            Self.fused(w, a, b, FloatEdges.value(w, using: &g), into: &ledger)
            for comparison in SoftFloat.Comparison.allCases {
                let soft = SoftFloat.compare(w, a, b, comparison)
                ledger.check("compare", FastFloat.compare(w, a, b, comparison).map { ($0, FloatFlags()) }, soft, [a, b])
            }
            for signed in [true, false] {
                ledger.check("toInteger", FastFloat.toInteger(w, a, signed: signed, mode: .rtz),
                             SoftFloat.toInteger(w, a, signed: signed, mode: .rtz), [a])
            }
        }
        #expect(ledger.failures.isEmpty, "\(ledger.failures)")
        // Random exponents are mostly far apart: few fused multiply-adds of doubles fit the exact check.
        #expect(ledger.answered(atLeast: 0.02).isEmpty, "\(ledger.answered(atLeast: 0.02))")
    }

    /// Results at and beyond the largest finite value: sums of huge values, products and quotients
    /// scaled by about one.
    @Test(arguments: widths) func nearOverflow(_ w: FloatWidth) {
        var g = SeededGenerator(seed: 0x0F10 + UInt64(w.rawValue))
        var ledger = Ledger()
        for _ in 0..<Self.count {
            let huge = Self.value(w, exponent: w.maxExponent - Int.random(in: 0...3, using: &g), using: &g)
            let other = Self.value(w, exponent: w.maxExponent - Int.random(in: 0...3, using: &g), using: &g)
            let unit = Self.value(w, exponent: Int.random(in: -2...2, using: &g), using: &g)
            Self.arithmetic(w, huge, other, into: &ledger)
            Self.arithmetic(w, huge, unit, into: &ledger)
            Self.fused(w, huge, unit, other, into: &ledger)
        }
        #expect(ledger.failures.isEmpty, "\(ledger.failures)")
        #expect(ledger.answered(atLeast: 0.01).isEmpty, "\(ledger.answered(atLeast: 0.01))")
    }

    /// Results at and below the smallest normal: products of two small values, small quotients,
    /// differences of nearby tiny values; short significands make exact tiny results frequent.
    @Test(arguments: widths) func nearUnderflow(_ w: FloatWidth) {
        var g = SeededGenerator(seed: 0x0F1F + UInt64(w.rawValue))
        var ledger = Ledger()
        for _ in 0..<Self.count {
            let bits = Bool.random(using: &g) ? w.fractionBits : Int.random(in: 0...6, using: &g)
            let e = w.minExponent + Int.random(in: -3...3, using: &g)
            let ea = Int.random(in: (w.minExponent + 1)...0, using: &g)
            let a = Self.value(w, exponent: ea, fractionBits: bits, using: &g)
            let b = Self.value(w, exponent: e - ea + Int.random(in: -1...1, using: &g), fractionBits: bits, using: &g)
            ledger.check("mul", FastFloat.multiply(w, a, b, mode: .rne), SoftFloat.multiply(w, a, b, mode: .rne), [a, b])
            let c = Self.value(w, exponent: e + ea, fractionBits: bits, using: &g)
            ledger.check("div", FastFloat.divide(w, c, a, mode: .rne), SoftFloat.divide(w, c, a, mode: .rne), [c, a])
            // A product near the smallest normal plus a nearby value of either sign.
            Self.fused(w, a, b, Self.value(w, exponent: e + Int.random(in: -2...2, using: &g), fractionBits: bits, using: &g), into: &ledger)
            let x = Self.value(w, exponent: w.minExponent + Int.random(in: 0...3, using: &g), using: &g)
            let y = Self.value(w, exponent: w.minExponent + Int.random(in: 0...3, using: &g), using: &g)
            ledger.check("add", FastFloat.add(w, x, y, subtract: false, mode: .rne), SoftFloat.add(w, x, y, mode: .rne), [x, y])
            ledger.check("sub", FastFloat.add(w, x, y, subtract: true, mode: .rne), SoftFloat.add(w, x, y, subtract: true, mode: .rne), [x, y])
        }
        #expect(ledger.failures.isEmpty, "\(ledger.failures)")
        #expect(ledger.answered(atLeast: 0.01).isEmpty, "\(ledger.answered(atLeast: 0.01))")
    }

    /// Exact results (NX clear) and ties: short significands multiply exactly; `q × b ÷ b` and
    /// `√(r × r)` are exact when the product was; odd significands of k and p + 1 − k bits give a
    /// product one bit too long, a tie; `x ± half an ulp of x` is a tie too.
    @Test(arguments: widths) func exactResultsAndTies(_ w: FloatWidth) {
        var g = SeededGenerator(seed: 0xE4AC + UInt64(w.rawValue))
        var ledger = Ledger()
        var exact = 0
        for _ in 0..<Self.count {
            let k = Int.random(in: 0...(w.fractionBits / 2), using: &g)
            let q = Self.value(w, exponent: Int.random(in: -8...8, using: &g), fractionBits: k, using: &g)
            let b = Self.value(w, exponent: Int.random(in: -8...8, using: &g), fractionBits: w.fractionBits / 2 - k, using: &g)
            let (product, flags) = SoftFloat.multiply(w, q, b, mode: .rne)
            if flags.isEmpty { exact += 1 }
            Self.arithmetic(w, product, b, into: &ledger)
            Self.arithmetic(w, SoftFloat.multiply(w, q & ~w.signMask, q & ~w.signMask, mode: .rne).0, q, into: &ledger)
            // A tie in the product: two odd significands of k + 1 and p + 1 − k bits.
            let j = Int.random(in: 1...(w.fractionBits - 1), using: &g)
            let x = Self.value(w, exponent: j, fractionBits: j, using: &g) | UInt64(1) << UInt64(w.fractionBits - j)
            let y = Self.value(w, exponent: w.fractionBits + 1 - j, fractionBits: w.fractionBits + 1 - j, using: &g)
                | UInt64(1) << UInt64(j - 1)
            Self.arithmetic(w, x, y, into: &ledger)
            // A tie in the sum: half an ulp of x, x's last bit even or odd.
            let e = Int.random(in: -8...8, using: &g)
            let z = Self.value(w, exponent: e, using: &g)
            let half = Self.value(w, exponent: e - w.precision, fractionBits: 0, using: &g)
            Self.arithmetic(w, z, half, into: &ledger)
            // Fused: an addend that cancels the product exactly, nearly, or not at all, and one
            // far below it (the exponent gap the integer check declines beyond).
            let u = Self.value(w, exponent: Int.random(in: -8...8, using: &g), using: &g)
            let v = Self.value(w, exponent: Int.random(in: -8...8, using: &g), using: &g)
            let rounded = SoftFloat.multiply(w, u, v, mode: .rne).0
            let nudge = UInt64.random(in: 0...3, using: &g)
            Self.fused(w, u, v, rounded &+ nudge, into: &ledger)
            Self.fused(w, u, v, rounded ^ w.signMask, into: &ledger)
            Self.fused(w, x, y, Self.value(w, exponent: Int.random(in: -(w.precision * 3)...(w.precision * 3), using: &g), using: &g),
                       into: &ledger)
            Self.fused(w, q, b, product ^ w.signMask, into: &ledger)
        }
        #expect(exact > Self.count / 2)
        #expect(ledger.failures.isEmpty, "\(ledger.failures)")
        #expect(ledger.answered(atLeast: 0.3).isEmpty, "\(ledger.answered(atLeast: 0.3))")
    }

    /// Conversions: integers to both widths in every mode; singles to doubles; doubles to singles
    /// around the single range's ends; values to integers around the integer range's ends.
    @Test func conversions() {
        var g = SeededGenerator(seed: 0xC0DE)
        var ledger = Ledger()
        for _ in 0..<Self.count {
            let i = Bool.random(using: &g) ? UInt32.random(in: 0...UInt32.max, using: &g)
                : UInt32.random(in: 0...UInt32.max, using: &g) >> UInt32.random(in: 0...31, using: &g)
            for w in Self.widths {
                for mode in RoundingMode.allCases {
                    for signed in [true, false] {
                        ledger.check("fromInteger \(w)", FastFloat.fromInteger(w, i, signed: signed, mode: mode),
                                     SoftFloat.fromInteger(w, i, signed: signed, mode: mode), [UInt64(i)])
                    }
                }
                // Around ±2^31 and 2^32, and small values (|x| < 1 included).
                let e = Bool.random(using: &g) ? Int.random(in: 29...33, using: &g) : Int.random(in: -3...4, using: &g)
                let v = Self.value(w, exponent: e, using: &g)
                for signed in [true, false] {
                    ledger.check("toInteger \(w)", FastFloat.toInteger(w, v, signed: signed, mode: .rtz),
                                 SoftFloat.toInteger(w, v, signed: signed, mode: .rtz), [v])
                }
            }
            let single = FloatEdges.value(.single, using: &g)
            ledger.check("cvt.d.s", FastFloat.convert(single, from: .single, to: .double, mode: .rne),
                         SoftFloat.convert(single, from: .single, to: .double, mode: .rne), [single])
            let s = FloatWidth.single
            let edge = [s.minExponent + Int.random(in: -30...3, using: &g), s.maxExponent + Int.random(in: -2...1, using: &g),
                        Int.random(in: -20...20, using: &g)][Int.random(in: 0...2, using: &g)]
            let double = Bool.random(using: &g) ? FloatEdges.value(.double, using: &g)
                : Self.value(.double, exponent: edge, fractionBits: Int.random(in: 20...52, using: &g), using: &g)
            ledger.check("cvt.s.d", FastFloat.convert(double, from: .double, to: .single, mode: .rne),
                         SoftFloat.convert(double, from: .double, to: .single, mode: .rne), [double])
        }
        #expect(ledger.failures.isEmpty, "\(ledger.failures)")
        // Integers to doubles are always exact: the fast path answers every mode.
        #expect(ledger.taken["fromInteger double"] == ledger.asked["fromInteger double"])
        #expect(ledger.answered(atLeast: 0.1).isEmpty, "\(ledger.answered(atLeast: 0.1))")
    }

    /// What both executors call: `FloatOp.apply` (the fast path where it answers) against
    /// `applySoft` for every operation, width and rounding mode, on register values as the
    /// fuzzers make them (edge values of any width, boxed or not).
    @Test func applyMatchesSoftFloatForEveryOperation() {
        var g = SeededGenerator(seed: 0xA991)
        var failures: [String] = []
        var answered = 0
        for _ in 0..<(Self.count / 4) where failures.count < 20 {
            let a = FloatEdges.register(Int.random(in: 0...31, using: &g), using: &g)
            let b = FloatEdges.register(Int.random(in: 0...31, using: &g), using: &g)
            let c = FloatEdges.register(Int.random(in: 0...31, using: &g), using: &g)
            let mode = Bool.random(using: &g) ? RoundingMode.rne : RoundingMode.allCases[Int.random(in: 0...4, using: &g)]
            for op in FloatOp.allCases {
                for w in FloatWidth.allCases {
                    let fast = op.apply(w, a, b, c, mode: mode), soft = op.applySoft(w, a, b, c, mode: mode)
                    if op.applyFast(w, a, b, c, mode: mode) != nil { answered += 1 }
                    if fast != soft {
                        failures.append("\(op) \(w) \(mode) \(a) \(b) \(c): \(fast) soft \(soft)")
                    }
                }
            }
        }
        #expect(failures.isEmpty, "\(failures)")
        #expect(answered > Self.count / 4 * FloatOp.allCases.count / 4)
    }

    /// Other rounding modes and half precision are always SoftFloat's.
    @Test func declinesWhatItDoesNotServe() {
        let one: UInt64 = 0x3ff0_0000_0000_0000, three: UInt64 = 0x4008_0000_0000_0000
        for mode in RoundingMode.allCases where mode != .rne {
            #expect(FastFloat.add(.double, one, three, subtract: false, mode: mode) == nil)
            #expect(FastFloat.divide(.double, one, three, mode: mode) == nil)
        }
        #expect(FastFloat.add(.half, 0x3c00, 0x3c00, subtract: false, mode: .rne) == nil)
        #expect(FastFloat.divide(.double, one, three, mode: .rne)! == SoftFloat.divide(.double, one, three, mode: .rne))
    }
}
