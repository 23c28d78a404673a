import Foundation
import RISCV
import RVInterpreter
import RVJIT
import RVMachine
import RVSyscalls
import RVTracing

/// Which executor runs the guest.
public enum EngineKind: String, Sendable, CaseIterable {
    case interp
    case jit
}

/// Everything that shapes one guest run; the CLI fills it from flags, tests build it directly.
public struct RunConfiguration: Sendable {
    public var elfPath: String
    public var arguments: [String]
    public var environment: [String] = []
    public var engine: EngineKind = .jit
    public var machine: MachineKind = .linux
    public var maxInstructions: UInt64? = nil
    public var deterministic = false
    public var trapMisaligned = false
    public var privileged: PrivilegedPolicy = .translate
    /// The hart's privilege modes (`--priv`): machine, supervisor and user by default.
    public var privilegeModes: PrivilegeModes = .msu
    /// The hart's extensions (`--isa`); instructions of the others are illegal.
    public var isa: ISA = .implemented
    public var jit = JITOptions()
    /// Host directories the guest may see (`--dir`, `--dir-ro`), in order; the first is its cwd.
    public var directories: [DirectoryMapping] = []
    /// Unknown system calls stop the run (exit status 125) instead of returning -ENOSYS.
    public var strictSyscalls = false
    /// Extra bare-metal memory (`--memory BASE:SIZE`), beyond what the ELF and the machine give.
    public var memory: [MemoryRegion] = []
    /// Bare metal: serve semihosting calls (`--no-semihosting` turns it off: every `ebreak` is a
    /// breakpoint then).
    public var semihosting = true
    /// Write the memory between `begin_signature` and `end_signature` here when the guest halts
    /// (`--signature`, Spike's `+signature=`), `signatureGranularity` bytes a line.
    public var signaturePath: String? = nil
    public var signatureGranularity = 4
    /// Tracing, profile and CFG output (nil: none, and no hooks anywhere).
    public var trace: TraceConfiguration? = nil
    /// Guest memory the guest may hold, in bytes (nil: no limit).
    public var memoryLimit: UInt64? = RunLimits.memory.bytes
    /// Largest file the guest may write, in bytes (nil: no limit).
    public var fileSizeLimit: UInt64? = RunLimits.fileSize.bytes
    /// Wall-clock seconds before the run is stopped (nil: none).
    public var timeout: Double? = nil
    /// SIGINT and SIGTERM stop the run at a block boundary (`Interruption`); the executors then
    /// look for a stop request at least every `RunLimits.timeoutCheckInterval` instructions.
    public var stopOnSignals = false
    /// Serve gdb's remote protocol here (`--gdb`): wait for a client before the first instruction.
    public var gdb: GDBEndpoint? = nil
    /// Told the address the stub listens on, before it waits (the CLI prints it).
    public var gdbListening: (@Sendable (GDBEndpoint) -> Void)? = nil

    public init(elfPath: String, arguments: [String] = [], engine: EngineKind = .jit) {
        self.elfPath = elfPath
        self.arguments = arguments
        self.engine = engine
    }
}

/// What a run produced.
public struct RunResult: Sendable {
    public var stop: StopReason
    public var instructions: UInt64
    public var seconds: Double
    public var jitStatistics: JITStatistics?
    public var monitorExits: UInt64
    public var finalPC: UInt32
    public var registers: [UInt32]
    /// F/D instructions retired (loads and stores included).
    public var floatInstructions: UInt64 = 0
    /// A fault report's lines (see `FaultReport`); empty unless the guest died of a fault or traps.
    public var faultReport: [String] = []
    /// Sv32 activity: TLB hits and misses, page walks, page faults (all zero without paging).
    public var tlbHits: UInt64 = 0
    public var tlbMisses: UInt64 = 0
    public var pageWalks: UInt64 = 0
    public var pageFaults: UInt64 = 0

    public var exitStatus: Int32 { stop.exitStatus }
    public var mips: Double { seconds > 0 ? Double(instructions) / seconds / 1e6 : 0 }
}

/// Which privilege modes the hart has (`--priv`, as Spike's option of that name).
public enum PrivilegeModes: String, Sendable, CaseIterable {
    /// Machine and user mode only: S-level CSRs, `sret` and `sfence.vma` are illegal.
    case mu
    /// Machine, supervisor (with Sv32) and user mode.
    case msu
}

