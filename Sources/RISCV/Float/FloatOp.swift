/// The operations of the F, D and Zfh extensions other than loads and stores: the parameter of the
/// `.float(FloatOp, FloatWidth)` family. `apply` is their whole meaning, as a pure function of
/// register values that both executors call.
public enum FloatOp: UInt8, CaseIterable, Sendable {
    case add, sub, mul, div, sqrt
    case sgnj, sgnjn, sgnjx
    case min, max
    case eq, lt, le
    case classify
    /// The fused multiply-adds: `a×b+c`, `a×b−c`, `−a×b+c`, `−a×b−c`.
    case madd, msub, nmsub, nmadd
    /// `fcvt.w.{s,d,h}`, `fcvt.wu.{s,d,h}`: to an integer register.
    case toInt, toUnsigned
    /// `fcvt.{s,d,h}.w`, `fcvt.{s,d,h}.wu`: from an integer register.
    case fromInt, fromUnsigned
    /// `fcvt.X.s`, `fcvt.X.d`, `fcvt.X.h`: from a value of another width to the row's width
    /// (`fcvt.s.d` is `.float(.convertFromDouble, .single)`).
    case convertFromSingle, convertFromDouble, convertFromHalf
    /// `fmv.x.{w,h}`, `fmv.{w,h}.x`: bits between the register files.
    case moveToInt, moveFromInt

    /// The result goes to an integer register (`rd` is an x register).
    @inlinable public var writesInteger: Bool {
        switch self {
        case .eq, .lt, .le, .classify, .toInt, .toUnsigned, .moveToInt: return true
        default: return false
        }
    }

    /// The first operand is an integer register (`rs1` is an x register).
    @inlinable public var readsInteger: Bool {
        switch self {
        case .fromInt, .fromUnsigned, .moveFromInt: return true
        default: return false
        }
    }

    /// How many register operands it reads (rs1; rs1, rs2; rs1, rs2, rs3).
    public var operandCount: Int {
        switch self {
        case .sqrt, .classify, .toInt, .toUnsigned, .fromInt, .fromUnsigned, .convertFromSingle, .convertFromDouble,
             .convertFromHalf, .moveToInt, .moveFromInt:
            return 1
        case .madd, .msub, .nmsub, .nmadd: return 3
        case .add, .sub, .mul, .div, .sgnj, .sgnjn, .sgnjx, .min, .max, .eq, .lt, .le: return 2
        }
    }

    /// The instruction has an `rm` field (and so an invalid rounding mode makes it illegal).
    public var hasRoundingMode: Bool {
        switch self {
        case .add, .sub, .mul, .div, .sqrt, .madd, .msub, .nmsub, .nmadd,
             .toInt, .toUnsigned, .fromInt, .fromUnsigned, .convertFromSingle, .convertFromDouble, .convertFromHalf:
            return true
        case .sgnj, .sgnjn, .sgnjx, .min, .max, .eq, .lt, .le, .classify, .moveToInt, .moveFromInt:
            return false
        }
    }

    /// The source width of a conversion between float widths.
    @inlinable public var sourceWidth: FloatWidth? {
        switch self {
        case .convertFromSingle: return .single
        case .convertFromDouble: return .double
        case .convertFromHalf: return .half
        default: return nil
        }
    }

    /// At width `w`, the operation can never round (its every result is representable):
    /// `fcvt.d.w`, `fcvt.d.wu` and the widening conversions `fcvt.d.s`, `fcvt.s.h`, `fcvt.d.h`.
    /// objdump knows these only with rm = 0.
    public func isExact(at w: FloatWidth) -> Bool {
        if let source = sourceWidth { return source.precision < w.precision }
        return w == .double && (self == .fromInt || self == .fromUnsigned)
    }

    /// The IR's text form: `fadd`, `fcvt.w`, …
    public var name: String {
        switch self {
        case .toInt: return "fcvt.w"
        case .toUnsigned: return "fcvt.wu"
        case .fromInt: return "fcvt.from.w"
        case .fromUnsigned: return "fcvt.from.wu"
        case .convertFromSingle: return "fcvt.from.s"
        case .convertFromDouble: return "fcvt.from.d"
        case .convertFromHalf: return "fcvt.from.h"
        case .moveToInt: return "fmv.x"
        case .moveFromInt: return "fmv.from.x"
        default: return "f\(self)"
        }
    }

    /// The result and the exception flags of the operation at width `w`. `a`, `b`, `c` are the
    /// 64-bit register values of rs1, rs2, rs3 (rs1 zero-extended when it is an integer
    /// register); singles and halves are unboxed here and their results come back NaN-boxed. An
    /// integer result is in the low 32 bits. `mode` matters only where `hasRoundingMode`.
    /// The host's fast path where it applies, otherwise SoftFloat: the same bits either way.
    @inlinable @inline(__always)
    public func apply(_ w: FloatWidth, _ a: UInt64, _ b: UInt64, _ c: UInt64, mode: RoundingMode) -> (UInt64, FloatFlags) {
        applyFast(w, a, b, c, mode: mode) ?? applySoft(w, a, b, c, mode: mode)
    }

