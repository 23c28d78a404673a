import RISCV
import RVMachine

/// IR → x86-64, for the same optimised IR the closure compiler takes.
///
/// Register use: `rbx` holds the CPU state, `r12` the guest memory base, `r13` the page flags
/// (all callee-saved, so helper calls keep them); `eax`, `ecx`, `edx` are scratch. The most used
/// guest registers (`pinned`: a0–a5 and sp) live in host registers in every native block:
/// loaded by the prologue, stored by the epilogue, so chained native blocks pass them along
/// without touching `CPUState.x` (which is stale for them while native code runs). The other
/// guest registers and temporaries a block uses most (each at least twice) live in the
/// remaining host registers for the block (`blockRegisters`): loaded at its entry, written back
/// to `CPUState.x` before every exit. Before every call out that can fault or stop, whatever
/// the call could lose or must see is stored, so the state is exact wherever the block stops;
/// the remaining values are read and written in place. The
/// instruction count and limit are handled as in the closure tier: the entry counts the whole
/// block, early exits take back what did not run.
///
/// Layout of a block: the entry check, the operations in order (hot path falling through),
/// then the cold paths (slow memory steps, exits to the dispatcher, exit stubs).
struct NativeCompiler {
    typealias A = X86Assembler

    /// Where the emitted code will live and what it refers to outside itself.
    struct Context {
        var address: UInt64
        var epilogue: UInt64
        var entrySlot: UInt64
        /// The slot of each chainable exit, in the order the exits are emitted.
        var exitSlots: [UInt64]
        var compressed: Bool
        /// The block's execution counter, when executions are counted (profiles, `--stats`).
        var counter: UInt64?
        /// Exits back to the block's own start jump straight to its body (chaining is on).
        var loops: Bool
        /// The slot of each operation run out of line (`OutOfLine`), by its position in the block.
        var outOfLine: [Int: UInt64] = [:]
    }

    /// A chainable exit: its patchable `jmp`/`jcc` displacement and the stub it points to when unlinked.
    struct Exit {
        var site: Int
        var stub: Int
        var target: UInt32
        /// The pc of the instruction the exit leaves from.
        var pc: UInt32
    }

    struct Output {
        var bytes: [UInt8]
        var exits: [Exit]
    }

    /// Whether every operation of the block has a native form, inline or out of line
    /// (`OutOfLine`); other blocks stay closures.
    static func supports(_ block: IRBlock, options: CompileOptions) -> Bool {
        guard options.policy == .translate || !block.ops.contains(where: { if case .system = $0.op { return true } else { return false } })
        else { return false }
        for inst in block.ops {
            for v in inst.op.sources + [inst.op.destination].compactMap({ $0 }) where (v.slotIndex ?? 0) >= 64 { return false }
            switch inst.op {
            case .move, .alu, .branch, .jump, .jumpIndirect: continue
            case .load, .store: if options.trapMisaligned { return false }
            case .system(let s, _):
                switch s {
                case .ecall, .ebreak, .fenceI, .illegal: continue
                case .csr, .mret, .sret, .sfenceVMA, .wfi: if !OutOfLine.runs(inst, block: block, options: options) { return false }
                }
            case .atomic, .floatLoad, .floatStore, .float: if !OutOfLine.runs(inst, block: block, options: options) { return false }
            }
        }
        return true
    }

    /// The number of chainable exits `compile` will emit (their slots are made first): every
    /// branch and direct jump but those that loop back to the block's own start (with `loops`).
    static func exitCount(_ block: IRBlock, loops: Bool) -> Int {
        block.ops.filter { inst in
            guard let target = directTarget(inst.op) else { return false }
            return !(loops && target == block.pc)
        }.count
    }

    /// The target of a branch or direct jump.
    static func directTarget(_ op: IROp) -> UInt32? {
        switch op {
        case .branch(_, _, _, let target), .jump(let target): return target
        default: return nil
        }
    }

    private var a = A()
    private var pending: [Pending] = []
    private var exits: [Exit] = []
    private let block: IRBlock
    private let context: Context
    private let sizes: [UInt8]

