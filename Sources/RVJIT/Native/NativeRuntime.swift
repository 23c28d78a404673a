import RISCV
import RVMachine

/// What emitted code calls and reads: the slow paths it calls out to (the machine's own load,
/// store, ALU and trap logic, shared with the other executors), and the layout of the state it
/// reads and writes in place.
///
/// Helpers take C calling conventions so emitted code can call them like any C function:
/// `rdi`, `rsi`, `rdx`, `rcx` carry the arguments, `eax` the result.
enum NativeRuntime {
    typealias LoadHelper = @convention(c) (UnsafeMutableRawPointer, UInt32, UInt64) -> UInt32
    typealias StoreHelper = @convention(c) (UnsafeMutableRawPointer, UInt32, UInt32, UInt64) -> UInt32
    typealias ALUHelper = @convention(c) (UInt32, UInt32, UInt32) -> UInt32
    typealias TrapHelper = @convention(c) (UnsafeMutableRawPointer, UInt32, UInt64) -> Void
    typealias StepHelper = @convention(c) (UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> UInt32
    /// The prologue stub: `(cpu, native block entry) -> slot for the trampoline, or nil`.
    typealias Entry = @convention(c) (UnsafeMutableRawPointer, UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer?

    /// `info` of the load helper: width | rd << 8 | back << 16 | pc << 32.
    static func loadInfo(_ w: MemoryWidth, rd: UInt32, back: UInt16, pc: UInt32) -> UInt64 {
        UInt64(w.rawValue) | UInt64(rd & 0xff) << 8 | UInt64(back) << 16 | UInt64(pc) << 32
    }

    /// `info` of the store helper: width | size of the instruction << 8 | back << 16 | pc << 32.
    static func storeInfo(_ w: MemoryWidth, size: UInt8, back: UInt16, pc: UInt32) -> UInt64 {
        UInt64(w.rawValue) | UInt64(size) << 8 | UInt64(back) << 16 | UInt64(pc) << 32
    }

    /// A load the inline path could not do (a fault, a device, a page straddle): the machine's
    /// load at the instruction's exact state. 1: go on; 0: the block stops (a trap is set).
    static let load: LoadHelper = { c, address, info in
        let st = state(c)
        let w = MemoryWidth(rawValue: UInt8(truncatingIfNeeded: info)) ?? .word
        let rd = Int((info >> 8) & 0x3f)
        let back = (info >> 16) & 0xffff
        let pc = UInt32(truncatingIfNeeded: info >> 32)
        st.pointee.pc = pc
        st.pointee.instret &-= back
        guard let value = Machine.with(st, { $0.load(address, width: w, pc: pc) }) else {
            st.pointee.exitReason = ExitReason.trap.rawValue
            return 0
        }
        regs(c)[rd] = value
        st.pointee.instret &+= back
        return 1
    }

    /// A store the inline path could not do. 0 after a trap, and after a store to a page of
    /// translated code or a device, which ends the block right after the store (as in
    /// `Handlers.storeStep`): the dispatcher goes on at the next instruction.
    static let store: StoreHelper = { c, address, value, info in
        let st = state(c)
        let w = MemoryWidth(rawValue: UInt8(truncatingIfNeeded: info)) ?? .word
        let size = UInt32((info >> 8) & 0xff)
        let back = (info >> 16) & 0xffff
        let pc = UInt32(truncatingIfNeeded: info >> 32)
        let flags = st.pointee.pageFlags[Int(address >> 12)] | st.pointee.pageFlags[Int((address &+ w.size &- 1) >> 12)]
        st.pointee.pc = pc
        st.pointee.instret &-= back
        guard Machine.with(st, { $0.store(address, width: w, value: value, pc: pc) }) else {
            st.pointee.exitReason = ExitReason.trap.rawValue
            return 0
        }
        if flags & (PageFlag.code | PageFlag.device) != 0 {
            st.pointee.instret &+= 1
            st.pointee.pc = pc &+ size
            st.pointee.exitReason = ExitReason.lookup.rawValue
            st.pointee.engineScratch = nil
            return 0
        }
        st.pointee.instret &+= back
        return 1
    }

    /// An operation run out of line (`OutOfLine`): its closure handler at `slot`, followed by a
    /// `resume` slot. 1: the handler went on; 0: it stopped the block (a trap, a change of mode,
    /// a store into translated code), with `pc`, the count and the exit reason set as in the
    /// closure tier.
    static let step: StepHelper = { c, p in
        let resume = UnsafeMutableRawPointer(slot(p) + 1)
        return slot(p).pointee.handler(p, c) == resume ? 1 : 0
    }

    /// ALU operations that are not emitted inline (division, the bit-manipulation extensions):
    /// the same `ALUOp.apply` every executor uses.
    static let alu: ALUHelper = { op, a, b in
        ALUOp(rawValue: UInt8(truncatingIfNeeded: op))?.apply(a, b) ?? 0
    }

    /// A jump to a misaligned target: the trap at the jump, un-retired (`info` = back << 16 | pc << 32).
    static let misalignedJump: TrapHelper = { c, target, info in
        let st = state(c)
        let pc = UInt32(truncatingIfNeeded: info >> 32)
        st.pointee.pc = pc
        st.pointee.instret &-= (info >> 16) & 0xffff
        Machine.from(st).raise(Trap(.misalignedFetch, pc: pc, value: target))
        st.pointee.exitReason = ExitReason.trap.rawValue
    }

    static func address<T>(of f: T) -> UInt64 { UInt64(UInt(bitPattern: unsafeBitCast(f, to: UnsafeRawPointer.self))) }

    // MARK: Layout

    /// Byte offsets into `CPUState` that emitted code uses.
    enum Offset {
        static let pc = field(\CPUState.pc)
        static let instret = field(\CPUState.instret)
        static let limit = field(\CPUState.limit)
        static let exitReason = field(\CPUState.exitReason)
        static let memory = field(\CPUState.memory)
        static let pageFlags = field(\CPUState.pageFlags)
        static let engine = field(\CPUState.engine)
        static let engineScratch = field(\CPUState.engineScratch)
        static let chainBudget = field(\CPUState.chainBudget)
        static let slotLink = Int32(MemoryLayout<Slot>.offset(of: \Slot.link) ?? 8)
        static let slotMark = Int32(MemoryLayout<Slot>.offset(of: \Slot.spare) ?? 39)
        static let cacheEntry = Int32(MemoryLayout<JumpCacheEntry>.offset(of: \JumpCacheEntry.entry) ?? 8)

        static func field<T>(_ path: KeyPath<CPUState, T>) -> Int32 {
            guard let k = MemoryLayout<CPUState>.offset(of: path) else { preconditionFailure("CPUState field without storage") }
            return Int32(k)
        }
    }
}
