import RISCV
import RVMachine

/// The closure shapes the compiler chooses from: one context-free closure per operation form,
/// each a line calling a shared helper with the operation fixed, so the semantics come from
/// `RISCV`'s pure helpers and the switch on the operation folds away.
enum Handlers {
    // MARK: Block entry

    /// Counts the whole block up front; if that would pass the limit, leaves before anything
    /// runs so the dispatcher can single-step to the exact instruction.
    ///
    /// It also spends the chain budget: blocks enter each other by tail calls, and where a
    /// build does not turn those into jumps (debug builds) the stack would grow without bound,
    /// so after `JIT.chainBudget` entries control goes back to the trampoline once.
    static let enter: Handler = { p, c in
        let s = slot(p), st = state(c)
        let n = st.pointee.instret &+ UInt64(s.pointee.c)
        if n > st.pointee.limit { return Handlers.limitExit(s, st) }
        if st.pointee.chainBudget == 0 { return Handlers.toTrampoline(p) }
        st.pointee.chainBudget &-= 1
        st.pointee.instret = n
        return next(s, c)
    }

    @inline(never)
    static func limitExit(_ s: UnsafeMutablePointer<Slot>, _ st: UnsafeMutablePointer<CPUState>) -> UnsafeMutableRawPointer? {
        st.pointee.pc = s.pointee.pc
        st.pointee.exitReason = ExitReason.limit.rawValue
        return nil
    }

    /// `enter`, plus an execution count in the block's counter (profiles, `exec` traces).
    static let enterCounted: Handler = { p, c in
        let s = slot(p), st = state(c)
        let n = st.pointee.instret &+ UInt64(s.pointee.c)
        if n > st.pointee.limit { return Handlers.limitExit(s, st) }
        if st.pointee.chainBudget == 0 { return Handlers.toTrampoline(p) }
        st.pointee.chainBudget &-= 1
        st.pointee.instret = n
        s.pointee.link.unsafelyUnwrapped.assumingMemoryBound(to: UInt64.self).pointee &+= 1
        if s.pointee.d != 0 { return Handlers.blockHook(s, c) }
        return next(s, c)
    }

    /// `enter` for a block the native tier could take: counts its executions (its counter) and
    /// down in `b`, and at zero leaves for the dispatcher, which compiles it natively (`JIT.requestNative`).
    static let enterPromoting: Handler = { p, c in
        let s = slot(p), st = state(c)
        let n = st.pointee.instret &+ UInt64(s.pointee.c)
        if n > st.pointee.limit { return Handlers.limitExit(s, st) }
        if st.pointee.chainBudget == 0 { return Handlers.toTrampoline(p) }
        if s.pointee.b == 0 { return Handlers.promote(s, st) }
        s.pointee.b &-= 1
        st.pointee.chainBudget &-= 1
        st.pointee.instret = n
        // Its execution count (the block's counter: an "enter" shape's link), for profiles.
        s.pointee.link.unsafelyUnwrapped.assumingMemoryBound(to: UInt64.self).pointee &+= 1
        return next(s, c)
    }

    @inline(never)
    static func promote(_ s: UnsafeMutablePointer<Slot>, _ st: UnsafeMutablePointer<CPUState>) -> UnsafeMutableRawPointer? {
        let jit = Unmanaged<JIT>.fromOpaque(st.pointee.engineOwner.unsafelyUnwrapped).takeUnretainedValue()
        jit.requestNative(s.pointee.pc)
        st.pointee.pc = s.pointee.pc
        st.pointee.exitReason = ExitReason.lookup.rawValue
        st.pointee.engineScratch = nil
        return nil
    }

    // MARK: Moves and ALU

    static let moveImmediate: Handler = { p, c in
        let s = slot(p)
        regs(c)[Int(s.pointee.a)] = s.pointee.c
        return next(s, c)
    }

    static let moveRegister: Handler = { p, c in
        let s = slot(p), x = regs(c)
        x[Int(s.pointee.a)] = x[Int(s.pointee.b)]
        return next(s, c)
    }

    @inline(__always)
    static func rr(_ op: ALUOp, _ p: UnsafeMutableRawPointer, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        let s = slot(p), x = regs(c)
        x[Int(s.pointee.a)] = op.apply(x[Int(s.pointee.b)], x[Int(s.pointee.c)])
        return next(s, c)
    }

