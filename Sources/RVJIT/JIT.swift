import Dispatch
import RISCV
import RVInterpreter
import RVMachine

/// Options of the JIT engine (`rvjit run --engine jit`).
public struct JITOptions: Sendable {
    /// Translate a block only after it ran this many times in the interpreter (0: at once).
    /// 5 measured best over the guest programs (`Benchmarks/run.sh threshold`: 16% less time
    /// than translating at once on the manifest's short runs, no difference beyond noise on the
    /// long ones): code that runs a few times (start-up, straight-line tests) is not worth
    /// translating, and rewritten code (smc) is translated less often. Runs that count or trace
    /// blocks translate at once, so that every block execution is a translated one.
    public var threshold = 5
    /// Run the optimisation passes (the `x0` pass always runs).
    public var optimize = true
    /// Chain direct exits to their successors.
    public var chaining = true
    public var maxBlockLength = 64
    /// Decode past conditional branches (side exits) instead of ending blocks at them.
    public var superblocks = true
    /// Fuse hot operation pairs into one closure (see Superinstructions.swift).
    public var superinstructions = true
    /// Count how often each block runs (profiles, `--stats`).
    public var countExecutions = false
    /// Host memory the code cache may hold (`--code-cache-limit`, as `JIT.footprint` estimates
    /// it); past it, the whole cache is flushed (chains unlinked, blocks dropped) and fills again
    /// with what runs next. Nil: no limit.
    public var codeCacheLimit: Int? = 64 << 20
    /// The tiers that run (`--tiers`); see `JITTiers`.
    public var tiers = JITTiers.hostDefault
    /// With both tiers, a closure block is compiled natively after running this many more times.
    public var nativeThreshold: UInt32 = 100
    public init() {}
}

/// A translation as the tracer shows it.
public struct TranslationRecord {
    public var decoded: DecodedBlock
    public var irBefore: IRBlock
    public var irAfter: IRBlock
    public var block: CompiledBlock
}

/// The JIT engine, the translator: dispatcher, code cache, chaining and invalidation.
///
/// The dispatcher finds (or translates) the block for `pc`, links the exit that led here to
/// it, and runs it from its entry; blocks then run from one to the next through chain links and
/// the jump cache without coming back, until an exit needs the dispatcher: an unlinked exit, a
/// limit (budget, timer deadline), a trap, or an instruction for the monitor.
public final class JIT: CodeWriteObserver {
    public let machine: Machine
    public let options: JITOptions
    public internal(set) var statistics = JITStatistics()
    /// The options that shape translations (hooks, counting, policy).
    let compileOptions: CompileOptions
    /// The closure tier's backend: always present (blocks the native tier cannot take, and the
    /// closure tier itself).
    let closures: ClosureBackend
    /// The native tier's backend, when it runs (x86-64 hosts, `--tiers` with native, no
    /// per-block or per-instruction observation).
    let native: NativeBackend?
    /// Closure blocks that asked to be compiled natively (their entry counted down to zero).
    var nativeRequests: Set<UInt32> = []

