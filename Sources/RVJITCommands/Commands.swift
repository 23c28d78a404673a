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
        subcommands: [RunCommand.self, BenchCommand.self, TraceCommand.self, DisasmCommand.self, TestCommand.self])

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

    @Option(help: ArgumentHelp(
        "The hart's extensions, e.g. rv32i, rv32im, rv32imac (default: all implemented, \(ISA.implemented)); the others' instructions are illegal.",
        valueName: "isa"))
    var isa: String?

    @Option(name: .customLong("jit-threshold"), help: "Translate a block after it ran N times in the interpreter (0: at once; default 5).")
    var jitThreshold: Int?

    @Option(
        name: .customLong("jit-disable"),
        help: ArgumentHelp("Turn off a JIT technique, to measure what it buys; repeatable.", valueName: JITTechnique.allCases.map(\.rawValue).joined(separator: "|")))
    var jitDisabled: [JITTechnique] = []

    @Option(name: .customLong("env"), help: "Set a guest environment variable (NAME=VALUE); repeatable.")
    var environment: [String] = []

    // MARK: Syscalls

    @Option(name: .customLong("dir"), help: ArgumentHelp("Let the guest see host directory HOST as GUEST (default: the same path); repeatable. The first is the guest's cwd.", valueName: "host[:guest]"))
    var directories: [String] = []

    @Option(name: .customLong("dir-ro"), help: ArgumentHelp("As --dir, read-only for the guest.", valueName: "host[:guest]"))
    var readOnlyDirectories: [String] = []

    @Flag(name: .customLong("strict-syscalls"), help: "Stop the run (status 125) at an unknown system call instead of returning -ENOSYS.")
    var strictSyscalls = false

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
        if let isa {
            do { c.isa = try ISA(parsing: isa) } catch { throw ValidationError("--isa: \(error)") }
        }
        c.environment = environment
        c.directories = directories.map { DirectoryMapping(argument: $0, readOnly: false) }
            + readOnlyDirectories.map { DirectoryMapping(argument: $0, readOnly: true) }
        c.strictSyscalls = strictSyscalls
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
    }
    guard stats else { return }
    var lines = [
        "engine            \(config.engine.rawValue)",
        "instructions      \(result.instructions)",
        String(format: "time              %.3f s", result.seconds),
        String(format: "guest MIPS        %.1f", result.mips),
        "monitor exits     \(result.monitorExits)",
    ]
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

/// The register state objdump keeps to annotate addresses built in two instructions: a
/// lui/auipc records its result for its destination, and the next load, store, addi or jalr
/// based on that register (or on gp, tp or zero) gets `# address` after it.
struct AddressNotes {
    var high = [UInt32?](repeating: nil, count: 32)
    let globalPointer: UInt32?

    init(globalPointer: UInt32?) { self.globalPointer = globalPointer }

    /// objdump's `maybe_print_address`: the base's recorded value is used up by its first use.
    private mutating func address(base: UInt8, offset: Int32, into noted: inout UInt32?) {
        if let h = high[Int(base)] {
            noted = (base != 0 ? h : 0) &+ UInt32(bitPattern: offset)
            high[Int(base)] = nil
        } else if base == 3, let gp = globalPointer {
            noted = gp &+ UInt32(bitPattern: offset)
        } else if base == 4 || base == 0 {
            noted = UInt32(bitPattern: offset)
        }
    }

    mutating func note(_ word: UInt32, pc: UInt32, aliases: Bool) -> UInt32? {
        let i = RISCV.decode(word)
        var noted: UInt32? = nil
        switch i.opcode {
        case .lui: high[Int(i.rd)] = UInt32(bitPattern: i.imm)
        case .auipc: high[Int(i.rd)] = pc &+ UInt32(bitPattern: i.imm)
        case .lb, .lh, .lw, .lbu, .lhu, .sb, .sh, .sw:
            address(base: i.rs1, offset: i.imm, into: &noted)
        case .addi where i.rs1 != 0 && !(aliases && i.imm == 0):  // `mv` prints no immediate
            address(base: i.rs1, offset: i.imm, into: &noted)
        case .jalr:
            let ret = aliases && i.rd == 0 && i.rs1 == 1 && i.imm == 0
            let offsetShown = !aliases || !(i.rd == 0 || i.rd == 1) || i.imm != 0
            if !ret {
                if offsetShown { address(base: i.rs1, offset: i.imm, into: &noted) }
                address(base: i.rs1, offset: i.imm, into: &noted)  // the base register operand
            }
        default: break
        }
        return noted
    }
}

/// Text listings of guest code.
public enum Listing {
    /// A listing laid out as `objdump -d` lays it out: each executable section, a label line
    /// at every address objdump names, one line per word, and the `# address <symbol>` notes
    /// objdump adds where a lui/auipc result, gp, tp or zero forms an address.
    public static func disassemble(_ file: ELFFile, path: String = "", aliases: Bool) -> String {
        let d = file.disassembler(aliases: aliases)
        let symbols = file.symbols
        var out = path.isEmpty ? "" : "\n\(path):     file format elf32-littleriscv\n\n"
        var sections = symbols.codeSections.map { ($0.name, $0.address, $0.size) }
        if sections.isEmpty {
            sections = file.segments.filter { $0.flags & 1 != 0 }.map { ("LOAD", $0.vaddr, $0.fileSize) }
        }
        var notes = AddressNotes(globalPointer: symbols["__global_pointer$"]?.address)
        for (name, start, size) in sections {
            guard let segment = file.segments.first(where: { start &- $0.vaddr < $0.fileSize }) else { continue }
            out += "\nDisassembly of section \(name):\n"
            var a = start
            let end = UInt64(start) + UInt64(size)
            while UInt64(a) + 4 <= end, a &- segment.vaddr &+ 4 <= segment.fileSize {
                let o = Int(segment.offset &+ (a &- segment.vaddr))
                let w = UInt32(file.bytes[o]) | UInt32(file.bytes[o + 1]) << 8 | UInt32(file.bytes[o + 2]) << 16
                    | UInt32(file.bytes[o + 3]) << 24
                if let sym = symbols.nearestSymbol(a), sym.address == a {
                    out += "\n\(hex8(a)) <\(sym.name)>:\n"
                }
                // objdump prints a run of 8 or more zero bytes as "...".
                var zeros = 0
                while UInt64(a) + UInt64(zeros) < end, o + zeros < file.bytes.count, file.bytes[o + zeros] == 0 { zeros += 1 }
                if zeros >= 8 {
                    out += "\t...\n"
                    a &+= UInt32(zeros) & ~3
                    continue
                }
                let address = String(a, radix: 16)
                var text = d.text(word: w, pc: a)
                if let noted = notes.note(w, pc: a, aliases: aliases) {
                    text += " # " + String(noted, radix: 16) + (symbols.describe(noted).map { " <\($0)>" } ?? "")
                }
                out += "\(String(repeating: " ", count: max(0, 8 - address.count)))\(address):\t\(hex8(w))          \t\(text)\n"
                a &+= 4
            }
        }
        return out
    }

    static func hex8(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, 8 - s.count)) + s
    }
}