    /// Guest registers (`CPUState.x` index) held in host registers across all native code: the
    /// most used in the workloads' code (a5, a4, sp, a0, a1, a2, a3, counted over their
    /// disassembly), the busiest on callee-saved registers, which survive helper calls.
    static let pinned: [(guest: UInt32, host: A.Reg)] = [
        (15, .rbp), (14, .r14), (10, .r15), (2, .r8), (11, .r9), (12, .r10), (13, .r11),
    ]
    static let pinnedSet: Set<UInt32> = Set(pinned.map { $0.guest })
    static func isPinned(_ i: UInt32) -> Bool { pinnedSet.contains(i) }
    /// Host registers for the other values a block uses most (caller-saved: saved and reloaded
    /// around calls).
    static let blockRegisters: [A.Reg] = [.rsi, .rdi]
    static func survivesCalls(_ r: A.Reg) -> Bool { r == .rbp || r == .r14 || r == .r15 }
    /// Guest value (its `CPUState.x` index) → the host register holding it in this block.
    private var cached: [UInt32: A.Reg] = [:]
    /// Cached values written since they were last stored to `CPUState.x`.
    private var dirty: Set<UInt32> = []

    /// A cold path to emit after the hot code, and the displacement(s) that jump to it.
    private struct Pending {
        var sites: [Int]
        var kind: Kind
        enum Kind {
            case limitExit
            case budgetExit
            /// `spill`: the values dirty at the access, stored before the call (the state must be
            /// exact if it faults); `rd`: reloaded after it.
            case loadSlow(info: UInt64, resume: Int, spill: Set<UInt32>, rd: UInt32?, address: A.Reg)
            case storeSlow(info: UInt64, resume: Int, spill: Set<UInt32>, address: A.Reg, value: A.Reg)
            /// A side exit: store `spill` (the guest registers dirty there), take back `untaken`
            /// instructions, then the exit's patchable jump.
            case sideExit(untaken: UInt16, target: UInt32, pc: UInt32, spill: Set<UInt32>)
            /// An exit to the block's own start, `untaken` instructions before its end: count the
            /// next round and jump to the body with the registers still in host registers.
            case loopBack(untaken: UInt16)
            /// The loop's round would pass the limit (`budget`: the chain budget is spent): take
            /// back `untaken`, write every cached guest register back and leave.
            case loopExit(untaken: UInt16, budget: Bool)
            case stub(exit: Int, slot: UInt64, target: UInt32)
            case misaligned(info: UInt64)
            case indirectMiss
        }
    }

    /// Where the body starts (after the entry's count and register loads): loops jump here.
    private var body = 0

    private init(block: IRBlock, context: Context) {
        self.block = block
        self.context = context
        sizes = ClosureCompiler.sizes(block)
        cached = Self.allocate(block)
        dirty = loopCarried()
    }

    private func isLoop(_ target: UInt32) -> Bool { context.loops && target == block.pc }

    /// The cached guest registers a loop back to the body can leave dirty in host registers:
    /// those written before the last loop exit. The body treats them as dirty from its start,
    /// so that every exit and call out stores them (they may hold the previous round's value).
    private func loopCarried() -> Set<UInt32> {
        guard let last = block.ops.lastIndex(where: { Self.directTarget($0.op).map(isLoop) ?? false }) else { return [] }
        var out: Set<UInt32> = []
        for inst in block.ops[..<last] {
            if let i = inst.op.destination?.slotIndex, i < 32, cached[i] != nil { out.insert(i) }
        }
        return out
    }

    /// The most used values of the block (reads and writes), each used at least twice.
    static func allocate(_ block: IRBlock) -> [UInt32: A.Reg] {
        var uses: [UInt32: Int] = [:]
        for inst in block.ops {
            if case .system = inst.op { continue }  // the monitor reads memory
            for v in inst.op.sources + [inst.op.destination].compactMap({ $0 }) {
                if let i = v.slotIndex, i != 0 { uses[i, default: 0] += 1 }
            }
        }
        let ranked = uses.filter { $0.value >= 2 && !isPinned($0.key) }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var out: [UInt32: A.Reg] = Dictionary(uniqueKeysWithValues: pinned.map { ($0.guest, $0.host) })
        for (k, (index, _)) in ranked.prefix(blockRegisters.count).enumerated() { out[index] = blockRegisters[k] }
        return out
    }

    private func host(_ v: IRValue) -> A.Reg? { v.slotIndex.flatMap { cached[$0] } }

    /// Stores the dirty cached guest registers but the pinned ones (temporaries die with the
    /// block; the pinned registers go on to the next native block or the epilogue) and marks
    /// them clean: before an exit.
    private mutating func writeBack() {
        spill(exitSpill)
        // Temporaries were not stored: they stay dirty, so a call still saves them.
        dirty = dirty.filter { $0 >= 32 || Self.isPinned($0) }
    }

