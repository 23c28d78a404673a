import Foundation
import RISCV
import RVInterpreter
import RVJIT
import RVMachine
import RVSyscalls
import RVTracing

/// What to trace, profile and draw during one run (filled from `TraceOptions`, or by tests).
public struct TraceConfiguration: Sendable {
    public enum Destination: Sendable {
        case standardError
        case file(String)
        /// In memory, for tests.
        case capture(TraceCapture)
    }

    public var kinds: Set<TraceKind> = []
    public var filter = TraceFilter()
    public var format: TraceFormat = .text
    public var destination: Destination = .standardError
    /// Print a profile at exit (to standard error, or into the capture).
    public var profile = false
    /// Write the control-flow graph as Graphviz DOT here.
    public var cfgPath: String? = nil
    /// How the graph is drawn (`--cfg-detail`, `--cfg-function`).
    public var cfgStyle = ControlFlowGraph.Style()
    /// Write the profile here instead of standard error (`--profile-file`; JSON if `.json`).
    public var profilePath: String? = nil

    public init(kinds: Set<TraceKind> = []) { self.kinds = kinds }

    /// Whether the run needs anything from the tracing machinery at all.
    public var isActive: Bool { !kinds.isEmpty || profile || cfgPath != nil }
}

/// Trace lines, profile and graph of a run, kept in memory (tests).
public final class TraceCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var _lines: [String] = []
    private var _profile: Profile? = nil
    private var _profileLines: [String] = []
    private var _graph: ControlFlowGraph? = nil

    public init() {}

    func append(_ line: String) { lock.withLock { _lines.append(line) } }
    func set(profile: Profile, lines: [String]) { lock.withLock { _profile = profile; _profileLines = lines } }
    func set(graph: ControlFlowGraph) { lock.withLock { _graph = graph } }

    public var lines: [String] { lock.withLock { _lines } }
    public var profile: Profile? { lock.withLock { _profile } }
    public var profileLines: [String] { lock.withLock { _profileLines } }
    public var graph: ControlFlowGraph? { lock.withLock { _graph } }
}

/// Attaches the tracer, profile and CFG collection to an engine's hooks for one run.
///
/// Nothing here is on the untraced path: `Runner` calls this only when a trace, profile or
/// graph was asked for, and the JIT chooses hooked closure shapes at translation time only.
final class TraceSession {
    let config: TraceConfiguration
    private let kindMask: UInt16
    let machine: Machine
    let tracer: Tracer?
    let capture: TraceCapture?

    /// Guest instructions retired, counted by the retire hooks (exact when every instruction
    /// passes through them, which `insns` and the interpreter's hook guarantee).
    var retired: UInt64 = 0
    /// The latest translation of each block: its words.
    var translations: [UInt32: [UInt32]] = [:]
    /// Transitions between entered blocks (for the CFG), and the previous block entered.
    var transitions: [BlockEdge: UInt64] = [:]
    var previousBlock: UInt32? = nil
    /// Chain links made, as (exit instruction pc, target block pc).
    var links: Set<BlockEdge> = []
    var tracker: BlockTracker? = nil
    /// Where `--cfg` and `--profile-file` go.
    let cfgFile: OutputFile?
    let profileFile: OutputFile?
    /// The registers at the end of the block the interpreter just finished (`cpu` traces).
    var pendingCPU: [UInt32]? = nil
    var jit: JIT? = nil
    /// Spike's commit log (`--trace-format spike`): builds each instruction's record.
    let commits: CommitObserver?

