import ArgumentParser
import Foundation
import RISCV
import RVJIT
import RVMachine
import RVSyscalls

/// `rvjit`: with no arguments runs the bundled demo; otherwise one of the subcommands.
public struct RVJITCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "rvjit",
        abstract: "Run RISC-V RV32I ELF programs on a closure-threaded JIT or an interpreter.",
        version: RVJITCommand.version,
        subcommands: [RunCommand.self, BenchCommand.self, TraceCommand.self, DisasmCommand.self, TestCommand.self])

    /// What `rvjit --version` prints.
    public static let version = "rvjit 0.5.0 (RV32IMAC, Zicsr, Zifencei; interpreter and closure-threaded JIT)"

    public init() {}

    public func run() throws {
        try Demo.run()
    }
}

extension EngineKind: ExpressibleByArgument {}

/// JIT techniques that `--jit-disable` can turn off one by one.
enum JITTechnique: String, CaseIterable, ExpressibleByArgument {
    case passes, chaining, superblocks, superinstructions

    func disable(in options: inout JITOptions) {
        switch self {
        case .passes: options.optimize = false
        case .chaining: options.chaining = false
        case .superblocks: options.superblocks = false
        case .superinstructions: options.superinstructions = false
        }
    }
}
extension MachineKind: ExpressibleByArgument {}
extension PrivilegedPolicy: ExpressibleByArgument {}
extension PrivilegeModes: ExpressibleByArgument {}

/// Flags that shape a run, shared by `run` and `bench`.
struct RunOptions: ParsableArguments {
    @Option(help: "Machine: linux (a user process) or bare (M-mode, HTIF, CLINT).")
    var machine: MachineKind = .linux

    @Option(name: .customLong("max-instructions"), help: "Stop after exactly N guest instructions (exit status 124).")
    var maxInstructions: UInt64?

    @Flag(help: "Guest clocks and counters follow the instruction count only.")
    var deterministic = false

    @Flag(name: .customLong("trap-misaligned"), help: "Misaligned loads and stores trap instead of completing.")
    var trapMisaligned = false

    @Option(help: "Privileged instructions: translate (in the block) or trap (exit to the monitor).")
    var privileged: PrivilegedPolicy = .translate

    @Option(help: "Bare metal: the hart's privilege modes, msu (machine, supervisor with Sv32, user) or mu.")
    var priv: PrivilegeModes = .msu

    @Option(help: ArgumentHelp(
        "The hart's extensions, e.g. rv32i, rv32imac, rv32i_zbkb, rv32imacb (b: zba_zbb_zbs) (default: all implemented, \(ISA.implemented)); the others' instructions are illegal.",
        valueName: "isa"))
    var isa: String?

    @Option(name: .customLong("jit-threshold"), help: "Translate a block after it ran N times in the interpreter (0: at once; default 5).")
    var jitThreshold: Int?

    @Option(
        name: .customLong("jit-disable"),
        help: ArgumentHelp("Turn off a JIT technique, to measure what it buys; repeatable.", valueName: JITTechnique.allCases.map(\.rawValue).joined(separator: "|")))
    var jitDisabled: [JITTechnique] = []

    @Option(name: .customLong("tiers"), help: ArgumentHelp(
        "Execution tiers: interp (the interpreter alone), closure, native (x86-64 machine code), or a chain such as closure,native (default: \(JITTiers.hostDefault) on this host).",
        valueName: "interp|closure|native|closure,native"))
    var tiers: String?

    @Option(name: .customLong("native-threshold"), help: "With closure,native: compile a closure block to machine code after it ran N more times (default 1000).")
    var nativeThreshold: UInt32?

    @Option(name: .customLong("env"), help: "Set a guest environment variable (NAME=VALUE); repeatable.")
    var environment: [String] = []

    // MARK: Syscalls

    @Option(name: .customLong("dir"), help: ArgumentHelp("Let the guest see host directory HOST as GUEST (default: the same path); repeatable. The first is the guest's cwd.", valueName: "host[:guest]"))
    var directories: [String] = []