    /// What an exit must store: the dirty guest registers held for this block alone.
    private var exitSpill: Set<UInt32> { dirty.filter { $0 < 32 && !Self.isPinned($0) } }

    /// What a call that can fault or stop must store: every dirty value and every pinned
    /// register (`CPUState.x` is stale for those).
    private var callSpill: Set<UInt32> { dirty.union(Self.pinnedSet) }

    /// Reloads the pinned registers a call clobbers (flags untouched).
    private mutating func reloadPinned() {
        for (i, h) in Self.pinned where !Self.survivesCalls(h) { a.load(h, A.Mem(base: .rbx, disp: Int32(4 * i))) }
    }

    /// Stores what a call could lose or must see: every dirty cached value (`all`), or the dirty
    /// ones in caller-saved registers, temporaries included.
    private mutating func spill(_ values: Set<UInt32>) {
        for i in values.sorted() {
            if let h = cached[i] { a.store(A.Mem(base: .rbx, disp: Int32(4 * i)), h) }
        }
    }

    /// Reloads cached values after a call: those in caller-saved registers, and `also`.
    private mutating func reload(also: UInt32? = nil) {
        for (i, h) in cached.sorted(by: { $0.key < $1.key }) where !Self.survivesCalls(h) || i == also {
            a.load(h, A.Mem(base: .rbx, disp: Int32(4 * i)))
        }
    }

    static func compile(_ block: IRBlock, context: Context) -> Output {
        var c = NativeCompiler(block: block, context: context)
        c.emitBlock()
        return Output(bytes: c.a.bytes, exits: c.exits)
    }

    // MARK: Operands

    private static func mem(_ v: IRValue) -> A.Mem { A.Mem(base: .rbx, disp: Int32(4 * (v.slotIndex ?? 0))) }
    private static func cpu(_ offset: Int32) -> A.Mem { A.Mem(base: .rbx, disp: offset) }

    private mutating func get(_ v: IRValue, into r: A.Reg) {
        if let k = v.constant {
            a.moveImmediate(r, k)
        } else if let h = host(v) {
            if h != r { a.move(r, h) }
        } else {
            a.load(r, Self.mem(v))
        }
    }

    private mutating func put(_ r: A.Reg, _ v: IRValue) {
        guard let i = v.slotIndex else { return }
        if let h = cached[i] {
            a.move(h, r)
            dirty.insert(i)
        } else {
            a.store(Self.mem(v), r)
        }
    }

    /// `op r, y` with y a constant, a cached value or memory.
    private mutating func alu(_ form: A.ALU, _ r: A.Reg, _ y: IRValue) {
        if let k = y.constant {
            a.alu(form, r, immediate: Int32(bitPattern: k))
        } else if let h = host(y) {
            a.alu(form, r, h)
        } else {
            a.alu(form, r, Self.mem(y))
        }
    }

    /// `cmp x, y`, in place when `x` is cached.
    private mutating func compare(_ x: IRValue, _ y: IRValue) {
        if let h = host(x) {
            alu(.cmp, h, y)
        } else {
            get(x, into: .rax)
            alu(.cmp, .rax, y)
        }
    }

    /// A `jmp rel32`/`jcc rel32` displacement to an absolute address outside the block.
    private mutating func bindAbsolute(_ site: Int, _ target: UInt64) {
        let from = context.address &+ UInt64(site + 4)
        a.patch32(at: site, Int32(truncatingIfNeeded: Int64(bitPattern: target &- from)))
    }

    private mutating func jumpToEpilogue() { bindAbsolute(a.jump(), context.epilogue) }

    private func back(_ inst: IRInstruction) -> UInt16 { UInt16(truncatingIfNeeded: block.length - inst.index) }

    // MARK: Block

    private mutating func emitBlock() {
        let off = NativeRuntime.Offset.self
        // Entry: count the whole block unless that passes the limit; spend the chain budget.
        a.load(.rax, Self.cpu(off.instret), wide: true)
        a.alu(.add, .rax, immediate: Int32(block.length), wide: true)
        a.alu(.cmp, .rax, Self.cpu(off.limit), wide: true)
        pending.append(Pending(sites: [a.jump(if: .a)], kind: .limitExit))
        a.alu(.sub, Self.cpu(off.chainBudget), immediate: 1)
        pending.append(Pending(sites: [a.jump(if: .b)], kind: .budgetExit))
        a.store(Self.cpu(off.instret), .rax, wide: true)
        if let counter = context.counter {
            a.moveImmediate64(.rax, counter)
            a.alu(.add, A.Mem(base: .rax), immediate: 1, wide: true)
        }
        for (i, h) in cached.sorted(by: { $0.key < $1.key }) where !Self.isPinned(i) {
            a.load(h, A.Mem(base: .rbx, disp: Int32(4 * i)))
        }
        body = a.count

        for (n, inst) in block.ops.enumerated() {
            if let slot = context.outOfLine[n] {
                emitOutOfLine(inst, slot: slot, last: n == block.ops.count - 1)
            } else {
                emit(inst)
            }
        }
        emitColdPaths()
    }