    /// The code cache, by pc and translation context (see `BlockKey`).
    var blocks: [BlockKey: CompiledBlock] = [:]
    /// The blocks made from each physical page (what a store to code invalidates).
    var pageBlocks: [UInt32: [BlockKey]] = [:]
    /// Exits chained to each block, so invalidation can unlink them.
    var incoming: [BlockKey: [BlockExit]] = [:]
    /// Invalidated blocks, freed when no block can be running.
    var graveyard: [CompiledBlock] = []
    /// The jump cache of the current translation context (indirect jumps look up pcs in it).
    var jumpCache: UnsafeMutablePointer<JumpCacheEntry>
    /// Each translation context's jump cache (context 0's is allocated with the JIT).
    var jumpCaches: [UInt32: UnsafeMutablePointer<JumpCacheEntry>] = [:]
    var hotness: [BlockKey: Int] = [:]
    /// The exit that led to the dispatcher, to be linked to the block found next, and the
    /// translation context its block ran in (links never cross contexts).
    var linkFrom: BlockExit? = nil
    var linkContext: UInt32 = 0
    /// Translation contexts by the machine's `fetchContext`, and back (see PagedCode.swift).
    var contextNumbers: [UInt64: UInt32] = [0: 0]
    var contextValues: [UInt32: UInt64] = [0: 0]
    /// The context the dispatcher ran in last, and the `fetchContext` it stands for.
    var context: UInt32 = 0
    var contextValue: UInt64 = 0
    var nextContext: UInt32 = 1
    /// Blocks a `sfence.vma` reached: unlinked, and checked against their page's mapping when
    /// the dispatcher finds them next (see `translationFenced`).
    var unverified: Set<BlockKey> = []
    /// Execution totals of freed blocks, merged by pc, when executions are counted (profiles,
    /// `exec` traces, the CFG): one record per pc however often the code there was rewritten
    /// and translated again, so counting does not grow the JIT's memory without bound.
    var retiredTotals: [UInt32: BlockTotals] = [:]
    /// Host memory of the blocks in the cache now, as `footprint` estimates it (what
    /// `codeCacheLimit` bounds).
    public private(set) var liveCodeBytes = 0

    /// A block's host memory: its code and record (`bytes`), its shape names, and the cache's
    /// bookkeeping (dictionary entries by pc and page, the block object, its exit list).
    /// Measured: 200,000 two-instruction stubs took 510 bytes each (maximum resident set);
    /// this says 560.
    static func footprint(_ b: CompiledBlock) -> Int { b.bytes + 16 * b.shapes.count + 320 }

    // Observation hooks (tracing); nil costs nothing on the fast path.
    public var onTranslate: ((TranslationRecord) -> Void)?
    /// A block entered: its pc, its executions so far and the tier running it.
    public var onBlockEntered: ((UInt32, UInt64, Tier) -> Void)?
    public var onRetire: ((UInt32, UInt32, UnsafeMutablePointer<CPUState>) -> Void)?
    public var onInvalidate: ((CompiledBlock, String) -> Void)?
    public var onChain: ((UInt32, UInt32, Bool) -> Void)?

    /// Profiles, exec and instruction traces count basic blocks: no superblocks for them (a
    /// superblock's side exits would make executions × length overcount).
    var observesBlocks: Bool {
        compileOptions.retireHook || compileOptions.countExecutions || compileOptions.blockHook
    }

    /// Blocks entered by direct tail calls before control returns to the trampoline once.
    static let chainBudget: UInt32 = 256

    public init(machine: Machine, options: JITOptions = JITOptions(), hooks: CompileOptions? = nil) {
        self.machine = machine
        self.options = options
        var compileOptions = hooks ?? CompileOptions()
        compileOptions.policy = machine.privilegedPolicy
        compileOptions.isa = machine.isa
        compileOptions.trapMisaligned = machine.trapMisaligned
        compileOptions.countExecutions = compileOptions.countExecutions || options.countExecutions
        compileOptions.superinstructions = options.superinstructions
        compileOptions.chaining = options.chaining
        self.compileOptions = compileOptions
        closures = ClosureBackend(compiler: ClosureCompiler(options: compileOptions))
        // Per-block hooks and per-instruction tracing need closures; counted executions do not.
        let observed = compileOptions.blockHook || compileOptions.retireHook
        native = options.tiers.native && JITTiers.nativeAvailable && !observed ? NativeBackend(options: compileOptions) : nil
        jumpCache = .allocate(capacity: JumpCache.size)
        jumpCache.initialize(repeating: JumpCacheEntry(), count: JumpCache.size)
        jumpCaches[0] = jumpCache
        if compileOptions.countExecutions { statistics.blockExecutions = 0 }
    }

    deinit {
        for cache in jumpCaches.values { cache.deallocate() }
    }

    /// Runs the machine until it stops.
    public func run() {
        attach()
        defer { detach() }
        linkFrom = nil  // resumed after a stop: the guest may be somewhere else now
        while machine.stopReason == nil {
            dispatch(budget: JIT.chainBudget, follow: true)
        }
    }