    init(_ config: TraceConfiguration, machine: Machine) throws {
        self.config = config
        self.kindMask = TraceKind.mask(config.kinds)
        self.machine = machine
        commits = config.format == .spike && config.kinds.contains(.insns) ? CommitObserver(machine: machine) : nil
        // Opened now, so that a path that cannot be written fails before the guest runs.
        cfgFile = try config.cfgPath.map { try OutputFile.open($0) }
        profileFile = try config.profilePath.map { try OutputFile.open($0) }
        if let name = config.cfgStyle.function, !machine.symbols.symbols.contains(where: { $0.name == name }) {
            throw TraceSetupError.noSuchFunction(name)
        }
        if case .capture(let c) = config.destination { capture = c } else { capture = nil }
        if config.kinds.isEmpty {
            tracer = nil
        } else {
            let output: TraceOutput
            switch config.destination {
            case .standardError: output = .standardError()
            case .file(let path): output = try .file(path)
            case .capture(let c): output = TraceOutput(capture: { c.append($0) })
            }
            tracer = Tracer(kinds: config.kinds, filter: config.filter,
                            formatter: TraceFormatter(format: config.format, symbols: machine.symbols), output: output)
        }
    }

    func wants(_ k: TraceKind) -> Bool { kindMask & k.bit != 0 }

    /// Exceptions and interrupts, from the machine (both engines).
    private func watchTraps() {
        guard let tracer, tracer.wants(.traps) else { return }
        let machine = self.machine
        machine.onTrap = { [unowned machine] t in tracer.emit(.trap(t), icount: machine.instret) }
    }

    // MARK: Running

    /// Runs the machine on `engine`; returns the JIT's statistics under the JIT.
    func run(engine: EngineKind, jitOptions: JITOptions) -> JITStatistics? {
        watchTraps()
        switch engine {
        case .interp:
            runInterpreter()
            return nil
        case .jit:
            return runJIT(jitOptions)
        }
    }

    private func runInterpreter() {
        if wants(.cpu) { emitCPU(machine.cpu) }  // the first block
        guard wants(.insns) || wants(.exec) || wants(.cpu) || config.profile || config.cfgPath != nil else {
            Interpreter().run(machine)
            return
        }
        if wants(.exec) || config.profile || config.cfgPath != nil {
            let policy = machine.privilegedPolicy
            tracker = BlockTracker(maxLength: JITOptions().maxBlockLength) { word in
                BlockDecoder.endsBlock(RISCV.decode(word), policy: policy)
            }
        }
        var hook = SessionRetireHook(session: self)
        Interpreter().execute(machine, bounds: .unbounded, hook: &hook)
    }

    /// One instruction retired by the interpreter (as the engine, or as the JIT's monitor and fallback).
    fileprivate func interpreterRetired(pc: UInt32, word: UInt32, cpu: UnsafeMutablePointer<CPUState>) {
        if let (block, count) = tracker?.retired(pc: pc, word: word), let tracer, tracer.wants(.exec) {
            tracer.emit(.exec(pc: block, count: count, tier: .interp, sv32ASID: fetchASID), icount: retired)
        }
        if let regs = pendingCPU, let tracer {
            // The block that starts here: its entry state was kept when the last one ended (the
            // interpreter keeps pc and the count in locals, so they are known only now).
            tracer.emit(.cpu(pc: pc, registers: regs, privilege: cpu.pointee.privilege), icount: retired)
            pendingCPU = nil
        }
        instructionRetired(pc: pc, word: word, cpu: cpu)
        // After a block's last instruction the registers are the next block's entry state.
        if wants(.cpu), BlockDecoder.endsBlock(RISCV.decode(word, isa: machine.isa), policy: machine.privilegedPolicy) {
            pendingCPU = (0..<32).map { cpu.registers[$0] }
        }
    }

    /// The ASID of the address space the hart fetches from, while Sv32 translates its fetches
    /// (below M with `satp` in Sv32 mode); nil while fetch addresses are physical.
    private var fetchASID: UInt16? { machine.fetchContext != 0 ? Sv32.asid(machine.privileged.satp) : nil }

    /// A `cpu` event: the register file as the block at `cpu.pc` is entered.
    func emitCPU(_ cpu: UnsafeMutablePointer<CPUState>) {
        guard let tracer, tracer.wants(.cpu) else { return }
        let x = cpu.registers
        tracer.emit(.cpu(pc: cpu.pointee.pc, registers: (0..<32).map { x[$0] }, privilege: cpu.pointee.privilege),
                    icount: cpu.pointee.instret)
    }