    @inline(__always)
    static func ri(_ op: ALUOp, _ p: UnsafeMutableRawPointer, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        let s = slot(p), x = regs(c)
        x[Int(s.pointee.a)] = op.apply(x[Int(s.pointee.b)], s.pointee.c)
        return next(s, c)
    }

    // MARK: Memory

    /// `x[a] = load(x[b] + c)`: the fast path and slow step shared with the fused closures.
    @inline(__always)
    static func load(_ w: MemoryWidth, _ p: UnsafeMutableRawPointer, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        let s = slot(p), x = regs(c)
        guard loadOrStep(w, s, c, address: x[Int(s.pointee.b)] &+ s.pointee.c, into: Int(s.pointee.a)) else { return stop() }
        return next(s, c)
    }

    /// A load that always takes the machine's path (misaligned accesses must trap).
    @inline(never)
    static func loadSlow(_ w: MemoryWidth, _ s: UnsafeMutablePointer<Slot>, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        guard loadStep(w, s, c, address: regs(c)[Int(s.pointee.b)] &+ s.pointee.c, into: Int(s.pointee.a)) else { return stop() }
        return next(s, c)
    }

    /// `store(x[b] + c, x[a])`; `d` holds the instruction word when instruction tracing is on.
    @inline(__always)
    static func store(_ w: MemoryWidth, _ p: UnsafeMutableRawPointer, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        let s = slot(p), x = regs(c)
        guard storeOrStep(w, s, c, address: x[Int(s.pointee.b)] &+ s.pointee.c, value: x[Int(s.pointee.a)], traced: s.pointee.d != 0)
        else { return stop() }
        return next(s, c)
    }

    /// A store that always takes the machine's path (misaligned accesses must trap).
    @inline(never)
    static func storeSlow(_ w: MemoryWidth, _ s: UnsafeMutablePointer<Slot>, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        let x = regs(c)
        guard storeStep(w, s, c, address: x[Int(s.pointee.b)] &+ s.pointee.c, value: x[Int(s.pointee.a)], traced: s.pointee.d != 0)
        else { return stop() }
        return next(s, c)
    }

    // MARK: Exits

    /// Leaves for `d`: straight into the chained successor, or to the dispatcher to find it
    /// (which then links this slot so the next time needs no lookup).
    ///
    /// Each way out of a handler ends in a call, and at most one of them is indirect: that is
    /// the shape the compiler turns into jumps (sibling calls). A path that returns a plain value,
    /// or two indirect calls that get merged, make it emit a real call instead (checked in the
    /// release build's disassembly; see docs/execution-model.md).
    ///
    /// A chained successor with a plain entry (`a` = 1) is entered right here: the count and
    /// limit check its entry slot would do, then straight to its first operation.
    ///
    /// A side exit of a superblock leaves `back - 1` instructions unexecuted: the entry counted
    /// them, so they are taken off here (for a block's last instruction `back` is 1).
    @inline(__always)
    static func exit(_ s: UnsafeMutablePointer<Slot>, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        let st = state(c)
        let retired = st.pointee.instret &- UInt64(s.pointee.back &- 1)
        st.pointee.instret = retired
        guard let l = s.pointee.link else { return unlinked(s, c) }
        let e = slot(l)
        let n = retired &+ UInt64(e.pointee.c)
        if e.pointee.a == 1 && n <= st.pointee.limit && st.pointee.chainBudget != 0 {
            st.pointee.chainBudget &-= 1
            st.pointee.instret = n
            return next(e, c)
        }
        return enterOutOfLine(l, c)
    }

    /// Enters a block through its entry slot (counted entries, limits, an exhausted budget).
    @inline(never)
    static func enterOutOfLine(_ l: UnsafeMutableRawPointer, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        slot(l).pointee.handler(l, c)
    }

    /// `next` out of line, for the second way out of two-way handlers.
    @inline(never)
    static func nextOutOfLine(_ s: UnsafeMutablePointer<Slot>, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        next(s, c)
    }

    /// `exit` out of line, for the second way out of two-way handlers.
    @inline(never)
    static func exitOutOfLine(_ s: UnsafeMutablePointer<Slot>, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        exit(s, c)
    }