    @Option(name: .customLong("dir-ro"), help: ArgumentHelp("As --dir, read-only for the guest.", valueName: "host[:guest]"))
    var readOnlyDirectories: [String] = []

    @Flag(name: .customLong("strict-syscalls"), help: "Stop the run (status 125) at an unknown system call instead of returning -ENOSYS.")
    var strictSyscalls = false

    // MARK: Limits

    @Option(name: .customLong("memory-limit"), help: ArgumentHelp("Guest memory (segments, stack, brk, mmap) the guest may hold; past it brk and mmap fail with -ENOMEM. K, M, G suffixes.", valueName: "size"))
    var memoryLimit: ByteSize = RunLimits.memory

    @Option(name: .customLong("timeout"), help: ArgumentHelp("Stop the run after this much wall-clock time (exit status 142).", valueName: "seconds"))
    var timeout: Double?

    @Option(name: .customLong("file-size-limit"), help: ArgumentHelp("Largest file the guest may write; a write past it fails with -EFBIG. K, M, G suffixes.", valueName: "size"))
    var fileSizeLimit: ByteSize = RunLimits.fileSize

    @Option(name: .customLong("code-cache-limit"), help: ArgumentHelp("Compiled code the JIT may keep; past it the cache is flushed and refilled. K, M, G suffixes.", valueName: "size"))
    var codeCacheLimit: ByteSize = RunLimits.codeCache

    @Option(name: .customLong("memory"), help: ArgumentHelp("Bare metal: more memory at BASE of SIZE bytes (0x-hex or decimal, SIZE may end in K/M/G); repeatable.", valueName: "base:size"))
    var memory: [String] = []

    @Flag(name: .customLong("no-semihosting"), help: "Bare metal: no semihosting; the semihosting ebreak is a plain breakpoint.")
    var noSemihosting = false

    @Option(name: .customLong("signature"), help: ArgumentHelp("When the guest halts, write the memory from begin_signature to end_signature here, as Spike's +signature= (also accepted before the ELF).", valueName: "file"))
    var signature: String?

    @Option(name: .customLong("signature-granularity"), help: "Bytes per signature line (default 4).")
    var signatureGranularity: Int = 4

