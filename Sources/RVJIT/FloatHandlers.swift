import RISCV
import RVMachine

/// The F/D/Zfh closures: loads and stores with the same fast path and slow step as the integer ones,
/// and one closure per (operation, width) that calls `FloatExecution.execute`, the code the
/// interpreter runs too. `mstatus.FS` and `frm` are read when the closure runs (they can change
/// under a translated block without ending it), so a translation never depends on them.
extension Handlers {
    /// The instruction at this slot is illegal (FS Off, a reserved rounding mode): un-retired,
    /// trapped with its bits (`d`) in `mtval`.
    @inline(never)
    static func floatIllegal(_ s: UnsafeMutablePointer<Slot>, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        let st = state(c)
        st.pointee.pc = s.pointee.pc
        st.pointee.instret &-= UInt64(s.pointee.back)
        let pc = s.pointee.pc, word = s.pointee.d
        Machine.with(st) { $0.raise(Trap(.illegalInstruction, pc: pc, value: word)) }
        st.pointee.exitReason = ExitReason.trap.rawValue
        return nil
    }

    // MARK: Loads and stores (`a` = f register, `b` = base register, `c` = offset, `d` = word)

    static func floatLoad(_ w: FloatWidth, checked: Bool) -> Handler {
        switch (w, checked) {
        case (.single, false): return { Handlers.floatLoad(.single, checked: false, $0, $1) }
        case (.double, false): return { Handlers.floatLoad(.double, checked: false, $0, $1) }
        case (.half, false): return { Handlers.floatLoad(.half, checked: false, $0, $1) }
        case (.single, true): return { Handlers.floatLoad(.single, checked: true, $0, $1) }
        case (.double, true): return { Handlers.floatLoad(.double, checked: true, $0, $1) }
        case (.half, true): return { Handlers.floatLoad(.half, checked: true, $0, $1) }
        }
    }

    static func floatStore(_ w: FloatWidth, checked: Bool) -> Handler {
        switch (w, checked) {
        case (.single, false): return { Handlers.floatStore(.single, checked: false, $0, $1) }
        case (.double, false): return { Handlers.floatStore(.double, checked: false, $0, $1) }
        case (.half, false): return { Handlers.floatStore(.half, checked: false, $0, $1) }
        case (.single, true): return { Handlers.floatStore(.single, checked: true, $0, $1) }
        case (.double, true): return { Handlers.floatStore(.double, checked: true, $0, $1) }
        case (.half, true): return { Handlers.floatStore(.half, checked: true, $0, $1) }
        }
    }

    @inline(__always)
    static func floatLoad(_ w: FloatWidth, checked: Bool, _ p: UnsafeMutableRawPointer, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        let s = slot(p), st = state(c)
        guard st.pointee.fs != 0 else { return floatIllegal(s, c) }
        let address = regs(c)[Int(s.pointee.b)] &+ s.pointee.c
        if !checked, let raw = FastAccess.loadFloat(st.pointee.memory, st.pointee.pageFlags, address, w) {
            st.floatRegisters[Int(s.pointee.a & 31)] = w.box(raw)
            st.pointee.fs = 3
            st.pointee.floatInstructions &+= 1
            return next(s, c)
        }
        guard floatLoadStep(w, s, c, address: address) else { return stop() }
        return next(s, c)
    }

    @inline(never)
    static func floatLoadStep(_ w: FloatWidth, _ s: UnsafeMutablePointer<Slot>, _ c: UnsafeMutableRawPointer, address: UInt32) -> Bool {
        let st = state(c)
        let back = UInt64(s.pointee.back)
        st.pointee.pc = s.pointee.pc
        st.pointee.instret &-= back
        let pc = s.pointee.pc
        guard let raw = Machine.with(st, { $0.loadFloat(address, width: w, pc: pc) }) else {
            st.pointee.exitReason = ExitReason.trap.rawValue
            return false
        }
        st.floatRegisters[Int(s.pointee.a & 31)] = w.box(raw)
        st.pointee.fs = 3
        st.pointee.floatInstructions &+= 1
        st.pointee.instret &+= back
        return true
    }

    @inline(__always)
    static func floatStore(_ w: FloatWidth, checked: Bool, _ p: UnsafeMutableRawPointer, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        let s = slot(p), st = state(c)
        guard st.pointee.fs != 0 else { return floatIllegal(s, c) }
        let address = regs(c)[Int(s.pointee.b)] &+ s.pointee.c
        let value = st.floatRegisters[Int(s.pointee.a & 31)]
        if !checked && FastAccess.storeFloat(st.pointee.memory, st.pointee.pageFlags, address, w, value) {
            st.pointee.floatInstructions &+= 1
            return next(s, c)
        }
        guard floatStoreStep(w, s, c, address: address, value: value) else { return stop() }
        return next(s, c)
    }

    /// A store's slow path; like `storeStep`, a store to a code page or a device ends the block.
    @inline(never)
    static func floatStoreStep(
        _ w: FloatWidth, _ s: UnsafeMutablePointer<Slot>, _ c: UnsafeMutableRawPointer, address: UInt32, value: UInt64
    ) -> Bool {
        let st = state(c)
        let back = UInt64(s.pointee.back)
        let flags = st.pointee.pageFlags[Int(address >> 12)] | st.pointee.pageFlags[Int((address &+ w.size &- 1) >> 12)]
        st.pointee.pc = s.pointee.pc
        st.pointee.instret &-= back
        let pc = s.pointee.pc
        // Under Sv32 the flags above are the empty table (see `storeStep`).
        let (stored, special) = Machine.with(st) { m -> (Bool, Bool) in
            let before = m.codeOrDeviceStores
            return (m.storeFloat(address, width: w, value: value, pc: pc), m.codeOrDeviceStores != before)
        }
        guard stored else {
            st.pointee.exitReason = ExitReason.trap.rawValue
            return false
        }
        st.pointee.floatInstructions &+= 1
        if special || flags & (PageFlag.code | PageFlag.device) != 0 {
            st.pointee.instret &+= 1
            st.pointee.pc = s.pointee.nextPC
            st.pointee.exitReason = ExitReason.lookup.rawValue
            st.pointee.engineScratch = nil
            return false
        }
        st.pointee.instret &+= back
        return true
    }

    // MARK: Computation (`a` = rd | rs1 << 8 | rs2 << 16 | rs3 << 24, `b` = rm, `d` = word)

    /// The closure for one operation at one width: the operation is a constant in its body.
    static func float(_ op: FloatOp, _ w: FloatWidth) -> Handler {
        switch w {
        case .single: return singleHandlers[Int(op.rawValue)]
        case .double: return doubleHandlers[Int(op.rawValue)]
        case .half: return halfHandlers[Int(op.rawValue)]
        }
    }

    @inline(__always)
    static func float(_ op: FloatOp, _ w: FloatWidth, _ p: UnsafeMutableRawPointer, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        let s = slot(p), a = s.pointee.a
        guard FloatExecution.execute(
            op, w, state(c), rd: Int(a & 0xff), rs1: Int((a >> 8) & 0xff), rs2: Int((a >> 16) & 0xff), rs3: Int(a >> 24),
            rm: UInt8(truncatingIfNeeded: s.pointee.b))
        else { return floatIllegal(s, c) }
        return next(s, c)
    }
}