    /// Runs exactly one block (translated or interpreted) and returns at the block boundary,
    /// with `pc` and the instruction count exact there. Differential tests compare engines this
    /// way. Returns false once the machine has stopped.
    @discardableResult
    /// Runs one dispatcher round: a block, and up to `chainBudget - 1` blocks it chains to
    /// directly (lockstep tests compare after each round).
    public func stepBlock(chainBudget: UInt32 = 1) -> Bool {
        guard machine.stopReason == nil else { return false }
        attach()
        defer { detach() }
        dispatch(budget: max(chainBudget, 1), follow: false)
        return machine.stopReason == nil
    }

    private func attach() {
        machine.codeObserver = self
        machine.cpu.pointee.engine = UnsafeMutableRawPointer(jumpCache)
        machine.cpu.pointee.engineOwner = Unmanaged.passUnretained(self).toOpaque()
    }

    private func detach() {
        let cpu = machine.cpu
        cpu.pointee.engine = nil
        cpu.pointee.engineOwner = nil
        if statistics.blockExecutions != nil {
            let totals = executionTotals().values
            statistics.blockExecutions = totals.reduce(0) { $0 &+ $1.executions }
            statistics.nativeExecutions = totals.reduce(0) { $0 &+ $1.nativeExecutions }
        }
        statistics.monitorExits = machine.monitorExits
        statistics.nativePatches = native?.patches ?? 0
    }

    /// One dispatcher round: find or translate the block at `pc`, link the exit that led here,
    /// run it (and, if `follow`, whatever it chains to), then deal with the exit.
    private func dispatch(budget: UInt32, follow: Bool) {
        let cpu = machine.cpu
        if !graveyard.isEmpty { freeGraveyard() }
        if cpu.pointee.instret >= cpu.pointee.limit {
            guard machine.limitReached() else { return }
            linkFrom = nil
        }
        let pc = cpu.pointee.pc
        statistics.dispatcherLookups &+= 1
        if machine.fetchContext != contextValue { enterContext(machine.fetchContext) }
        guard let block = findBlock(pc) else {
            statistics.interpreterFallbacks &+= 1
            interpret(Interpreter.Bounds(stopAtBlockEnd: true))
            linkFrom = nil
            return
        }
        if let from = linkFrom, options.chaining, linkContext == context { link(from, to: block) }
        linkFrom = nil
        machine.trail.record(pc)
        jumpCache[JumpCache.index(pc)] = JumpCacheEntry(pc: pc, entry: block.entry)
        let ranIn = context

        cpu.pointee.exitReason = ExitReason.none.rawValue
        cpu.pointee.engineScratch = nil
        // Stopped at the entry of a chained block (not following): nothing to deal with.
        guard ClosureBackend.run(block.entry, cpu: cpu, budget: budget, follow: follow) else { return }

        switch ExitReason(rawValue: cpu.pointee.exitReason) ?? .none {
        case .lookup:
            // The exit that left (if it can be chained) is in the scratch word.
            linkFrom = cpu.pointee.engineScratch.map { BlockExit(address: $0) }
            linkContext = ranIn
        case .limit:
            // The next block would pass the limit: single-step exactly up to it (at least
            // one instruction, so a limit that cannot be served still makes progress).
            let limit = cpu.pointee.limit, now = cpu.pointee.instret
            statistics.interpreterFallbacks &+= 1
            interpret(Interpreter.Bounds(maxSteps: limit > now ? limit - now : 1, stopAtBlockEnd: true))
        case .monitor:
            machine.monitorExits &+= 1
            interpret(Interpreter.Bounds(maxSteps: 1))
        case .trap, .halted, .none:
            break
        }
    }

    private func interpret(_ bounds: Interpreter.Bounds) {
        if let onRetire {
            var hook = ClosureRetireHook(body: onRetire)
            Interpreter().execute(machine, bounds: bounds, hook: &hook)
        } else {
            var hook = NoRetireHook()
            Interpreter().execute(machine, bounds: bounds, hook: &hook)
        }
    }