    private mutating func emit(_ inst: IRInstruction) {
        switch inst.op {
        case .move(let d, let s):
            if let i = d.slotIndex, let h = cached[i] {
                get(s, into: h)
                dirty.insert(i)
            } else if let k = s.constant {
                a.storeImmediate(Self.mem(d), k)
            } else if let h = host(s) {
                a.store(Self.mem(d), h)
            } else {
                get(s, into: .rax)
                put(.rax, d)
            }
        case .alu(let op, let d, let x, let y):
            emitALU(op, d, x, y)
        case .load(let w, let d, let base, let offset):
            emitLoad(w, d, base, offset, inst)
        case .store(let w, let v, let base, let offset):
            emitStore(w, v, base, offset, inst)
        case .branch(let cond, let x, let y, let target):
            let untaken = back(inst) &- 1
            if isLoop(target) {
                // Back to the body: the registers stay where they are.
                compare(x, y)
                pending.append(Pending(sites: [a.jump(if: Self.condition(cond))], kind: .loopBack(untaken: untaken)))
            } else if untaken == 0 {
                writeBack()  // the block's last instruction: its other exit writes back too
                compare(x, y)
                exitSite(a.jump(if: Self.condition(cond)), target: target, pc: inst.pc)
            } else {
                // A side exit writes back on its own (cold) path; the hot path keeps going.
                compare(x, y)
                let spill = exitSpill
                pending.append(Pending(sites: [a.jump(if: Self.condition(cond))],
                                       kind: .sideExit(untaken: untaken, target: target, pc: inst.pc, spill: spill)))
            }
        case .jump(let target):
            let untaken = back(inst) &- 1
            if isLoop(target) {
                pending.append(Pending(sites: [a.jump()], kind: .loopBack(untaken: untaken)))
                return
            }
            writeBack()
            if untaken > 0 { a.alu(.sub, Self.cpu(NativeRuntime.Offset.instret), immediate: Int32(untaken), wide: true) }
            exitSite(a.jump(), target: target, pc: inst.pc)
        case .jumpIndirect(let base, let offset, let link, let value):
            emitIndirect(base, offset, link, value, inst)
        case .system:
            // ecall, ebreak, fence.i, an illegal word: the monitor does it, the instruction un-retired.
            writeBack()
            let off = NativeRuntime.Offset.self
            a.storeImmediate(Self.cpu(off.pc), inst.pc)
            a.alu(.sub, Self.cpu(off.instret), immediate: Int32(back(inst)), wide: true)
            a.storeImmediate(Self.cpu(off.exitReason), ExitReason.monitor.rawValue)
            a.alu(.xor, .rax, .rax)
            jumpToEpilogue()
        case .atomic, .floatLoad, .floatStore, .float:
            // Always out of line (`supports` keeps blocks where they cannot be in the closure tier).
            a.byte(0x0f)
            a.byte(0x0b)  // ud2
        }
    }