    func configuration(elf: String, arguments: [String], engine: EngineKind) throws -> RunConfiguration {
        var c = RunConfiguration(elfPath: elf, arguments: arguments, engine: engine)
        c.machine = machine
        c.maxInstructions = maxInstructions
        c.deterministic = deterministic
        c.trapMisaligned = trapMisaligned
        c.privileged = privileged
        c.privilegeModes = priv
        if let isa {
            do { c.isa = try ISA(parsing: isa) } catch { throw ValidationError("--isa: \(error)") }
        }
        for variable in environment {
            guard let eq = variable.firstIndex(of: "="), eq != variable.startIndex else {
                throw ValidationError("--env must be NAME=VALUE, not '\(variable)'")
            }
        }
        c.environment = environment
        c.directories = directories.map { DirectoryMapping(argument: $0, readOnly: false) }
            + readOnlyDirectories.map { DirectoryMapping(argument: $0, readOnly: true) }
        for (option, list) in [("--dir", directories), ("--dir-ro", readOnlyDirectories)] {
            for (argument, mapping) in zip(list, c.directories.filter { $0.readOnly == (option == "--dir-ro") }) {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: mapping.hostPath, isDirectory: &isDirectory), isDirectory.boolValue else {
                    throw ValidationError("\(option) \(argument): no such directory on the host: \(mapping.hostPath)")
                }
            }
        }
        c.strictSyscalls = strictSyscalls
        c.memoryLimit = memoryLimit.bytes
        c.fileSizeLimit = fileSizeLimit.bytes
        c.jit.codeCacheLimit = Int(clamping: codeCacheLimit.bytes)
        if let timeout {
            guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be a positive number of seconds") }
            c.timeout = timeout
        }
        c.semihosting = !noSemihosting
        c.signaturePath = signature
        guard (1...64).contains(signatureGranularity) else { throw ValidationError("--signature-granularity must be 1 to 64") }
        c.signatureGranularity = signatureGranularity
        c.memory = try memory.map { text in
            guard let region = MemoryRegion(argument: text) else {
                throw ValidationError("--memory \(text): expected BASE:SIZE within the 32-bit address space, e.g. 0x40000000:64M")
            }
            return region
        }
        for technique in jitDisabled { technique.disable(in: &c.jit) }
        if let tiers {
            if tiers == "interp" {
                c.engine = .interp
            } else {
                guard let t = JITTiers(parsing: tiers) else {
                    throw ValidationError("--tiers must be interp, closure, native or closure,native, not '\(tiers)'")
                }
                guard !t.native || JITTiers.nativeAvailable else { throw ValidationError("--tiers: the native tier needs an x86-64 host") }
                c.jit.tiers = t
            }
        }
        if let nativeThreshold { c.jit.nativeThreshold = nativeThreshold }
        if let t = jitThreshold {
            guard t >= 0 else { throw ValidationError("--jit-threshold must be 0 or more") }
            c.jit.threshold = t
        }
        return c
    }
}

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a guest program.")

    @OptionGroup var engine: EngineOptions
    @OptionGroup var options: RunOptions
    @OptionGroup var trace: TraceOptions
    @Option(help: ArgumentHelp(
        "Serve gdb's remote protocol on [HOST:]PORT (127.0.0.1 unless HOST is given; port 0 picks one) and wait for gdb before the first instruction.",
        valueName: "[host:]port"))
    var gdb: String?
    @OptionGroup var program: GuestProgram

    func run() throws {
        // Spike's spellings, before the ELF: +signature=FILE, +signature-granularity=N.
        var words = [program.elf] + program.arguments
        var signature: String?, granularity: Int?
        while let first = words.first, first.hasPrefix("+signature") {
            if first.hasPrefix("+signature=") {
                signature = String(first.dropFirst("+signature=".count))
            } else if first.hasPrefix("+signature-granularity="), let n = Int(first.dropFirst("+signature-granularity=".count)), (1...64).contains(n) {
                granularity = n
            } else {
                throw ValidationError("unknown option \(first)")
            }
            words.removeFirst()
        }
        guard let elf = words.first else { throw ValidationError("missing the ELF after \(program.elf)") }
        var config = try options.configuration(elf: elf, arguments: Array(words.dropFirst()), engine: engine.engine)
        if let signature { config.signaturePath = signature }
        if let granularity { config.signatureGranularity = granularity }
        config.trace = try trace.configuration()
        if let gdb {
            do { config.gdb = try GDBEndpoint(parsing: gdb) } catch { throw ValidationError("\(error)") }
            if config.trace?.isActive == true {
                throw ValidationError("--gdb cannot be combined with --trace, --profile or --cfg (use 'monitor trace on' in gdb)")
            }
            config.gdbListening = { endpoint in
                FileHandle.standardError.write("rvjit: waiting for gdb on \(endpoint)\n")
            }
        }
        try runGuest(config, stats: engine.stats)
    }
}

/// The executor and whether to print statistics (`run`, `trace`).
struct EngineOptions: ParsableArguments {
    @Option(help: "Executor: jit (default) or interp.")
    var engine: EngineKind = .jit

    @Flag(help: "Print instructions executed, time, MIPS and engine statistics to stderr.")
    var stats = false
}

/// The guest ELF and its arguments, always last on the command line.
struct GuestProgram: ParsableArguments {
    @Argument(help: "The RV32I ELF to run.")
    var elf: String

    @Argument(parsing: .captureForPassthrough, help: "Arguments for the guest.")
    var arguments: [String] = []
}