    /// The translation for `pc`, translating it now if it is hot enough.
    /// (The caller has entered the machine's current translation context.)
    func findBlock(_ pc: UInt32) -> CompiledBlock? {
        let key = BlockKey(pc, context)
        if let b = blocks[key], unverified.isEmpty || !unverified.contains(key) || reverify(b) {
            statistics.lookupHits &+= 1
            if context == 0, !nativeRequests.isEmpty, nativeRequests.contains(pc), b.native == nil { return translate(pc) ?? b }
            return b
        }
        if options.threshold > 0 && !observesBlocks {
            let n = (hotness[key] ?? 0) + 1
            hotness[key] = n
            if n <= options.threshold { return nil }
            hotness[key] = nil
        }
        return translate(pc)
    }

    /// Decode → lower → passes → closures, and enter the result in the code cache.
    /// Under Sv32 the block is fetched through the current mapping and keyed by the current
    /// translation context.
    public func translate(_ pc: UInt32) -> CompiledBlock? {
        let start = DispatchTime.now().uptimeNanoseconds
        if machine.fetchContext != contextValue { enterContext(machine.fetchContext) }
        guard let (physical, superpage) = pagedFetchAddress(pc) else { return nil }
        let hooks = compileOptions
        // Counting needs basic blocks everywhere; traced instructions only where the hooks apply.
        let counting = hooks.countExecutions || hooks.blockHook
        guard var decoded = BlockDecoder.decode(
            machine, at: pc, physical: physical, maxLength: options.maxBlockLength, policy: machine.privilegedPolicy,
            superblocks: options.superblocks && !counting && (!hooks.retireHook || hooks.hookRange != nil))
        else { return nil }
        let traced = hooks.retireHook && hooks.hooks(decoded.pc, decoded.endPC)
        if traced && decoded.instructions.count > 1 && hooks.hookRange != nil,
            let basic = BlockDecoder.decode(
                machine, at: pc, physical: physical, maxLength: options.maxBlockLength, policy: machine.privilegedPolicy)
        {
            decoded = basic  // a traced block is a basic block: every instruction is retired in order
        }
        let ir = Lowering.lower(decoded)
        // Instruction traces must see every guest register write: no write-removing passes there.
        let optimized = (options.optimize && !traced ? PassPipeline.standard : PassPipeline.minimal).run(ir)
        let request = CompileRequest(
            compressed: machine.isa.contains(.c), retired: traced ? (decoded.words, decoded.pcs) : nil)
        let key = BlockKey(pc, context)
        var block = compile(optimized, pc: pc, request)
        if let old = blocks[key] { invalidate(old, reason: "compiled again by the native tier", counted: false) }
        if let limit = options.codeCacheLimit, liveCodeBytes + JIT.footprint(block) > limit, !blocks.isEmpty {
            flushCodeCache()
            // The flush emptied the code memory this block was written to.
            if block.tier == .native { block = compile(optimized, pc: pc, request) }
        }
        block.context = context
        block.physicalPC = physical
        block.superpage = superpage
        blocks[key] = block
        liveCodeBytes += JIT.footprint(block)
        // A block's first instruction may straddle into the next page: the block belongs to both.
        for page in block.pages {
            pageBlocks[page, default: []].append(key)
            machine.memory.flags[Int(page)] |= PageFlag.code
        }
        statistics.blocksTranslated &+= 1
        if context != 0 { statistics.pagedBlocksTranslated &+= 1 }
        if block.tier == .native { statistics.nativeBlocksTranslated &+= 1 }
        statistics.guestInstructionsTranslated &+= UInt64(block.length)
        statistics.codeCacheBytes += block.bytes
        statistics.translationSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        onTranslate?(TranslationRecord(decoded: decoded, irBefore: ir, irAfter: optimized, block: block))
        return block
    }