    /// An operation through its closure handler (`OutOfLine`, `NativeRuntime.step`): the state
    /// it reads stored first, what it may write reloaded after; a stop leaves for the dispatcher.
    private mutating func emitOutOfLine(_ inst: IRInstruction, slot: UInt64, last: Bool) {
        spill(callSpill)
        for k in OutOfLine.constants(inst) { a.storeImmediate(A.Mem(base: .rbx, disp: Int32(4 * k.index)), k.value) }
        a.move(.rdi, .rbx, wide: true)
        a.moveImmediate64(.rsi, slot)
        a.moveImmediate64(.rax, NativeRuntime.address(of: NativeRuntime.step))
        a.call(.rax)
        a.alu(.and, .rax, immediate: 1)
        // The handler may have written any guest register (its destination, or one a stop
        // left behind): all pinned ones come from memory again, for the epilogue too.
        for (i, h) in Self.pinned { a.load(h, A.Mem(base: .rbx, disp: Int32(4 * i))) }
        bindAbsolute(a.jump(if: .e), context.epilogue)  // eax is 0: nil to the trampoline
        for (i, h) in cached.sorted(by: { $0.key < $1.key }) where !Self.isPinned(i) {
            a.load(h, A.Mem(base: .rbx, disp: Int32(4 * i)))
        }
        dirty = dirty.intersection(Self.pinnedSet)  // the rest was stored and read back
        if last {
            // Went on past the block's last instruction (the mode-changing ones never do):
            // the dispatcher takes over at the next one.
            let off = NativeRuntime.Offset.self
            writeBack()
            a.storeImmediate(Self.cpu(off.pc), inst.pc &+ UInt32(sizes[safe: inst.index] ?? 4))
            a.storeImmediate(Self.cpu(off.exitReason), ExitReason.lookup.rawValue)
            a.storeImmediate(Self.cpu(off.engineScratch), 0, wide: true)
            a.alu(.xor, .rax, .rax)
            jumpToEpilogue()
        }
    }

    /// Records a chainable exit whose displacement is at `site`; its stub comes with the cold paths.
    private mutating func exitSite(_ site: Int, target: UInt32, pc: UInt32) {
        let k = exits.count
        exits.append(Exit(site: site, stub: 0, target: target, pc: pc))
        let slot = context.exitSlots[safe: k] ?? 0
        pending.append(Pending(sites: [site], kind: .stub(exit: k, slot: slot, target: target)))
    }

    static func condition(_ c: BranchCondition) -> A.Cond {
        switch c {
        case .eq: return .e
        case .ne: return .ne
        case .lt: return .l
        case .ge: return .ge
        case .ltu: return .b
        case .geu: return .ae
        }
    }

    // MARK: ALU

    private mutating func emitALU(_ op: ALUOp, _ d: IRValue, _ x: IRValue, _ y: IRValue) {
        // Into the destination's host register when it has one (two-address forms), else eax.
        let target = host(d)
        switch op {
        case .add, .sub, .xor, .or, .and:
            let form: A.ALU = op == .add ? .add : op == .sub ? .sub : op == .xor ? .xor : op == .or ? .or : .and
            if let h = target, y != d {
                get(x, into: h)
                alu(form, h, y)
                return written(d)
            }
            if let h = target, op != .sub, x != d {  // d = x op d, commutative
                alu(form, h, x)
                return written(d)
            }
            get(x, into: .rax)
            alu(form, .rax, y)
        case .sll, .srl, .sra:
            let form: A.Shift = op == .sll ? .shl : op == .srl ? .shr : .sar
            let r = target ?? .rax
            if let k = y.constant {
                get(x, into: r)
                a.shift(form, r, by: UInt8(truncatingIfNeeded: k & 31))
            } else {
                get(y, into: .rcx)  // first: y may live in r
                get(x, into: r)
                a.shiftByCL(form, r)
            }
            if target != nil { return written(d) }
        case .slt, .sltu:
            compare(x, y)
            a.setAndExtend(op == .slt ? .l : .b, .rax)
        case .mul:
            if let h = target, y != d {
                get(x, into: h)
                if let hy = host(y) {
                    a.imul(h, hy)
                } else {
                    get(y, into: .rcx)
                    a.imul(h, .rcx)
                }
                return written(d)
            }
            get(x, into: .rax)
            get(y, into: .rcx)
            a.imul(.rax, .rcx)
        default:
            // The rest through the shared semantics (it cannot fault: only caller-saved registers
            // to keep). Arguments in an order that reads each before it is overwritten.
            let lost = callSpill.filter { i in cached[i].map { !Self.survivesCalls($0) } ?? false }
            spill(lost)
            dirty.subtract(lost)
            get(y, into: .rdx)
            get(x, into: .rsi)
            a.moveImmediate(.rdi, UInt32(op.rawValue))
            a.moveImmediate64(.rax, NativeRuntime.address(of: NativeRuntime.alu))
            a.call(.rax)
            reload()
        }
        put(.rax, d)
    }

    /// Marks a cached destination written in place.
    private mutating func written(_ d: IRValue) {
        if let i = d.slotIndex { dirty.insert(i) }
    }

    // MARK: Memory