/// Runs a configured guest, reports how it stopped, and exits with its status.
func runGuest(_ configuration: RunConfiguration, stats: Bool) throws {
    var config = configuration
    // Chained entries are known only when block executions are counted.
    if stats { config.jit.countExecutions = true }
    config.stopOnSignals = true
    Interruption.install()
    let result: RunResult
    do {
        let elf = try Runner.readELF(config.elfPath)
        if let warning = Runner.isaWarning(elf, isa: config.isa) {
            FileHandle.standardError.write("rvjit: warning: \(warning)\n")
        }
        if let hint = BareMetalHint.hint(elf, machine: config.machine) {
            FileHandle.standardError.write("rvjit: hint: \(hint)\n")
        }
        result = try Runner.run(config)
    } catch {
        FileHandle.standardError.write("rvjit: \(error)\n")
        throw ExitCode(2)
    }
    report(result, config: config, stats: stats)
    throw ExitCode(result.exitStatus)
}

/// Prints why a run stopped (when it is not a plain exit) and, if asked, its statistics.
func report(_ result: RunResult, config: RunConfiguration, stats: Bool) {
    let err = FileHandle.standardError
    switch result.stop {
    case .exited: break
    case .fault(let trap): err.write("rvjit: guest fault: \(trap)\n")
    case .budgetExhausted(let n): err.write("rvjit: stopped after --max-instructions \(n) at pc 0x\(String(result.finalPC, radix: 16))\n")
    case .aborted(let why): err.write("rvjit: stopped: \(why)\n")
    case .timedOut(let seconds):
        err.write("rvjit: stopped after --timeout \(String(format: "%g", seconds)) s at pc 0x\(String(result.finalPC, radix: 16))\n")
    case .signalled(let n):
        err.write("rvjit: stopped by \(n == SIGINT ? "SIGINT" : n == SIGTERM ? "SIGTERM" : "signal \(n)") at pc 0x\(String(result.finalPC, radix: 16))\n")
    case .breakpoint, .watchpoint, .stepped, .interrupted:
        err.write("rvjit: stopped by the debugger at pc 0x\(String(result.finalPC, radix: 16))\n")
    }
    if !result.faultReport.isEmpty { err.write(result.faultReport.map { "rvjit:   " + $0 }.joined(separator: "\n") + "\n") }
    guard stats else { return }
    var lines = [
        "engine            \(config.engine.rawValue)",
        "instructions      \(result.instructions)",
        "F/D instructions  \(result.floatInstructions)",
        String(format: "time              %.3f s", result.seconds),
        String(format: "guest MIPS        %.1f", result.mips),
        "monitor exits     \(result.monitorExits)",
    ]
    if result.pageWalks > 0 {
        lines.append("sv32              \(result.pageWalks) page walks, \(result.pageFaults) page faults, TLB \(result.tlbHits) hits \(result.tlbMisses) misses")
    }
    if let s = result.jitStatistics {
        lines += s.report()
        lines.append(String(format: "time split        %.3f s translating, %.3f s running", s.translationSeconds,
                            max(0, result.seconds - s.translationSeconds)))
    }
    err.write(lines.map { "rvjit: " + $0 }.joined(separator: "\n") + "\n")
}

extension FileHandle {
    func write(_ s: String) { write(Data(s.utf8)) }
}

struct DisasmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "disasm", abstract: "Disassemble an ELF's code exactly as riscv64-unknown-elf-objdump -d prints it.")

    @Flag(name: .customLong("no-aliases"), help: "Print base instructions, no pseudo-instructions (objdump -M no-aliases).")
    var noAliases = false

    @Argument(help: "The RV32I ELF.")
    var elf: String

    func run() throws {
        let file: ELFFile
        do { file = try Runner.readELF(elf) } catch {
            FileHandle.standardError.write("rvjit: \(error)\n")
            throw ExitCode(2)
        }
        print(Listing.disassemble(file, path: elf, aliases: !noAliases), terminator: "")
    }
}
