/// The meaning of RV32I's, M's and the bit-manipulation extensions' computational instructions,
/// as pure functions.
///
/// Both executors call these: the interpreter with the operation chosen per instruction, the
/// closure compiler with the operation fixed when a closure is built (the switch folds away).
/// Nothing here touches machine state, so nothing here can differ between engines.

/// Register-register and register-immediate ALU operations, M's and bit manipulation's included.
/// The unary ones (`clz` … `unzip`) ignore their second operand; their rows are `.aluImmediate`
/// with imm 0. Their text is the bitmanip specification's pseudo-code, restated.
public enum ALUOp: UInt8, CaseIterable, Sendable {
    case add, sub, sll, slt, sltu, xor, srl, sra, or, and
    case mul, mulh, mulhsu, mulhu, div, divu, rem, remu
    // Zba, Zbb, Zbc, Zbs, Zbkb, Zbkx (zext.h is pack with 0).
    case sh1add, sh2add, sh3add, andn, orn, xnor, max, maxu, min, minu, rol, ror
    case clmul, clmulh, clmulr, bclr, bext, binv, bset, pack, packh, xperm4, xperm8
    case clz, ctz, cpop, sextB, sextH, orcB, rev8, brev8, zip, unzip

    @inlinable @inline(__always)
    public func apply(_ a: UInt32, _ b: UInt32) -> UInt32 {
        switch self {
        case .add: return a &+ b
        case .sub: return a &- b
        case .sll: return a &<< (b & 31)
        case .slt: return Int32(bitPattern: a) < Int32(bitPattern: b) ? 1 : 0
        case .sltu: return a < b ? 1 : 0
        case .xor: return a ^ b
        case .srl: return a &>> (b & 31)
        case .sra: return UInt32(bitPattern: Int32(bitPattern: a) &>> Int32(b & 31))
        case .or: return a | b
        case .and: return a & b
        case .mul, .mulh, .mulhsu, .mulhu, .div, .divu, .rem, .remu, .sh1add, .sh2add, .sh3add, .andn, .orn,
            .xnor, .max, .maxu, .min, .minu, .rol, .ror, .clmul, .clmulh, .clmulr, .bclr, .bext, .binv, .bset, .pack,
            .packh, .xperm4, .xperm8, .clz, .ctz, .cpop, .sextB, .sextH, .orcB, .rev8, .brev8, .zip, .unzip:
            return applyExtension(a, b)
        }
    }

