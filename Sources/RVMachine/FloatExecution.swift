import RISCV

/// The F/D/Zfh instructions on the CPU state, for both executors: the `mstatus.FS` and rounding-mode
/// checks, register reads (NaN unboxing happens in `FloatOp.apply`), the result, the accrued
/// flags and FS = Dirty. The arithmetic itself is `RISCV`'s soft-float, so nothing here depends
/// on the host's floating-point unit or on what the optimiser does with it.
public enum FloatExecution {
    /// Carries out `op` at width `w`; `rd` and `rs1` name x or f registers as `op` says (an x
    /// destination may be a JIT temporary; x0 is the caller's to keep zero). False, with nothing
    /// changed, when the instruction is illegal: FS is Off, or the rounding mode is reserved.
    @inlinable @inline(__always)
    public static func execute(
        _ op: FloatOp, _ w: FloatWidth, _ cpu: UnsafeMutablePointer<CPUState>,
        rd: Int, rs1: Int, rs2: Int, rs3: Int, rm: UInt8
    ) -> Bool {
        run(op, w, cpu, rd: rd, rs1: rs1, rs2: rs2, rs3: rs3, rm: rm) { op.apply(w, $0, $1, $2, mode: $3) }
    }

    /// `execute` when the host's fast path answers (`FloatOp.applyFast`); false, with nothing
    /// changed, when it does not, or the instruction is illegal: then `execute` must decide.
    @inlinable @inline(__always)
    public static func executeFast(
        _ op: FloatOp, _ w: FloatWidth, _ cpu: UnsafeMutablePointer<CPUState>,
        rd: Int, rs1: Int, rs2: Int, rs3: Int, rm: UInt8
    ) -> Bool {
        run(op, w, cpu, rd: rd, rs1: rs1, rs2: rs2, rs3: rs3, rm: rm) { op.applyFast(w, $0, $1, $2, mode: $3) }
    }

    /// The checks, the operand reads and the write-back around `compute`, which gives the result
    /// and flags or nil (nothing is then changed and the answer is false).
    @inlinable @inline(__always)
    static func run(
        _ op: FloatOp, _ w: FloatWidth, _ cpu: UnsafeMutablePointer<CPUState>, rd: Int, rs1: Int, rs2: Int, rs3: Int, rm: UInt8,
        _ compute: (UInt64, UInt64, UInt64, RoundingMode) -> (UInt64, FloatFlags)?
    ) -> Bool {
        let fcsr = cpu.pointee.fcsr
        guard cpu.pointee.fs != 0 else { return false }
        var mode = RoundingMode.rne
        if op.hasRoundingMode {
            guard let m = RoundingMode.resolve(field: rm, frm: fcsr >> 5) else { return false }
            mode = m
        }
        let f = cpu.floatRegisters, x = cpu.registers
        let a = op.readsInteger ? UInt64(x[rs1 & 63]) : f[rs1 & 31]
        guard let result = compute(a, f[rs2 & 31], f[rs3 & 31], mode) else { return false }
        let (value, flags) = result
        if op.writesInteger {
            x[rd & 63] = UInt32(truncatingIfNeeded: value)
            if flags.rawValue != 0 { cpu.pointee.fcsr = fcsr | UInt32(flags.rawValue); cpu.pointee.fs = 3 }
        } else {
            f[rd & 31] = value
            cpu.pointee.fcsr = fcsr | UInt32(flags.rawValue)
            cpu.pointee.fs = 3
        }
        cpu.pointee.floatInstructions &+= 1
        return true
    }

    /// Whether F/D instructions may run now (FS not Off).
    @inlinable
    public static func enabled(_ cpu: UnsafeMutablePointer<CPUState>) -> Bool { cpu.pointee.fs != 0 }
}

extension Machine {
    /// `flw`/`fld`/`flh` from `address` (the raw bits, a single or half not yet boxed), or nil
    /// after raising the trap. A double is two word accesses after a check of all eight bytes.
    public func loadFloat(_ address: UInt32, width: FloatWidth, pc: UInt32) -> UInt64? {
        if width == .half { return load(address, width: .halfUnsigned, pc: pc).map { UInt64($0) } }
        if width == .single { return load(address, width: .word, pc: pc).map { UInt64($0) } }
        if trapMisaligned && address & 7 != 0 {
            raise(Trap(.misalignedLoad, pc: pc, value: address))
            return nil
        }
        if !dataTranslation && memory.pageFlags(address) & PageFlag.device == 0 && !memory.check(address, length: 8, perms: PageFlag.read) {
            raise(Trap(.loadAccess, pc: pc, value: address))
            return nil
        }
        guard let low = load(address, width: .word, pc: pc), let high = load(address &+ 4, width: .word, pc: pc) else { return nil }
        return UInt64(high) << 32 | UInt64(low)
    }

    /// `fsw`/`fsd`/`fsh` of `value` to `address` (its low bits, boxed or not); false after
    /// raising the trap.
    public func storeFloat(_ address: UInt32, width: FloatWidth, value: UInt64, pc: UInt32) -> Bool {
        if width == .half { return store(address, width: .half, value: UInt32(truncatingIfNeeded: value & 0xffff), pc: pc) }
        if width == .single { return store(address, width: .word, value: UInt32(truncatingIfNeeded: value), pc: pc) }
        if trapMisaligned && address & 7 != 0 {
            raise(Trap(.misalignedStore, pc: pc, value: address))
            return false
        }
        if !dataTranslation && memory.pageFlags(address) & PageFlag.device == 0 && !memory.check(address, length: 8, perms: PageFlag.write) {
            raise(Trap(.storeAccess, pc: pc, value: address))
            return false
        }
        return store(address, width: .word, value: UInt32(truncatingIfNeeded: value), pc: pc)
            && store(address &+ 4, width: .word, value: UInt32(truncatingIfNeeded: value >> 32), pc: pc)
    }
}

extension FastAccess {
    /// An F/D/Zfh load's fast path: an ordinary readable page holding all of it; nil for the slow path.
    @inlinable @inline(__always)
    public static func loadFloat(
        _ memory: UnsafeMutableRawPointer, _ flags: UnsafeMutablePointer<UInt8>, _ address: UInt32, _ width: FloatWidth
    ) -> UInt64? {
        guard flags[Int(address >> 12)] & (PageFlag.read | PageFlag.device) == PageFlag.read,
            address & 0xfff <= 0x1000 &- width.size
        else { return nil }
        let p = memory + Int(address)
        switch width {
        case .half: return UInt64(UInt16(littleEndian: p.loadUnaligned(as: UInt16.self)))
        case .single: return UInt64(UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)))
        case .double: return UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
        }
    }

    /// An F/D/Zfh store's fast path; false leaves it to the slow path.
    @inlinable @inline(__always)
    public static func storeFloat(
        _ memory: UnsafeMutableRawPointer, _ flags: UnsafeMutablePointer<UInt8>, _ address: UInt32, _ width: FloatWidth,
        _ value: UInt64
    ) -> Bool {
        guard flags[Int(address >> 12)] & (PageFlag.write | PageFlag.device | PageFlag.code | PageFlag.watch) == PageFlag.write,
            address & 0xfff <= 0x1000 &- width.size
        else { return false }
        let p = memory + Int(address)
        switch width {
        case .half: p.storeBytes(of: UInt16(truncatingIfNeeded: value).littleEndian, as: UInt16.self)
        case .single: p.storeBytes(of: UInt32(truncatingIfNeeded: value).littleEndian, as: UInt32.self)
        case .double: p.storeBytes(of: value.littleEndian, as: UInt64.self)
        }
        return true
    }
}
