import RISCV
import RVMachine

/// Guest loads and stores from handlers: one fast path (an ordinary page with the permission,
/// the access inside it) and one slow step (the machine's path: faults, devices, code pages,
/// page-straddling accesses), shared by the single-operation and the fused closures.
extension Handlers {
    /// Stops the block after a memory step that could not go on (a trap, or a store that
    /// changed code or a device); the step has set the state and the exit reason.
    @inline(never)
    static func stop() -> UnsafeMutableRawPointer? { nil }

    /// A load's slow path as one step, for the slot's instruction (its `pc` and `back`).
    /// True when execution goes on with the next operation.
    @inline(never)
    static func loadStep(_ w: MemoryWidth, _ s: UnsafeMutablePointer<Slot>, _ c: UnsafeMutableRawPointer, address: UInt32, into rd: Int) -> Bool {
        let st = state(c)
        if let value = translatedLoad(st, address, w) {
            regs(c)[rd] = value
            return true
        }
        let back = UInt64(s.pointee.back)
        st.pointee.pc = s.pointee.pc
        st.pointee.instret &-= back
        let pc = s.pointee.pc
        guard let value = Machine.with(st, { $0.load(address, width: w, pc: pc) }) else {
            st.pointee.exitReason = ExitReason.trap.rawValue
            return false
        }
        regs(c)[rd] = value
        st.pointee.instret &+= back
        return true
    }

    /// A store's slow path as one step (a code page, a device, a page boundary, a fault). False
    /// after a trap, and after a store to a code page or a device, which ends the block right
    /// after the store (a traced store then reports its own retirement: the retire slot after it
    /// does not run).
    @inline(never)
    static func storeStep(
        _ w: MemoryWidth, _ s: UnsafeMutablePointer<Slot>, _ c: UnsafeMutableRawPointer, address: UInt32, value: UInt32,
        traced: Bool = false
    ) -> Bool {
        let st = state(c)
        if translatedStore(st, address, w, value) { return true }
        let back = UInt64(s.pointee.back)
        let flags = st.pointee.pageFlags[Int(address >> 12)] | st.pointee.pageFlags[Int((address &+ w.size &- 1) >> 12)]
        st.pointee.pc = s.pointee.pc
        st.pointee.instret &-= back
        let pc = s.pointee.pc
        // Under Sv32 the flags above are the empty table: the machine counts what the store
        // reached through the mapping.
        let (stored, special) = Machine.with(st) { m -> (Bool, Bool) in
            let before = m.codeOrDeviceStores
            return (m.store(address, width: w, value: value, pc: pc), m.codeOrDeviceStores != before)
        }
        guard stored else {
            st.pointee.exitReason = ExitReason.trap.rawValue
            return false
        }
        if special || flags & (PageFlag.code | PageFlag.device) != 0 {
            st.pointee.instret &+= 1
            st.pointee.pc = s.pointee.nextPC
            if traced { Handlers.storeRetired(s, c) }
            st.pointee.exitReason = ExitReason.lookup.rawValue
            st.pointee.engineScratch = nil
            return false
        }
        st.pointee.instret &+= back
        return true
    }

    /// Under Sv32, a load through the TLB's fast entry for its page (see `TLB.FastEntry`), to an
    /// ordinary page inside it; nil for the machine's path (a miss, a walk, a fault, a device).
    @inline(__always)
    static func translatedLoad(_ st: UnsafeMutablePointer<CPUState>, _ address: UInt32, _ w: MemoryWidth) -> UInt32? {
        guard let tlb = st.pointee.dataTLB else { return nil }
        let vpn = address >> 12
        let e = tlb[Int(vpn & UInt32(TLB.size - 1))]
        guard e.loadTag == st.pointee.dataTLBTag | vpn else { return nil }
        return FastAccess.load(st.pointee.memory, st.pointee.memoryFlags, e.frame | address & 0xfff, w)
    }

    /// Under Sv32, a store through the TLB's fast entry (see `translatedLoad`); false for the
    /// machine's path (also a page of translated code, a device or a watched word).
    @inline(__always)
    static func translatedStore(_ st: UnsafeMutablePointer<CPUState>, _ address: UInt32, _ w: MemoryWidth, _ value: UInt32) -> Bool {
        guard let tlb = st.pointee.dataTLB else { return false }
        let vpn = address >> 12
        let e = tlb[Int(vpn & UInt32(TLB.size - 1))]
        guard e.storeTag == st.pointee.dataTLBTag | vpn else { return false }
        return FastAccess.store(st.pointee.memory, st.pointee.memoryFlags, e.frame | address & 0xfff, w, value)
    }

    /// The fast path of a load, or its slow step; false when the block must stop.
    @inline(__always)
    static func loadOrStep(_ w: MemoryWidth, _ s: UnsafeMutablePointer<Slot>, _ c: UnsafeMutableRawPointer, address: UInt32, into rd: Int) -> Bool {
        let st = state(c)
        if let value = FastAccess.load(st.pointee.memory, st.pointee.pageFlags, address, w) {
            regs(c)[rd] = value
            return true
        }
        return loadStep(w, s, c, address: address, into: rd)
    }

    /// The fast path of a store, or its slow step; false when the block must stop.
    @inline(__always)
    static func storeOrStep(
        _ w: MemoryWidth, _ s: UnsafeMutablePointer<Slot>, _ c: UnsafeMutableRawPointer, address: UInt32, value: UInt32,
        traced: Bool = false
    ) -> Bool {
        let st = state(c)
        if FastAccess.store(st.pointee.memory, st.pointee.pageFlags, address, w, value) { return true }
        return storeStep(w, s, c, address: address, value: value, traced: traced)
    }

}