    @inline(never)
    static func toTrampoline(_ l: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? { l }

    @inline(never)
    static func unlinked(_ s: UnsafeMutablePointer<Slot>, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        let st = state(c)
        st.pointee.pc = s.pointee.d
        st.pointee.exitReason = ExitReason.lookup.rawValue
        st.pointee.engineScratch = UnsafeMutableRawPointer(s)
        return nil
    }

    static let jump: Handler = { p, c in Handlers.exit(slot(p), c) }

    @inline(__always)
    static func branchRR(_ cond: BranchCondition, _ p: UnsafeMutableRawPointer, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        let s = slot(p), x = regs(c)
        if cond.holds(x[Int(s.pointee.a)], x[Int(s.pointee.b)]) { return Handlers.exit(s, c) }
        return nextOutOfLine(s, c)
    }

    @inline(__always)
    static func branchRI(_ cond: BranchCondition, _ p: UnsafeMutableRawPointer, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        let s = slot(p), x = regs(c)
        if cond.holds(x[Int(s.pointee.a)], s.pointee.c) { return Handlers.exit(s, c) }
        return nextOutOfLine(s, c)
    }

    /// `jalr`: target from `x[b] + c` (read before the link register `a` is written with `d`),
    /// then the jump cache; a miss goes to the dispatcher. Without C a target must be 4-byte
    /// aligned; with C bit 0 is already clear, so every target is aligned.
    static let jumpIndirect: Handler = { p, c in Handlers.jumpIndirect(alignMask: 3, p, c) }
    static let jumpIndirectCompressed: Handler = { p, c in Handlers.jumpIndirect(alignMask: 1, p, c) }

    @inline(__always)
    static func jumpIndirect(alignMask: UInt32, _ p: UnsafeMutableRawPointer, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        let s = slot(p), st = state(c), x = regs(c)
        let target = ControlFlow.jalrTarget(x[Int(s.pointee.b)], Int32(bitPattern: s.pointee.c))
        guard target & alignMask == 0 else { return Handlers.misalignedJump(s, c, target) }
        if s.pointee.a != 0 { x[Int(s.pointee.a)] = s.pointee.d }
        let cache = st.pointee.engine.unsafelyUnwrapped.assumingMemoryBound(to: JumpCacheEntry.self)
        let e = cache[JumpCache.index(target)]
        if e.pc == target, let entry = e.entry { return enterOutOfLine(entry, c) }
        return Handlers.indirectMiss(st, target)
    }

    @inline(never)
    static func indirectMiss(_ st: UnsafeMutablePointer<CPUState>, _ target: UInt32) -> UnsafeMutableRawPointer? {
        st.pointee.pc = target
        st.pointee.exitReason = ExitReason.lookup.rawValue
        st.pointee.engineScratch = nil
        return nil
    }

    @inline(never)
    static func misalignedJump(_ s: UnsafeMutablePointer<Slot>, _ c: UnsafeMutableRawPointer, _ target: UInt32) -> UnsafeMutableRawPointer? {
        let st = state(c)
        st.pointee.pc = s.pointee.pc
        st.pointee.instret &-= UInt64(s.pointee.back)
        Machine.from(st).raise(Trap(.misalignedFetch, pc: s.pointee.pc, value: target))
        st.pointee.exitReason = ExitReason.trap.rawValue
        return nil
    }

    // MARK: System operations

    /// Hands the instruction at this slot to the monitor, un-retired: the dispatcher emulates it.
    static let monitor: Handler = { p, c in
        let s = slot(p), st = state(c)
        st.pointee.pc = s.pointee.pc
        st.pointee.instret &-= UInt64(s.pointee.back)
        st.pointee.exitReason = ExitReason.monitor.rawValue
        return nil
    }

    /// A Zicsr instruction run in place on the virtual CSR file (`a` = rd, `b` = rs1 or uimm,
    /// `c` = CSR number | CSROp << 16 | immediate << 20, `d` = the instruction word).
    static let csrVirtual: Handler = { p, c in Handlers.csr(slot(p), c, virtualize: true) }
    /// A counter read under the trap policy. Where it would not trap (U-mode, permitted by
    /// `mcounteren`) it runs natively and the host's counters show through; anywhere else it
    /// traps to the monitor like any privileged instruction.
    static let csrHost: Handler = { p, c in
        let s = slot(p)
        if Machine.from(state(c)).counterReadRunsNatively(UInt16(truncatingIfNeeded: s.pointee.c)) {
            return Handlers.csr(s, c, virtualize: false)
        }
        return Handlers.monitor(p, c)
    }

    @inline(never)
    static func csr(_ s: UnsafeMutablePointer<Slot>, _ c: UnsafeMutableRawPointer, virtualize: Bool) -> UnsafeMutableRawPointer? {
        let st = state(c), x = regs(c)
        let op = CSROp(rawValue: UInt8(truncatingIfNeeded: (s.pointee.c >> 16) & 0xf)) ?? .set
        let immediate = s.pointee.c & (1 << 20) != 0
        let operand = immediate ? s.pointee.b : x[Int(s.pointee.b)]
        let access = CSRAccess(
            number: UInt16(truncatingIfNeeded: s.pointee.c), operation: op, operand: operand, sourceIsZero: s.pointee.b == 0)
        let back = UInt64(s.pointee.back)
        let before = st.pointee.instret &- back
        st.pointee.pc = s.pointee.pc
        let pc = s.pointee.pc, word = s.pointee.d
        let result = Machine.with(st) {
            $0.csr(access, pc: pc, word: word, instret: before, virtualizeCounters: virtualize)
        }
        guard let old = result else {
            st.pointee.instret = before
            st.pointee.exitReason = ExitReason.trap.rawValue
            return nil
        }
        if s.pointee.a != 0 { x[Int(s.pointee.a)] = old }
        return next(s, c)
    }

    /// `mret` in place: a change of mode, so the block ends at the new pc.
    static let mret: Handler = { p, c in
        let s = slot(p), st = state(c)
        let machine = Machine.from(st)
        st.pointee.pc = s.pointee.pc
        if machine.privileged.privilege != .machine { st.pointee.instret &-= UInt64(s.pointee.back) }
        machine.mret(pc: s.pointee.pc, word: s.pointee.d)
        st.pointee.exitReason = ExitReason.lookup.rawValue
        st.pointee.engineScratch = nil
        return nil
    }

    /// `sret` in place (see `mret`).
    static let sret: Handler = { p, c in
        let s = slot(p), st = state(c)
        let machine = Machine.from(st)
        st.pointee.pc = s.pointee.pc
        if !machine.sretIsLegal { st.pointee.instret &-= UInt64(s.pointee.back) }
        machine.sret(pc: s.pointee.pc, word: s.pointee.d)
        st.pointee.exitReason = ExitReason.lookup.rawValue
        st.pointee.engineScratch = nil
        return nil
    }

    /// `sfence.vma` in place (`a` = rs1, `b` = rs2): the TLB drops what it names; the block ends.
    static let sfenceVMA: Handler = { p, c in
        let s = slot(p), st = state(c), x = regs(c)
        st.pointee.pc = s.pointee.pc
        let rs1 = Int(s.pointee.a), rs2 = Int(s.pointee.b)
        let pc = s.pointee.pc, word = s.pointee.d
        let done = Machine.with(st) {
            $0.sfenceVMA(address: rs1 == 0 ? nil : x[rs1], asid: rs2 == 0 ? nil : x[rs2], pc: pc, word: word)
        }
        guard done else {
            st.pointee.instret &-= UInt64(s.pointee.back)
            st.pointee.exitReason = ExitReason.trap.rawValue
            return nil
        }
        st.pointee.pc = s.pointee.nextPC
        st.pointee.exitReason = ExitReason.lookup.rawValue
        st.pointee.engineScratch = nil
        return nil
    }

    /// `wfi` in place: retired; the guest clock may jump to the next timer deadline. Illegal
    /// where `Machine.wfiIsLegal` says so (TW, or U-mode with S-mode present).
    static let wfi: Handler = { p, c in
        let s = slot(p), st = state(c)
        guard Machine.from(st).wfiIsLegal else {
            st.pointee.pc = s.pointee.pc
            st.pointee.instret &-= UInt64(s.pointee.back)
            Machine.from(st).raise(Trap(.illegalInstruction, pc: s.pointee.pc, value: s.pointee.d))
            st.pointee.exitReason = ExitReason.trap.rawValue
            return nil
        }
        st.pointee.pc = s.pointee.nextPC
        Machine.from(st).waitForInterrupt(pc: s.pointee.pc)
        st.pointee.exitReason = ExitReason.lookup.rawValue
        st.pointee.engineScratch = nil
        return nil
    }

    // MARK: Atomics

    /// The A instructions (`a` = rd, `b` = rs1, `c` = rs2), through `Machine.atomic`, which both
    /// executors share. A store into a page of translated code ends the block after it.
    static func atomic(_ op: AtomicOp) -> Handler {
        switch op {
        case .loadReserved: return { Handlers.atomicStep(.loadReserved, slot($0), $1) }
        case .storeConditional: return { Handlers.atomicStep(.storeConditional, slot($0), $1) }
        case .amo(let k):
            switch k {
            case .swap: return { Handlers.atomicStep(.amo(.swap), slot($0), $1) }
            case .add: return { Handlers.atomicStep(.amo(.add), slot($0), $1) }
            case .xor: return { Handlers.atomicStep(.amo(.xor), slot($0), $1) }
            case .and: return { Handlers.atomicStep(.amo(.and), slot($0), $1) }
            case .or: return { Handlers.atomicStep(.amo(.or), slot($0), $1) }
            case .min: return { Handlers.atomicStep(.amo(.min), slot($0), $1) }
            case .max: return { Handlers.atomicStep(.amo(.max), slot($0), $1) }
            case .minu: return { Handlers.atomicStep(.amo(.minu), slot($0), $1) }
            case .maxu: return { Handlers.atomicStep(.amo(.maxu), slot($0), $1) }
            }
        }
    }

    @inline(never)
    static func atomicStep(_ op: AtomicOp, _ s: UnsafeMutablePointer<Slot>, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        let st = state(c), x = regs(c)
        let back = UInt64(s.pointee.back)
        let address = x[Int(s.pointee.b)], operand = x[Int(s.pointee.c)]
        let codePage = st.pointee.pageFlags[Int(address >> 12)] & PageFlag.code != 0
        st.pointee.pc = s.pointee.pc
        st.pointee.instret &-= back
        let pc = s.pointee.pc
        // Under Sv32 `codePage` reads the empty table (see `storeStep`).
        let (result, special) = Machine.with(st) { m -> (UInt32?, Bool) in
            let before = m.codeOrDeviceStores
            return (m.atomic(op, address: address, operand: operand, pc: pc), m.codeOrDeviceStores != before)
        }
        guard let value = result else {
            st.pointee.exitReason = ExitReason.trap.rawValue
            return nil
        }
        x[Int(s.pointee.a)] = value
        if (special || codePage) && op != .loadReserved {
            st.pointee.instret &+= 1
            st.pointee.pc = s.pointee.nextPC
            st.pointee.exitReason = ExitReason.lookup.rawValue
            st.pointee.engineScratch = nil
            return nil
        }
        st.pointee.instret &+= back
        return next(s, c)
    }

    // MARK: Observation (installed only when tracing or profiling asks)

    @inline(never)
    static func blockHook(_ s: UnsafeMutablePointer<Slot>, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        let st = state(c)
        let jit = Unmanaged<JIT>.fromOpaque(st.pointee.engineOwner.unsafelyUnwrapped).takeUnretainedValue()
        jit.blockEntered(pc: s.pointee.pc, count: s.pointee.link.unsafelyUnwrapped.assumingMemoryBound(to: UInt64.self).pointee)
        return next(s, c)
    }

    /// A traced store (`d` = its word) that ends its block retires here: the retire slot after it does not run.
    @inline(never)
    static func storeRetired(_ s: UnsafeMutablePointer<Slot>, _ c: UnsafeMutableRawPointer) {
        let st = state(c)
        let jit = Unmanaged<JIT>.fromOpaque(st.pointee.engineOwner.unsafelyUnwrapped).takeUnretainedValue()
        jit.instructionRetired(pc: s.pointee.pc, word: s.pointee.d, cpu: st)
    }

    /// After each guest instruction when instruction tracing is on (`a` = rd written or 0,
    /// `d` = the instruction word).
    static let retire: Handler = { p, c in
        let s = slot(p), st = state(c)
        let jit = Unmanaged<JIT>.fromOpaque(st.pointee.engineOwner.unsafelyUnwrapped).takeUnretainedValue()
        jit.instructionRetired(pc: s.pointee.pc, word: s.pointee.d, cpu: st)
        return next(s, c)
    }
}