    /// The register holding base + offset (32-bit wrap-around, zero-extended): the base's own
    /// host register when the offset is 0, else `ecx`.
    private mutating func address(_ base: IRValue, _ offset: Int32) -> A.Reg {
        if let k = base.constant {
            a.moveImmediate(.rcx, k &+ UInt32(bitPattern: offset))
        } else if let h = host(base) {
            if offset == 0 { return h }
            a.lea(.rcx, A.Mem(base: h, disp: offset))
        } else {
            get(base, into: .rcx)
            if offset != 0 { a.alu(.add, .rcx, immediate: offset) }
        }
        return .rcx
    }

    /// Jumps to the slow path unless the page of `address` has exactly `want` of the `mask`
    /// flags and the access is aligned (so inside the page, as `FastAccess` requires).
    private mutating func checkPage(_ address: A.Reg, mask: UInt8, want: UInt8, size: UInt32) -> [Int] {
        a.move(.rdx, address)
        a.shift(.shr, .rdx, by: 12)
        a.loadExtended(.rdx, A.Mem(base: .r13, index: .rdx), bits: 8, signed: false)
        a.alu(.and, .rdx, immediate: Int32(mask))
        a.alu(.cmp, .rdx, immediate: Int32(want))
        var sites = [a.jump(if: .ne)]
        if size > 1 {
            // An aligned access never leaves its page; a misaligned one takes the machine's path.
            a.testLowByte(address, UInt8(size - 1))
            sites.append(a.jump(if: .ne))
        }
        return sites
    }

    private mutating func emitLoad(_ w: MemoryWidth, _ d: IRValue, _ base: IRValue, _ offset: Int32, _ inst: IRInstruction) {
        let at = address(base, offset)
        let sites = checkPage(at, mask: PageFlag.read | PageFlag.device, want: PageFlag.read, size: w.size)
        let m = A.Mem(base: .r12, index: at)
        // Straight into the destination's host register when it has one.
        let r = host(d) ?? .rax
        switch w {
        case .word: a.load(r, m)
        case .half: a.loadExtended(r, m, bits: 16, signed: true)
        case .halfUnsigned: a.loadExtended(r, m, bits: 16, signed: false)
        case .byte: a.loadExtended(r, m, bits: 8, signed: true)
        case .byteUnsigned: a.loadExtended(r, m, bits: 8, signed: false)
        }
        if r == .rax { put(.rax, d) } else { written(d) }
        let info = NativeRuntime.loadInfo(w, rd: d.slotIndex ?? UInt32(CPUState.discardRegister), back: back(inst), pc: inst.pc)
        pending.append(Pending(sites: sites, kind: .loadSlow(info: info, resume: a.count, spill: callSpill, rd: d.slotIndex, address: at)))
    }

    private mutating func emitStore(_ w: MemoryWidth, _ v: IRValue, _ base: IRValue, _ offset: Int32, _ inst: IRInstruction) {
        let at = address(base, offset)
        // The value from its host register when it has one.
        let r: A.Reg
        if let h = host(v) {
            r = h
        } else {
            get(v, into: .rax)
            r = .rax
        }
        let sites = checkPage(
            at, mask: PageFlag.write | PageFlag.device | PageFlag.code | PageFlag.watch, want: PageFlag.write, size: w.size)
        let m = A.Mem(base: .r12, index: at)
        switch w.size {
        case 1: a.store8(m, r)
        case 2: a.store16(m, r)
        default: a.store(m, r)
        }
        let info = NativeRuntime.storeInfo(w, size: sizes[safe: inst.index] ?? 4, back: back(inst), pc: inst.pc)
        pending.append(Pending(sites: sites, kind: .storeSlow(info: info, resume: a.count, spill: callSpill, address: at, value: r)))
    }

    // MARK: Indirect jumps