    private func instructionRetired(pc: UInt32, word: UInt32, cpu: UnsafeMutablePointer<CPUState>) {
        retired &+= 1
        if let commits {
            // Every instruction passes through the observer, which keeps a copy of the registers.
            guard let record = commits.observe(pc: pc, word: word), let tracer, tracer.filter.mayAdmit(pc, pc &+ 4) else { return }
            tracer.emit(.committed(record), icount: retired &- 1)
            return
        }
        guard let tracer, tracer.wants(.insns), tracer.filter.mayAdmit(pc, pc &+ 4) else { return }
        var r = RetiredInstruction.observe(
            pc: pc, word: word, registers: cpu.registers, floatRegisters: cpu.floatRegisters, privilege: cpu.pointee.privilege)
        r.sv32ASID = fetchASID
        tracer.emit(.retired(r), icount: retired &- 1)
    }

    private func runJIT(_ base: JITOptions) -> JITStatistics {
        var options = base
        let graph = config.cfgPath != nil
        let enteredHook = wants(.exec) || wants(.cpu) || graph
        if config.profile || enteredHook { options.countExecutions = true }
        var hooks = CompileOptions()
        hooks.countExecutions = options.countExecutions
        hooks.blockHook = enteredHook
        hooks.retireHook = wants(.insns)
        // With --trace-range (and no CFG, which needs every edge, nor Spike's format, whose
        // records need the registers of the instruction before), blocks outside the range are
        // translated without hooks and run at full speed.
        if !graph, commits == nil, let range = config.filter.range { hooks.hookRange = range }
        let jit = JIT(machine: machine, options: options, hooks: hooks)
        self.jit = jit
        let machine = self.machine
        let tracer = self.tracer

        // Translations are recorded for the profile and graph (their words) and traced.
        jit.onTranslate = { [unowned self] record in
            self.translations[record.block.pc] = record.decoded.words
            guard let tracer, tracer.wants(.blocks) else { return }
            var b = TranslatedBlock(
                pc: record.block.pc, endPC: record.block.endPC, words: record.decoded.words,
                irBefore: record.irBefore.description.split(separator: "\n").map(String.init),
                irAfter: record.irAfter.description.split(separator: "\n").map(String.init),
                shapes: record.block.shapes)
            b.tier = BlockTier(record.block.tier)
            if let code = record.block.native { b.machineCode = MachineCodeListing.lines(code) }
            tracer.emit(.translated(b), icount: machine.instret)
        }
        if enteredHook {
            let filter = config.filter
            jit.onBlockEntered = { [unowned self] pc, count, tier in
                if !graph && !filter.mayAdmit(pc, pc &+ 4) { return }  // cheap early out for --trace-range
                if graph {
                    if let p = self.previousBlock { self.transitions[BlockEdge(from: p, to: pc), default: 0] &+= 1 }
                    self.previousBlock = pc
                }
                guard let tracer else { return }
                // The block entry has already counted the whole block.
                let length = UInt64(self.translations[pc]?.count ?? 0)
                if tracer.wants(.cpu) {
                    let cpu = machine.cpu, x = cpu.registers
                    tracer.emit(.cpu(pc: pc, registers: (0..<32).map { x[$0] }, privilege: cpu.pointee.privilege),
                                icount: machine.instret &- length)
                }
                guard tracer.wants(.exec) else { return }
                tracer.emit(.exec(pc: pc, count: count, tier: BlockTier(tier), sv32ASID: fetchASID), icount: machine.instret &- length)
            }
        }
        if wants(.insns) {
            // Retire slots of translated blocks and the interpreter (monitor, fallbacks) both land here.
            jit.onRetire = { [unowned self] pc, word, cpu in self.instructionRetired(pc: pc, word: word, cpu: cpu) }
        }
        if let tracer, tracer.wants(.invalidate) {
            jit.onInvalidate = { block, reason in
                tracer.emit(.invalidated(pc: block.pc, endPC: block.endPC, reason: reason), icount: machine.instret)
            }
        }
        if graph || wants(.chain) {
            jit.onChain = { [unowned self] from, to, linked in
                if linked { self.links.insert(BlockEdge(from: from, to: to)) }
                self.tracer?.emit(.chain(from: from, to: to, linked: linked), icount: machine.instret)
            }
        }
        jit.run()
        return jit.statistics
    }