    /// The backend's part of a translation: native code when the block is hot (or the native
    /// tier runs alone) and the native tier can take it, closures otherwise.
    private func compile(_ ir: IRBlock, pc: UInt32, _ request: CompileRequest) -> CompiledBlock {
        // The native tier runs no paged code (its loads and stores know no TLB): closures take it.
        let nativeCandidate = context == 0 && (native?.accepts(ir) ?? false)
        if let backend = native, nativeCandidate, !options.tiers.closure || nativeRequests.remove(pc) != nil {
            if let b = backend.compile(ir, request) { return b }
            flushCodeCache()  // the code memory is full: start again
            if let b = backend.compile(ir, request) { return b }
        }
        nativeRequests.remove(pc)
        var closureRequest = request
        closureRequest.promoteAfter = nativeCandidate && options.tiers.closure ? options.nativeThreshold : nil
        return closures.compileClosures(ir, closureRequest)
    }

    /// The backend that made `exit` (and so links, unlinks and reads it).
    private func backend(of exit: BlockExit) -> any JITBackend {
        if let native, native.made(exit) { return native }
        return closures
    }

    /// The backend that compiled `block` (and so frees it).
    private func backend(of block: CompiledBlock) -> any JITBackend {
        if block.tier == .native, let native { return native }
        return closures
    }

    /// A closure block's entry asks for native code (see `Handlers.enterPromoting`).
    func requestNative(_ pc: UInt32) { nativeRequests.insert(pc) }

    private func link(_ from: BlockExit, to block: CompiledBlock) {
        let owner = backend(of: from)
        owner.link(from, to: block)
        incoming[block.key, default: []].append(from)
        statistics.chainLinksMade &+= 1
        onChain?(owner.sourcePC(of: from), block.pc, true)
    }

    // MARK: Invalidation

    public func codeWritten(_ machine: Machine, address: UInt32, size: UInt32) {
        let last = UInt64(address) + UInt64(max(size, 1)) - 1
        let first = address >> GuestMemory.pageShift
        let final = UInt32(truncatingIfNeeded: min(last, 0xffff_ffff) >> UInt64(GuestMemory.pageShift))
        for page in first...final where pageBlocks[page] != nil {
            for key in pageBlocks[page] ?? [] {
                guard let b = blocks[key], address <= b.physicalEnd &- 1, last >= UInt64(b.physicalPC) else { continue }
                invalidate(b, reason: "store to 0x\(String(address, radix: 16))")
            }
        }
    }

    public func instructionFence(_ machine: Machine) {
        statistics.flushes &+= 1
        for b in Array(blocks.values) { invalidate(b, reason: "fence.i") }
    }

    func invalidate(_ b: CompiledBlock, reason: String, counted: Bool = true) {
        let key = b.key
        guard blocks[key] === b else { return }
        unlinkIncoming(b)
        unverified.remove(key)
        let owner = backend(of: b)
        // Links never cross contexts: each exit's target is in this block's context.
        for (exit, target) in b.exits where owner.isLinked(exit) {
            incoming[BlockKey(target, b.context)]?.removeAll { $0 == exit }
        }
        blocks[key] = nil
        liveCodeBytes -= JIT.footprint(b)
        for page in b.pages {
            pageBlocks[page]?.removeAll { $0 == key }
            if pageBlocks[page]?.isEmpty ?? true {
                pageBlocks[page] = nil
                machine.memory.flags[Int(page)] &= ~PageFlag.code
            }
        }
        // An exit of this block may be waiting to be linked: it is about to be freed.
        if let l = linkFrom, b.holds(l.address) { linkFrom = nil }
        if let s = machine.cpu.pointee.engineScratch, b.holds(s) { machine.cpu.pointee.engineScratch = nil }
        if counted { statistics.invalidations &+= 1 }
        onInvalidate?(b, reason)
        graveyard.append(b)
    }