public enum RunError: Error, CustomStringConvertible {
    case cannotRead(String, String)
    case load(String, String)
    case gdb(String)
    case cannotWrite(String, String)
    case signature(String)

    public var description: String {
        switch self {
        case .cannotRead(let path, let why): return "cannot read \(path): \(why)"
        case .load(let path, let why): return "\(path): \(why)"
        case .gdb(let why): return "gdb stub: \(why)"
        case .cannotWrite(let path, let why): return "cannot write \(path): \(why)"
        case .signature(let why): return "signature: \(why)"
        }
    }
}

/// Builds a machine for a configuration, runs it, and reports.
public enum Runner {
    public static func readELF(_ path: String) throws -> ELFFile {
        let bytes = try readFile(path)
        do {
            return try ELFFile(bytes: bytes)
        } catch {
            throw RunError.load(path, error.description)
        }
    }

    /// One line naming the extensions the ELF says it uses that `isa` turns off, if any.
    public static func isaWarning(_ elf: ELFFile, isa: ISA) -> String? {
        guard let declared = elf.declaredISA, let arch = elf.architecture else { return nil }
        let off = ISA.everything.subtracting(isa).intersection(declared)
        let names = [(ISA.m, "M"), (.a, "A"), (.f, "F"), (.d, "D"), (.c, "C"), (.zba, "Zba"), (.zbb, "Zbb"), (.zbc, "Zbc"),
                     (.zbs, "Zbs"), (.zbkb, "Zbkb"), (.zbkx, "Zbkx"), (.zfh, "Zfh"), (.zfhmin, "Zfhmin")].filter { off.contains($0.0) }.map(\.1)
        guard !names.isEmpty else { return nil }
        return "the ELF's ISA (\(arch)) uses \(names.joined(separator: ", ")), which --isa \(isa) turns off: those instructions are illegal"
    }