    /// The operations of M and the bit-manipulation extensions: out of line where the operation
    /// is not known in advance (the interpreter), so that RV32I's ten stay small enough to inline;
    /// folded like the rest where it is (the closure tables).
    @inlinable
    func applyExtension(_ a: UInt32, _ b: UInt32) -> UInt32 {
        switch self {
        case .add, .sub, .sll, .slt, .sltu, .xor, .srl, .sra, .or, .and:
            return apply(a, b)
        case .mul: return a &* b
        case .mulh: return UInt32(truncatingIfNeeded: (Int64(Int32(bitPattern: a)) &* Int64(Int32(bitPattern: b))) >> 32)
        case .mulhsu: return UInt32(truncatingIfNeeded: (Int64(Int32(bitPattern: a)) &* Int64(b)) >> 32)
        case .mulhu: return UInt32(truncatingIfNeeded: (UInt64(a) &* UInt64(b)) >> 32)
        // Division never traps: by zero it gives all ones (quotient) or the dividend
        // (remainder); INT_MIN / -1 overflows to INT_MIN with remainder 0.
        case .div:
            if b == 0 { return 0xffff_ffff }
            if a == 0x8000_0000 && b == 0xffff_ffff { return a }
            return UInt32(bitPattern: Int32(bitPattern: a) / Int32(bitPattern: b))
        case .divu: return b == 0 ? 0xffff_ffff : a / b
        case .rem:
            if b == 0 { return a }
            if a == 0x8000_0000 && b == 0xffff_ffff { return 0 }
            return UInt32(bitPattern: Int32(bitPattern: a) % Int32(bitPattern: b))
        case .remu: return b == 0 ? a : a % b
        case .sh1add: return a &<< 1 &+ b
        case .sh2add: return a &<< 2 &+ b
        case .sh3add: return a &<< 3 &+ b
        case .andn: return a & ~b
        case .orn: return a | ~b
        case .xnor: return ~(a ^ b)
        case .max: return Int32(bitPattern: a) < Int32(bitPattern: b) ? b : a
        case .maxu: return a < b ? b : a
        case .min: return Int32(bitPattern: a) < Int32(bitPattern: b) ? a : b
        case .minu: return a < b ? a : b
        case .rol: return a &<< (b & 31) | a &>> (32 &- (b & 31))  // &>> 32 is &>> 0: rol by 0 is a | a
        case .ror: return a &>> (b & 31) | a &<< (32 &- (b & 31))
        case .clmul: return UInt32(truncatingIfNeeded: Bits.carrylessProduct(a, b))
        case .clmulh: return UInt32(truncatingIfNeeded: Bits.carrylessProduct(a, b) >> 32)
        case .clmulr: return UInt32(truncatingIfNeeded: Bits.carrylessProduct(a, b) >> 31)
        case .bclr: return a & ~(1 &<< (b & 31))
        case .bext: return (a &>> (b & 31)) & 1
        case .binv: return a ^ (1 &<< (b & 31))
        case .bset: return a | (1 &<< (b & 31))
        case .pack: return (b & 0xffff) << 16 | (a & 0xffff)
        case .packh: return (b & 0xff) << 8 | (a & 0xff)
        case .xperm4: return Bits.crossbar(a, indices: b, width: 4)
        case .xperm8: return Bits.crossbar(a, indices: b, width: 8)
        case .clz: return UInt32(truncatingIfNeeded: a.leadingZeroBitCount)
        case .ctz: return UInt32(truncatingIfNeeded: a.trailingZeroBitCount)
        case .cpop: return UInt32(truncatingIfNeeded: a.nonzeroBitCount)
        case .sextB: return UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: a)))
        case .sextH: return UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: a)))
        case .orcB: return Bits.orCombineBytes(a)
        case .rev8: return a.byteSwapped
        case .brev8: return Bits.reverseBitsInBytes(a)
        case .zip: return Bits.zip(a)
        case .unzip: return Bits.unzip(a)
        }
    }

    /// Whether `apply` is the same for (a, b) and (b, a).
    public var isCommutative: Bool {
        switch self {
        case .add, .xor, .or, .and, .mul, .mulh, .mulhu: return true
        case .xnor, .max, .maxu, .min, .minu, .clmul, .clmulh, .clmulr: return true
        case .sub, .sll, .slt, .sltu, .srl, .sra, .mulhsu, .div, .divu, .rem, .remu: return false
        case .sh1add, .sh2add, .sh3add, .andn, .orn, .rol, .ror, .bclr, .bext, .binv, .bset, .pack, .packh: return false
        case .xperm4, .xperm8, .clz, .ctz, .cpop, .sextB, .sextH, .orcB, .rev8, .brev8, .zip, .unzip: return false
        }
    }

    public var name: String { "\(self)" }
}

/// The bit-manipulation helpers `ALUOp.apply` uses, each a loop over bits as the specification
/// writes it.
public enum Bits {
    /// The 64-bit carry-less product of `a` and `b`: clmul is its low word, clmulh bits 63:32,
    /// clmulr bits 62:31.
    @inlinable
    public static func carrylessProduct(_ a: UInt32, _ b: UInt32) -> UInt64 {
        var product: UInt64 = 0
        for i in 0..<UInt64(32) where (b >> UInt32(i)) & 1 != 0 { product ^= UInt64(a) << i }
        return product
    }

    /// xperm4/xperm8: each `width`-bit field of `indices` selects that field of `a`; an index past
    /// the end of `a` selects 0.
    @inlinable
    public static func crossbar(_ a: UInt32, indices: UInt32, width: UInt32) -> UInt32 {
        let fieldMask: UInt32 = (1 << width) &- 1
        var result: UInt32 = 0
        for position in stride(from: UInt32(0), to: 32, by: Int(width)) {
            let index = (indices >> position) & fieldMask
            guard index &* width < 32 else { continue }
            result |= ((a >> (index &* width)) & fieldMask) << position
        }
        return result
    }