    /// Unlinks the exits chained to `b` and drops it from its context's jump cache: from now
    /// on only the dispatcher enters it.
    func unlinkIncoming(_ b: CompiledBlock) {
        let key = b.key
        for exit in incoming[key] ?? [] {
            let owner = backend(of: exit)
            owner.unlink(exit)
            onChain?(owner.sourcePC(of: exit), b.pc, false)
        }
        incoming[key] = nil
        let j = JumpCache.index(b.pc)
        if let cache = jumpCaches[b.context], cache[j].pc == b.pc { cache[j] = JumpCacheEntry() }
    }

    private func freeGraveyard() {
        // Counted executions outlive the block, merged into one record per pc.
        let counted = compileOptions.countExecutions
        for b in graveyard {
            if counted { retiredTotals[b.pc, default: BlockTotals()].add(b) }
            backend(of: b).release(b)
        }
        graveyard.removeAll()
    }

    /// Drops every translation (the cache is over `codeCacheLimit`): chains are unlinked first,
    /// blocks are freed at the next dispatch, when none can be running.
    func flushCodeCache() {
        statistics.cacheFlushes &+= 1
        for b in Array(blocks.values) { invalidate(b, reason: "code cache full") }
        hotness.removeAll()
        nativeRequests.removeAll()
        forgetContexts()
        // No native code runs while the dispatcher flushes: its memory can be reused at once.
        closures.reset()
        native?.reset()
    }

    /// Executions and instructions of every block that ran, by pc: in the cache, waiting to be
    /// freed, and freed (when executions are counted; empty otherwise).
    public func executionTotals() -> [UInt32: BlockTotals] {
        guard compileOptions.countExecutions else { return [:] }
        var totals = retiredTotals
        for b in blocks.values { totals[b.pc, default: BlockTotals()].add(b) }
        for b in graveyard { totals[b.pc, default: BlockTotals()].add(b) }
        return totals
    }

    /// The blocks in the code cache now.
    public var cachedBlocks: [CompiledBlock] { Array(blocks.values) }

    // MARK: Hooks called from handlers

    /// From a closure block's entry: only closures carry the block hook (with it set, the native
    /// tier is off).
    func blockEntered(pc: UInt32, count: UInt64) { onBlockEntered?(pc, count, .closure) }

    func instructionRetired(pc: UInt32, word: UInt32, cpu: UnsafeMutablePointer<CPUState>) {
        onRetire?(pc, word, cpu)
    }
}

extension CompiledBlock {
    /// The physical pages the block's instructions were read from (two when its first one
    /// straddles, which only a block fetched physically may do).
    var pages: [UInt32] {
        let first = physicalPC >> GuestMemory.pageShift
        let last = (physicalEnd &- 1) >> GuestMemory.pageShift
        return last == first ? [first] : [first, last]
    }

    /// The physical address after the block's last instruction.
    var physicalEnd: UInt32 { physicalPC &+ (endPC &- pc) }

    /// The block's key in the code cache.
    var key: BlockKey { BlockKey(pc, context) }
}

/// How often the blocks at one pc ran, over all their translations.
public struct BlockTotals: Sendable, Equatable {
    public var executions: UInt64 = 0
    public var instructions: UInt64 = 0
    /// Of `executions`, those of native-tier translations (the rest ran as closures).
    public var nativeExecutions: UInt64 = 0
    public init() {}
    mutating func add(_ b: CompiledBlock) {
        executions &+= b.executions
        instructions &+= b.executions &* UInt64(b.length)
        if b.tier == .native { nativeExecutions &+= b.executions }
    }

    /// The executions each tier ran.
    public func executions(of tier: Tier) -> UInt64 {
        switch tier {
        case .interp: return 0
        case .closure: return executions &- nativeExecutions
        case .native: return nativeExecutions
        }
    }
}

/// Forwards interpreter retirements to a closure (tracing only).
struct ClosureRetireHook: RetireHook {
    let body: (UInt32, UInt32, UnsafeMutablePointer<CPUState>) -> Void
    mutating func retired(pc: UInt32, word: UInt32, cpu: UnsafeMutablePointer<CPUState>) {
        body(pc, word, cpu)
    }
}