    private mutating func emitIndirect(_ base: IRValue, _ offset: Int32, _ link: IRValue?, _ value: UInt32, _ inst: IRInstruction) {
        let off = NativeRuntime.Offset.self
        writeBack()
        let untaken = back(inst) &- 1
        if untaken > 0 { a.alu(.sub, Self.cpu(off.instret), immediate: Int32(untaken), wide: true) }
        // The target, read before the link register is written (jalr rd == rs1).
        if let k = base.constant {
            a.moveImmediate(.rax, ControlFlow.jalrTarget(k, offset))
        } else {
            get(base, into: .rax)
            if offset != 0 { a.alu(.add, .rax, immediate: offset) }
            a.alu(.and, .rax, immediate: -2)
        }
        if !context.compressed {
            a.testLowByte(.rax, 2)
            let info = UInt64(1) << 16 | UInt64(inst.pc) << 32  // the jump's own count: back is 1 once untaken are off
            pending.append(Pending(sites: [a.jump(if: .ne)], kind: .misaligned(info: info)))
        }
        if let l = link, let i = l.slotIndex {
            if Self.isPinned(i), let h = cached[i] { a.moveImmediate(h, value) } else { a.storeImmediate(Self.mem(l), value) }
        }
        // The jump cache: entry (target >> 1) & 4095, 16 bytes each, at `CPUState.engine`.
        a.move(.rcx, .rax)
        a.shift(.shr, .rcx, by: 1)
        a.alu(.and, .rcx, immediate: Int32(JumpCache.size - 1))
        a.shift(.shl, .rcx, by: 4)
        a.alu(.add, .rcx, Self.cpu(off.engine), wide: true)
        a.alu(.cmp, .rax, A.Mem(base: .rcx, disp: 0))
        pending.append(Pending(sites: [a.jump(if: .ne)], kind: .indirectMiss))
        // Hit: a native block is entered directly (its entry slot's link holds its code);
        // a closure block goes back to the trampoline, which calls its entry slot.
        a.load(.rax, A.Mem(base: .rcx, disp: off.cacheEntry), wide: true)
        a.compareByte(A.Mem(base: .rax, disp: off.slotMark), NativeBackend.entryMark)
        bindAbsolute(a.jump(if: .ne), context.epilogue)
        a.load(.rdx, A.Mem(base: .rax, disp: off.slotLink), wide: true)
        a.jump(.rdx)
    }

    // MARK: Cold paths