    // MARK: System calls

    /// A system call as the bridge reports it (`SyscallBridge.onTrace`, set in `Runner` when
    /// `syscalls` is traced).
    static func emit(_ e: SyscallTraceEvent, to tracer: Tracer, machine: Machine) {
        tracer.emit(.syscall(pc: e.pc, text: e.text), icount: machine.instret)
    }

    // MARK: At exit

    /// The profile of the run that just ended.
    func profile() -> Profile {
        if let tracker {
            return Profile(blocks: Array(tracker.counts.values), totalInstructions: machine.instret)
        }
        return Profile(blocks: jitBlocks(), totalInstructions: machine.instret)
    }

    /// Blocks of every translation (the code cache's history), merged by pc.
    private func jitBlocks() -> [BlockCount] {
        guard let jit else { return [] }
        var byPC: [UInt32: BlockCount] = [:]
        for (pc, t) in jit.executionTotals() {
            var byTier: [BlockTier: UInt64] = [:]
            for tier in Tier.allCases where t.executions(of: tier) > 0 { byTier[BlockTier(tier)] = t.executions(of: tier) }
            byPC[pc] = BlockCount(
                pc: pc, words: translations[pc] ?? [], executions: t.executions, instructions: t.instructions, executionsByTier: byTier)
        }
        return Array(byPC.values)
    }

    func graph() -> ControlFlowGraph {
        if let tracker {
            return ControlFlowGraph(
                blocks: Array(tracker.counts.values),
                edges: tracker.transitions.map { ($0.key, $0.value, false) })
        }
        let blocks = jitBlocks()
        let ends = Dictionary(blocks.map { ($0.pc, $0.endPC) }, uniquingKeysWith: { a, _ in a })
        return ControlFlowGraph(
            blocks: blocks,
            edges: transitions.map { edge, count in
                let exit = (ends[edge.from] ?? edge.from &+ 4) &- 4
                return (edge, count, links.contains(BlockEdge(from: exit, to: edge.to)))
            })
    }

    /// Flushes the trace and writes the profile and the graph.
    func finish() throws {
        tracer?.flush()
        if let failure = tracer?.output.failure { throw failure }
        if config.profile {
            let p = profile()
            let lines = p.report(symbols: machine.symbols)
            if let capture {
                capture.set(profile: p, lines: lines)
            } else if let file = profileFile {
                let json = config.profilePath?.lowercased().hasSuffix(".json") ?? false
                file.write(json ? p.json(symbols: machine.symbols) + "\n" : lines.joined(separator: "\n") + "\n")
                if let failure = file.failure { throw failure }
            } else {
                FileHandle.standardError.write(lines.map { "rvjit: " + $0 }.joined(separator: "\n") + "\n")
            }
        }
        if let file = cfgFile {
            let g = graph()
            capture?.set(graph: g)
            file.write(g.dot(symbols: machine.symbols, style: config.cfgStyle))
            if let failure = file.failure { throw failure }
        }
    }
}

/// Forwards the interpreter's retirements to the session (used only for traced interpreter runs).
private struct SessionRetireHook: RetireHook {
    unowned let session: TraceSession
    mutating func retired(pc: UInt32, word: UInt32, cpu: UnsafeMutablePointer<CPUState>) {
        session.interpreterRetired(pc: pc, word: word, cpu: cpu)
    }
}

/// A trace, profile or graph option that names something the guest does not have.
enum TraceSetupError: Error, CustomStringConvertible {
    case noSuchFunction(String)
    var description: String {
        switch self {
        case .noSuchFunction(let name): return "--cfg-function \(name): the ELF has no symbol of that name"
        }
    }
}

extension BlockTier {
    /// The trace's name for a JIT tier.
    init(_ tier: Tier) {
        switch tier {
        case .interp: self = .interp
        case .closure: self = .closure
        case .native: self = .native
        }
    }
}