    /// `apply` for the common cases (see `FastFloat`), nil for the rest. The operations that
    /// only move bits (sign injection, moves, classification) are always answered here.
    ///
    /// Always inlined: the JIT's closure for one (operation, width) then holds only its own case.
    @inlinable @inline(__always)
    public func applyFast(_ w: FloatWidth, _ a: UInt64, _ b: UInt64, _ c: UInt64, mode: RoundingMode) -> (UInt64, FloatFlags)? {
        @inline(__always) func float(_ r: (UInt64, FloatFlags)?) -> (UInt64, FloatFlags)? { r.map { (w.box($0.0), $0.1) } }
        @inline(__always) func integer(_ r: (UInt32, FloatFlags)?) -> (UInt64, FloatFlags)? { r.map { (UInt64($0.0), $0.1) } }
        let x = w.unbox(a), y = w.unbox(b)
        switch self {
        case .add: return float(FastFloat.add(w, x, y, subtract: false, mode: mode))
        case .sub: return float(FastFloat.add(w, x, y, subtract: true, mode: mode))
        case .mul: return float(FastFloat.multiply(w, x, y, mode: mode))
        case .div: return float(FastFloat.divide(w, x, y, mode: mode))
        case .sqrt: return float(FastFloat.squareRoot(w, x, mode: mode))
        case .sgnj, .sgnjn, .sgnjx, .classify, .moveToInt, .moveFromInt: return applySoft(w, a, b, c, mode: mode)
        case .min, .max, .convertFromHalf: return nil
        case .eq, .lt, .le:
            let comparison: SoftFloat.Comparison = self == .eq ? .equal : self == .lt ? .less : .lessOrEqual
            return FastFloat.compare(w, x, y, comparison).map { ($0 ? 1 : 0, []) }
        case .madd, .msub, .nmsub, .nmadd:
            return float(FastFloat.fusedMultiplyAdd(
                w, x, y, w.unbox(c), negateProduct: self == .nmsub || self == .nmadd,
                negateAddend: self == .msub || self == .nmadd, mode: mode))
        case .toInt: return integer(FastFloat.toInteger(w, x, signed: true, mode: mode))
        case .toUnsigned: return integer(FastFloat.toInteger(w, x, signed: false, mode: mode))
        case .fromInt: return float(FastFloat.fromInteger(w, UInt32(truncatingIfNeeded: a), signed: true, mode: mode))
        case .fromUnsigned: return float(FastFloat.fromInteger(w, UInt32(truncatingIfNeeded: a), signed: false, mode: mode))
        case .convertFromSingle: return float(FastFloat.convert(FloatWidth.single.unbox(a), from: .single, to: w, mode: mode))
        case .convertFromDouble: return float(FastFloat.convert(a, from: .double, to: w, mode: mode))
        }
    }

    /// `apply` by SoftFloat alone: the reference the fast path is held to.
    @inlinable @inline(__always)
    public func applySoft(_ w: FloatWidth, _ a: UInt64, _ b: UInt64, _ c: UInt64, mode: RoundingMode) -> (UInt64, FloatFlags) {
        @inline(__always) func float(_ r: (UInt64, FloatFlags)) -> (UInt64, FloatFlags) { (w.box(r.0), r.1) }
        @inline(__always) func integer(_ r: (UInt32, FloatFlags)) -> (UInt64, FloatFlags) { (UInt64(r.0), r.1) }
        let x = w.unbox(a), y = w.unbox(b)
        switch self {
        case .add: return float(SoftFloat.add(w, x, y, mode: mode))
        case .sub: return float(SoftFloat.add(w, x, y, subtract: true, mode: mode))
        case .mul: return float(SoftFloat.multiply(w, x, y, mode: mode))
        case .div: return float(SoftFloat.divide(w, x, y, mode: mode))
        case .sqrt: return float(SoftFloat.squareRoot(w, x, mode: mode))
        case .sgnj: return (w.box(SoftFloat.injectSign(w, x, y, .copy)), [])
        case .sgnjn: return (w.box(SoftFloat.injectSign(w, x, y, .negate)), [])
        case .sgnjx: return (w.box(SoftFloat.injectSign(w, x, y, .xor)), [])
        case .min: return float(SoftFloat.minMax(w, x, y, maximum: false))
        case .max: return float(SoftFloat.minMax(w, x, y, maximum: true))
        case .eq, .lt, .le:
            let comparison: SoftFloat.Comparison = self == .eq ? .equal : self == .lt ? .less : .lessOrEqual
            let (holds, flags) = SoftFloat.compare(w, x, y, comparison)
            return (holds ? 1 : 0, flags)
        case .classify: return (UInt64(SoftFloat.classify(w, x)), [])
        case .madd, .msub, .nmsub, .nmadd:
            return float(SoftFloat.fusedMultiplyAdd(
                w, x, y, w.unbox(c), negateProduct: self == .nmsub || self == .nmadd,
                negateAddend: self == .msub || self == .nmadd, mode: mode))
        case .toInt: return integer(SoftFloat.toInteger(w, x, signed: true, mode: mode))
        case .toUnsigned: return integer(SoftFloat.toInteger(w, x, signed: false, mode: mode))
        case .fromInt: return float(SoftFloat.fromInteger(w, UInt32(truncatingIfNeeded: a), signed: true, mode: mode))
        case .fromUnsigned: return float(SoftFloat.fromInteger(w, UInt32(truncatingIfNeeded: a), signed: false, mode: mode))
        case .convertFromSingle: return float(SoftFloat.convert(FloatWidth.single.unbox(a), from: .single, to: w, mode: mode))
        case .convertFromDouble: return float(SoftFloat.convert(a, from: .double, to: w, mode: mode))
        case .convertFromHalf: return float(SoftFloat.convert(FloatWidth.half.unbox(a), from: .half, to: w, mode: mode))
        // fmv.x.w moves the low 32 bits as they are, boxed or not; fmv.x.h the low 16,
        // sign-extended.
        case .moveToInt:
            if w == .half { return (UInt64(UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: a)))), []) }
            return (a & 0xffff_ffff, [])
        case .moveFromInt: return (w.box(a), [])
        }
    }
}