    private mutating func emitColdPaths() {
        let off = NativeRuntime.Offset.self
        var k = 0
        while k < pending.count {  // side exits queue stubs as they go
            let p = pending[k]
            k += 1
            for site in p.sites { a.bind(site, to: a.count) }
            switch p.kind {
            case .limitExit:
                a.storeImmediate(Self.cpu(off.pc), block.pc)
                a.storeImmediate(Self.cpu(off.exitReason), ExitReason.limit.rawValue)
                a.alu(.xor, .rax, .rax)
                jumpToEpilogue()
            case .budgetExit:
                // Back to the trampoline, which calls this block's entry slot with a fresh budget.
                a.storeImmediate(Self.cpu(off.chainBudget), 0)
                a.moveImmediate64(.rax, context.entrySlot)
                jumpToEpilogue()
            case .loadSlow(let info, let resume, let dirtyThen, let rd, let address):
                spill(dirtyThen)
                // The address may be in rdi: read it before rdi is set.
                if address != .rsi { a.move(.rsi, address) }
                a.move(.rdi, .rbx, wide: true)
                a.moveImmediate64(.rdx, info)
                a.moveImmediate64(.rax, NativeRuntime.address(of: NativeRuntime.load))
                a.call(.rax)
                a.alu(.and, .rax, immediate: 1)
                reloadPinned()  // for the epilogue too, which stores them
                bindAbsolute(a.jump(if: .e), context.epilogue)  // eax is 0: nil to the trampoline
                reload(also: rd)
                a.bind(a.jump(), to: resume)
            case .storeSlow(let info, let resume, let dirtyThen, let address, let value):
                spill(dirtyThen)
                // Each argument read before its register is set (address and value may be in
                // rsi or rdi; the address may be in rcx).
                a.move(.rdx, value)
                if address != .rsi { a.move(.rsi, address) }
                a.move(.rdi, .rbx, wide: true)
                a.moveImmediate64(.rcx, info)
                a.moveImmediate64(.rax, NativeRuntime.address(of: NativeRuntime.store))
                a.call(.rax)
                a.alu(.and, .rax, immediate: 1)
                reloadPinned()
                bindAbsolute(a.jump(if: .e), context.epilogue)
                reload()
                a.bind(a.jump(), to: resume)
            case .sideExit(let untaken, let target, let pc, let values):
                spill(values)
                a.alu(.sub, Self.cpu(off.instret), immediate: Int32(untaken), wide: true)
                exitSite(a.jump(), target: target, pc: pc)
            case .loopBack(let untaken):
                // The next round, counted as the entry counts: this one ran length - untaken.
                a.load(.rax, Self.cpu(off.instret), wide: true)
                a.alu(.add, .rax, immediate: Int32(block.length - Int(untaken)), wide: true)
                a.alu(.cmp, .rax, Self.cpu(off.limit), wide: true)
                pending.append(Pending(sites: [a.jump(if: .a)], kind: .loopExit(untaken: untaken, budget: false)))
                a.alu(.sub, Self.cpu(off.chainBudget), immediate: 1)
                pending.append(Pending(sites: [a.jump(if: .b)], kind: .loopExit(untaken: untaken, budget: true)))
                a.store(Self.cpu(off.instret), .rax, wide: true)
                if let counter = context.counter {
                    a.moveImmediate64(.rax, counter)
                    a.alu(.add, A.Mem(base: .rax), immediate: 1, wide: true)
                }
                a.bind(a.jump(), to: body)
            case .loopExit(let untaken, let budget):
                if untaken > 0 { a.alu(.sub, Self.cpu(off.instret), immediate: Int32(untaken), wide: true) }
                spill(Set(cached.keys.filter { $0 < 32 && !Self.isPinned($0) }))
                if budget {
                    // Back to the trampoline, which calls this block's entry slot with a fresh budget.
                    a.storeImmediate(Self.cpu(off.chainBudget), 0)
                    a.moveImmediate64(.rax, context.entrySlot)
                } else {
                    a.storeImmediate(Self.cpu(off.pc), block.pc)
                    a.storeImmediate(Self.cpu(off.exitReason), ExitReason.limit.rawValue)
                    a.alu(.xor, .rax, .rax)
                }
                jumpToEpilogue()
            case .stub(let exit, let slot, let target):
                exits[exit].stub = a.count
                // Linked to a closure block: hand its entry slot to the trampoline.
                a.moveImmediate64(.rax, slot)
                a.load(.rcx, A.Mem(base: .rax, disp: off.slotLink), wide: true)
                a.test64(.rcx, .rcx)
                let unlinked = a.jump(if: .e)
                a.move(.rax, .rcx, wide: true)
                jumpToEpilogue()
                // Unlinked: the dispatcher finds the target and links this exit to it.
                a.bind(unlinked, to: a.count)
                a.storeImmediate(Self.cpu(off.pc), target)
                a.storeImmediate(Self.cpu(off.exitReason), ExitReason.lookup.rawValue)
                a.store(Self.cpu(off.engineScratch), .rax, wide: true)
                a.alu(.xor, .rax, .rax)
                jumpToEpilogue()
            case .misaligned(let info):
                spill(Self.pinnedSet)
                a.move(.rdi, .rbx, wide: true)
                a.move(.rsi, .rax)
                a.moveImmediate64(.rdx, info)
                a.moveImmediate64(.rax, NativeRuntime.address(of: NativeRuntime.misalignedJump))
                a.call(.rax)
                reloadPinned()
                a.alu(.xor, .rax, .rax)
                jumpToEpilogue()
            case .indirectMiss:
                a.store(Self.cpu(off.pc), .rax)
                a.storeImmediate(Self.cpu(off.exitReason), ExitReason.lookup.rawValue)
                a.storeImmediate(Self.cpu(off.engineScratch), 0, wide: true)
                a.alu(.xor, .rax, .rax)
                jumpToEpilogue()
            }
        }
    }
}

extension NativeCompiler {
    /// The shared entry and exit of native code: saves the callee-saved registers, loads the
    /// state pointers and the pinned guest registers and jumps to the block (`rsi`); the
    /// epilogue stores the pinned guest registers, restores the host's and returns `rax`.
    static func prologueAndEpilogue() -> (bytes: [UInt8], epilogueOffset: Int) {
        var a = A()
        let saved: [A.Reg] = [.rbx, .rbp, .r12, .r13, .r14, .r15]
        for r in saved { a.push(r) }
        a.alu(.sub, .rsp, immediate: 8, wide: true)  // 6 pushes + return address: realign to 16
        a.move(.rbx, .rdi, wide: true)
        a.load(.r12, A.Mem(base: .rbx, disp: NativeRuntime.Offset.memory), wide: true)
        a.load(.r13, A.Mem(base: .rbx, disp: NativeRuntime.Offset.pageFlags), wide: true)
        for (i, h) in pinned { a.load(h, A.Mem(base: .rbx, disp: Int32(4 * i))) }
        a.jump(.rsi)
        let epilogue = a.count
        for (i, h) in pinned { a.store(A.Mem(base: .rbx, disp: Int32(4 * i)), h) }
        a.alu(.add, .rsp, immediate: 8, wide: true)
        for r in saved.reversed() { a.pop(r) }
        a.ret()
        return (a.bytes, epilogue)
    }
}