    /// orc.b: each byte becomes 0xff when any of its bits is set, 0 otherwise.
    @inlinable
    public static func orCombineBytes(_ a: UInt32) -> UInt32 {
        var result: UInt32 = 0
        for shift in stride(from: UInt32(0), to: 32, by: 8) where (a >> shift) & 0xff != 0 { result |= 0xff << shift }
        return result
    }

    /// brev8: the bits of each byte in reverse order.
    @inlinable
    public static func reverseBitsInBytes(_ a: UInt32) -> UInt32 {
        var result: UInt32 = 0
        for bit in UInt32(0)..<32 where (a >> bit) & 1 != 0 { result |= 1 << (bit & ~7 | (7 &- bit & 7)) }
        return result
    }

    /// zip: bit i of the low half goes to bit 2i, bit i of the high half to bit 2i + 1.
    @inlinable
    public static func zip(_ a: UInt32) -> UInt32 {
        var result: UInt32 = 0
        for i in UInt32(0)..<16 {
            result |= ((a >> i) & 1) << (2 &* i) | ((a >> (i &+ 16)) & 1) << (2 &* i &+ 1)
        }
        return result
    }

    /// unzip: the inverse of zip (even bits to the low half, odd bits to the high half).
    @inlinable
    public static func unzip(_ a: UInt32) -> UInt32 {
        var result: UInt32 = 0
        for i in UInt32(0)..<16 {
            result |= ((a >> (2 &* i)) & 1) << i | ((a >> (2 &* i &+ 1)) & 1) << (i &+ 16)
        }
        return result
    }
}

/// Conditional branch comparisons.
public enum BranchCondition: UInt8, CaseIterable, Sendable {
    case eq, ne, lt, ge, ltu, geu

    @inlinable
    public func holds(_ a: UInt32, _ b: UInt32) -> Bool {
        switch self {
        case .eq: return a == b
        case .ne: return a != b
        case .lt: return Int32(bitPattern: a) < Int32(bitPattern: b)
        case .ge: return Int32(bitPattern: a) >= Int32(bitPattern: b)
        case .ltu: return a < b
        case .geu: return a >= b
        }
    }

    /// The condition that holds exactly when this one does not.
    public var negated: BranchCondition {
        switch self {
        case .eq: return .ne
        case .ne: return .eq
        case .lt: return .ge
        case .ge: return .lt
        case .ltu: return .geu
        case .geu: return .ltu
        }
    }

    public var name: String { "\(self)" }
}

/// Load and store widths, and how a loaded value is extended to 32 bits.
public enum MemoryWidth: UInt8, CaseIterable, Sendable {
    case byte, half, word, byteUnsigned, halfUnsigned

    @inlinable public var size: UInt32 {
        switch self {
        case .byte, .byteUnsigned: return 1
        case .half, .halfUnsigned: return 2
        case .word: return 4
        }
    }

    /// Extends the `size` low bytes of `raw` as the load instruction says.
    @inlinable
    public func extend(_ raw: UInt32) -> UInt32 {
        switch self {
        case .byte: return UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: raw)))
        case .half: return UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: raw)))
        case .word: return raw
        case .byteUnsigned: return raw & 0xff
        case .halfUnsigned: return raw & 0xffff
        }
    }

    public var name: String {
        switch self {
        case .byte: return "i8"
        case .half: return "i16"
        case .word: return "i32"
        case .byteUnsigned: return "u8"
        case .halfUnsigned: return "u16"
        }
    }
}

/// Control-flow helpers shared by the executors.
public enum ControlFlow {
    /// `jalr` target: rs1 + imm with bit 0 cleared.
    @inlinable
    public static func jalrTarget(_ base: UInt32, _ imm: Int32) -> UInt32 {
        (base &+ UInt32(bitPattern: imm)) & ~1
    }

    /// pc-relative target of a branch or `jal`.
    @inlinable
    public static func relative(_ pc: UInt32, _ offset: Int32) -> UInt32 { pc &+ UInt32(bitPattern: offset) }
}