    /// The bytes of a file, read with open(2) and read(2) into one array (Foundation's
    /// `contents(atPath:)` leaked its buffer for an empty file).
    public static func readFile(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw RunError.cannotRead(path, errno == ENOENT ? "no such file" : String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw RunError.cannotRead(path, String(cString: strerror(errno))) }
        guard st.st_mode & S_IFMT != S_IFDIR else { throw RunError.cannotRead(path, "is a directory") }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw RunError.cannotRead(path, String(cString: strerror(errno)))
            }
            if n == 0 { return bytes }
            bytes += chunk[0..<n]
        }
    }

    /// Loads and runs; `console` receives the guest's standard output and error (nil: the host's).
    public static func run(_ config: RunConfiguration, console: Console = Console()) throws -> RunResult {
        let elf = try readELF(config.elfPath)
        let machine = Machine(kind: config.machine)
        machine.deterministic = config.deterministic
        machine.trapMisaligned = config.trapMisaligned
        machine.privilegedPolicy = config.privileged
        machine.hasSupervisor = config.privilegeModes == .msu
        machine.isa = config.isa
        machine.memoryLimit = config.memoryLimit
        let arguments = [config.elfPath] + config.arguments
        // Linux runs: guest system calls go through the libffi bridge, sandboxed to `directories`.
        let syscalls: SyscallBridge? =
            config.machine == .linux || config.semihosting
            ? SyscallBridge(console: console, directories: config.directories, strict: config.strictSyscalls) : nil
        syscalls?.fileSizeLimit = config.fileSizeLimit
        if config.machine == .linux { machine.syscalls = syscalls }
        // Bare runs: semihosting's file operations go through the same bridge and sandbox.
        let semihosting = config.machine == .bare && config.semihosting ? syscalls.map {
            Semihosting(
                bridge: $0, arguments: config.arguments,
                heapInfo: .from(elf, regions: BareMetal.memoryRegions(elf, extra: config.memory)))
        } : nil
        machine.semihosting = semihosting
        do {
            try machine.load(elf, arguments: arguments, environment: config.environment, memory: config.memory) { byte in
                withUnsafeBytes(of: byte) { _ = console.write(fd: 1, $0) }
            }
        } catch {
            throw RunError.load(config.elfPath, error.description)
        }
        machine.instructionBudget = config.maxInstructions
        machine.updateLimit()

        var timer: DispatchWorkItem? = nil
        if let seconds = config.timeout {
            machine.stopCheckInterval = RunLimits.timeoutCheckInterval
            let request = machine.stopRequest
            let item = DispatchWorkItem { request.request(.timedOut(seconds)) }
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: item)
            timer = item
        }
        defer { timer?.cancel() }
        if config.stopOnSignals && machine.stopCheckInterval == nil {
            machine.stopCheckInterval = RunLimits.timeoutCheckInterval
        }
        let start = DispatchTime.now().uptimeNanoseconds
        var stats: JITStatistics? = nil
        let tracing = try config.trace.map { try TraceSession($0, machine: machine) }
        if let tracer = tracing?.tracer, tracer.wants(.syscalls) {
            let emit: (SyscallTraceEvent) -> Void = { [unowned machine] e in TraceSession.emit(e, to: tracer, machine: machine) }
            if let semihosting {
                semihosting.onTrace = emit  // the bridge calls it makes are its own business
            } else {
                syscalls?.onTrace = emit
            }
        }
        if let endpoint = config.gdb {
            let engine = DebugEngine(machine: machine, kind: config.engine, jitOptions: config.jit)
            let connection = try GDBConnection.accept(on: endpoint) { config.gdbListening?($0) }
            let ended = GDBSession(machine: machine, engine: engine, connection: connection).serve()
            machine.resume()
            machine.halt(ended)
            engine.trace?.flush()
            stats = engine.jit?.statistics
        } else if let tracing {
            stats = tracing.run(engine: config.engine, jitOptions: config.jit)
        } else {
            switch config.engine {
            case .interp:
                Interpreter().run(machine)
            case .jit:
                let jit = JIT(machine: machine, options: config.jit)
                jit.run()
                stats = jit.statistics
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        try tracing?.finish()
        if let path = config.signaturePath {
            let text = try Signature.dump(machine, granularity: config.signatureGranularity)
            // Opened and written in place, as Unix tools write their output files.
            let file: OutputFile
            do { file = try OutputFile.open(path) } catch { throw RunError.cannotWrite(path, "\(error)") }
            file.write(text)
            if let failure = file.failure { throw RunError.cannotWrite(path, "\(failure)") }
        }
        withExtendedLifetime((syscalls, semihosting)) {}
        let stop = machine.stopReason ?? .aborted("the engine returned without a stop reason")
        var result = RunResult(
            stop: stop, instructions: machine.instret, seconds: seconds, jitStatistics: stats,
            monitorExits: machine.monitorExits, finalPC: machine.pc,
            registers: (0..<32).map { machine[register: $0] }, floatInstructions: machine.cpu.pointee.floatInstructions)
        result.faultReport = FaultReport.lines(machine, stop: stop)
        result.tlbHits = machine.tlb.hits
        result.tlbMisses = machine.tlb.misses
        result.pageWalks = machine.pageWalks
        result.pageFaults = machine.pageFaults
        return result
    }
}

/// The arch-test signature: memory from `begin_signature` to `end_signature`, as Spike's
/// `+signature=` writes it.
public enum Signature {
    /// One line per `granularity` bytes, lowercase hex, most significant byte first (each line
    /// is a little-endian `granularity`-byte value); a last partial line is padded with zeros.
    public static func dump(_ machine: Machine, granularity: Int) throws -> String {
        guard granularity >= 1, granularity <= 64 else { throw RunError.signature("granularity must be 1 to 64 bytes") }
        guard let begin = machine.symbols["begin_signature"]?.address, let end = machine.symbols["end_signature"]?.address else {
            throw RunError.signature("the ELF has no begin_signature and end_signature symbols")
        }
        guard begin <= end, end &- begin <= 64 << 20 else { throw RunError.signature("end_signature is before begin_signature or too far after it") }
        guard machine.memory.check(begin, length: end &- begin, perms: PageFlag.read) else {
            throw RunError.signature("the signature area 0x\(String(begin, radix: 16))-0x\(String(end, radix: 16)) is not memory")
        }
        let bytes = machine.memory.readBytes(begin, count: Int(end &- begin))
        var out = ""
        var i = 0
        while i < bytes.count {
            var line = ""
            for k in (0..<granularity).reversed() {
                let b = i + k < bytes.count ? bytes[i + k] : 0
                line += (b < 16 ? "0" : "") + String(b, radix: 16)
            }
            out += line + "\n"
            i += granularity
        }
        return out
    }
}
