import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import RVMachine
import RVTracing

/// `rvjit bench`: one guest, or a whole workload suite from its manifest, under rvjit's
/// interpreter, its JIT and (with `--qemu`) qemu-riscv32. Every engine is timed the same way: a
/// whole child process, start-up included. Rounds follow a warm-up, the engines alternate within
/// each round (starting one later each round), and each engine's median and spread are reported.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the interpreter, the JIT (and qemu-riscv32) on one guest or a workload suite.",
        discussion: """
            Every engine runs as a whole process (rvjit run --engine E, or qemu-riscv32 ELF ARGS), \
            timed by wall clock from spawn to exit, start-up included; the child's user+sys time \
            is recorded too. Guest instructions come from one separate counted run in this \
            process, so the timed runs carry no counting overhead. A run that crashes, exits \
            non-zero or prints the wrong output is a failure: it gets no MIPS and rvjit bench \
            exits with status 1.
            """)

    @Option(help: "Timed rounds; each round runs every engine once. The median and the min-max spread are reported.")
    var rounds = 3

    @Option(help: "Untimed rounds before the timed ones (their runs are still checked).")
    var warmup = 1

    @Flag(help: "Also time qemu-riscv32 on the same ELF (Linux guests only), exactly as rvjit is timed.")
    var qemu = false

    @Option(name: .customLong("qemu-path"), help: ArgumentHelp("The qemu-riscv32 to run (default: from PATH).", valueName: "path"))
    var qemuPath: String?

    @Option(name: .customLong("engine"), help: ArgumentHelp("Time only these engines; repeatable (default: interp and jit, and qemu with --qemu; closure is the JIT with --tiers closure).", valueName: "interp|closure|jit|qemu"))
    var engines: [BenchEngine] = []

    @Option(help: ArgumentHelp("Run a workload suite: a directory holding benchmarks.tsv, or the manifest itself.", valueName: "dir|manifest"))
    var suite: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("With --suite: which build of the workloads (bin/ is rv32i, bin-SET/ the others).", valueName: "rv32i|rv32imac"))
    var buildSet = "rv32i"

    @Option(name: .customLong("workload"), help: ArgumentHelp("With --suite: run only this workload; repeatable.", valueName: "name"))
    var onlyWorkloads: [String] = []

    @Flag(name: .customLong("check-output"), help: "Without --suite: every run must print what the counted run printed (a suite's runs are always checked against its manifest).")
    var checkOutput = false

    @Option(help: ArgumentHelp("Write the results as JSON.", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Write the results as CSV, one row per workload and engine.", valueName: "file"))
    var csv: String?

    @Option(help: ArgumentHelp("Write a bar chart of speed relative to qemu-riscv32 (or to the interpreter without qemu) as SVG.", valueName: "file"))
    var svg: String?

    @Option(help: ArgumentHelp("Write the results as a Markdown table (MIPS, spread, ratios, geometric means).", valueName: "file"))
    var markdown: String?

    @Option(help: ArgumentHelp("Measure nothing: print (and write --json/--csv/--svg) the results saved in a JSON file by an earlier --json.", valueName: "file"))
    var replay: String?

    @OptionGroup var options: RunOptions

    @Argument(help: "The guest ELF (without --suite).")
    var elf: String?

    @Argument(parsing: .captureForPassthrough, help: "Arguments for the guest.")
    var guestArguments: [String] = []

    func validate() throws {
        guard rounds > 0 else { throw ValidationError("--rounds must be at least 1") }
        guard warmup >= 0 else { throw ValidationError("--warmup must be 0 or more") }
        if qemu && options.machine == .bare { throw ValidationError("--qemu runs Linux guests only; it cannot be used with --machine bare") }
        if replay != nil {
            if suite != nil || elf != nil { throw ValidationError("--replay measures nothing: give no ELF or --suite") }
            return
        }
        if suite == nil && elf == nil { throw ValidationError("give a guest ELF or --suite DIR") }
        if suite != nil && elf != nil { throw ValidationError("give a guest ELF or --suite DIR, not both") }
        if suite == nil && !onlyWorkloads.isEmpty { throw ValidationError("--workload needs --suite") }
    }

    func run() throws {
        var workloads: [BenchWorkload] = []
        if replay != nil {
        } else if let suite {
            do { workloads = try BenchSuite.load(suite, set: buildSet) } catch { throw ValidationError("\(error)") }
            if !onlyWorkloads.isEmpty {
                let unknown = onlyWorkloads.filter { name in !workloads.contains { $0.name == name } }
                guard unknown.isEmpty else { throw ValidationError("--workload: not in the suite: \(unknown.joined(separator: ", "))") }
                workloads = workloads.filter { onlyWorkloads.contains($0.name) }
            }
        } else {
            let path = elf ?? ""
            do {
                _ = try Runner.readELF(path)
            } catch {
                // The same message and status as `run` for the same error.
                FileHandle.standardError.write("rvjit: \(error)\n")
                throw ExitCode(2)
            }
            let name = (path as NSString).lastPathComponent + (guestArguments.isEmpty ? "" : " " + guestArguments.joined(separator: " "))
            workloads = [BenchWorkload(name: name, elf: path, arguments: guestArguments)]
        }
        var chosen = engines.isEmpty ? [.interp, .jit] + (qemu ? [.qemu] : []) : engines
        if qemu && !chosen.contains(.qemu) { chosen.append(.qemu) }
        var seen = Set<BenchEngine>()
        chosen = chosen.filter { seen.insert($0).inserted }

        // Open the output files first: a bad path should fail before minutes of measurement.
        let outputs: [(OutputFile, (BenchReport) -> String)]
        do {
            outputs = try [(json, { $0.json() }), (csv, { $0.csv() }), (svg, { BenchChart.svg($0) }), (markdown, { $0.markdown() })]
                .compactMap { path, render in try path.map { (try OutputFile.open($0), render) } }
        } catch { throw ValidationError("\(error)") }

        let report: BenchReport
        if let replay {
            do {
                report = try JSONDecoder().decode(BenchReport.self, from: Data(try Runner.readFile(replay)))
            } catch { throw ValidationError("--replay \(replay): \(error)") }
        } else {
            let unknown = options.unforwardedProperties
            guard unknown.isEmpty else {
                throw InternalBenchError("rvjit bench does not pass \(unknown.joined(separator: ", ")) on to its rvjit run children (RunOptions.forwardedArguments)")
            }
            var session = BenchSession(
                template: try options.configuration(elf: "", arguments: [], engine: .jit),
                forwarded: options.forwardedArguments, engines: chosen, rounds: rounds, warmup: warmup)
            session.qemuPath = qemuPath
            session.checkOutput = checkOutput
            session.suite = suite.map(BenchSuite.manifest(at:))
            session.buildSet = suite == nil ? nil : buildSet
            session.command = ["rvjit"] + CommandLine.arguments.dropFirst()
            report = try session.run(workloads)
        }
        print(report.text(), terminator: "")
        for (file, render) in outputs {
            file.write(render(report))
            if let failure = file.failure {
                FileHandle.standardError.write("rvjit: \(failure)\n")
                throw ExitCode(2)
            }
        }
        if report.failures > 0 { throw ExitCode(1) }
    }
}

/// An engine `rvjit bench` times.
public enum BenchEngine: String, Sendable, Codable, CaseIterable, ExpressibleByArgument {
    /// `closure`: the JIT with the closure tier alone (`--tiers closure`); `jit`: the default
    /// tiers (closure then native on x86-64).
    case interp, closure, jit, qemu

    /// Name in tables and charts.
    public var label: String { self == .qemu ? "qemu-riscv32" : self.rawValue }
}

/// One engine's runs of one workload.
public struct EngineMeasurement: Sendable, Codable {
    public enum Status: String, Sendable, Codable {
        /// Every run exited 0 with the expected output.
        case ok
        /// A run crashed, exited non-zero or printed the wrong output; no figures.
        case failed
        /// Not run (qemu-riscv32 missing, or a bare-machine guest); named with the reason.
        case unavailable
    }

    public var engine: BenchEngine
    public var status: Status = .ok
    public var reason: String? = nil
    /// Wall-clock seconds of each timed round's whole process.
    public var wallSeconds: [Double] = []
    /// User + system CPU seconds of each timed round's process.
    public var cpuSeconds: [Double] = []
    public var medianSeconds: Double? = nil
    public var minSeconds: Double? = nil
    public var maxSeconds: Double? = nil
    public var cpuMedianSeconds: Double? = nil
    /// Guest instructions (from the counted run) per median second, in millions; nil on failure.
    public var mips: Double? = nil

    mutating func fail(_ why: String) {
        status = .failed
        reason = why
        wallSeconds = []
        cpuSeconds = []
    }

    mutating func finish(instructions: UInt64?) {
        guard status == .ok, !wallSeconds.isEmpty else { return }
        medianSeconds = median(wallSeconds)
        minSeconds = wallSeconds.min()
        maxSeconds = wallSeconds.max()
        cpuMedianSeconds = median(cpuSeconds)
        if let instructions, let m = medianSeconds, m > 0 { mips = Double(instructions) / m / 1e6 }
    }
}

func median(_ values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/// One workload's results.
public struct BenchWorkloadResult: Sendable, Codable {
    public var name: String
    public var elf: String
    public var arguments: [String]
    /// Guest instructions retired, from the counted run.
    public var instructions: UInt64? = nil
    /// The counted run's translation time, its share of that run, and the code cache it left.
    public var translationSeconds: Double? = nil
    public var translationShare: Double? = nil
    public var codeCacheBytes: Int? = nil
    /// Why the workload was not timed at all (the counted run failed), if so.
    public var failure: String? = nil
    public var engines: [EngineMeasurement] = []
    /// Speed ratios of the medians ("jit/qemu": qemu's median time over the JIT's).
    public var ratios: [String: Double] = [:]
    /// The same ratios from the children's user + system CPU time (medians): less sensitive to
    /// other load on the machine than wall time, blind to time spent waiting.
    public var cpuRatios: [String: Double] = [:]

    public func measurement(_ engine: BenchEngine) -> EngineMeasurement? { engines.first { $0.engine == engine } }

    /// How many times faster `a` ran than `b` (median wall times), when both ran correctly.
    public func speed(_ a: BenchEngine, over b: BenchEngine) -> Double? {
        guard let ta = measurement(a)?.medianSeconds, let tb = measurement(b)?.medianSeconds, ta > 0 else { return nil }
        return tb / ta
    }

    /// As `speed`, from the children's CPU time.
    public func cpuSpeed(_ a: BenchEngine, over b: BenchEngine) -> Double? {
        guard let ta = measurement(a)?.cpuMedianSeconds, let tb = measurement(b)?.cpuMedianSeconds, ta > 0 else { return nil }
        return tb / ta
    }
}

/// Everything one `rvjit bench` invocation measured.
public struct BenchReport: Sendable, Codable {
    public var command: [String] = []
    public var date: String = ""
    public var host: String = ""
    public var suite: String? = nil
    public var set: String? = nil
    public var rounds: Int
    public var warmup: Int
    public var engines: [BenchEngine]
    public var timing = BenchReport.timingNote
    public var workloads: [BenchWorkloadResult] = []
    /// Geometric means of the ratios over the workloads where both engines ran correctly.
    public var geometricMeans: [String: Double] = [:]
    /// Geometric means of the CPU-time ratios.
    public var cpuGeometricMeans: [String: Double] = [:]
    /// Workloads in each geometric mean.
    public var geometricMeanCounts: [String: Int] = [:]
    /// Failed runs (an engine on a workload, or a workload whose counted run failed).
    public var failures: Int = 0

    public static let timingNote =
        "every engine timed alike: a whole process (rvjit run --engine E ELF ARGS, qemu-riscv32 ELF ARGS), wall clock from posix_spawn to wait4, start-up included; "
        + "median and min-max of the timed rounds; guest instructions from one separate counted run (JIT, in the bench process), so timed runs carry no counting overhead"

    /// The ratio pairs reported, in order: (faster candidate, baseline).
    public var ratioPairs: [(BenchEngine, BenchEngine)] {
        [(BenchEngine.jit, BenchEngine.qemu), (.closure, .qemu), (.interp, .qemu), (.jit, .closure), (.jit, .interp)].filter { engines.contains($0.0) && engines.contains($0.1) }
    }

    static func key(_ a: BenchEngine, _ b: BenchEngine) -> String { "\(a.rawValue)/\(b.rawValue)" }

    mutating func summarize() {
        for i in workloads.indices {
            for (a, b) in ratioPairs {
                if let r = workloads[i].speed(a, over: b) { workloads[i].ratios[Self.key(a, b)] = r }
                if let r = workloads[i].cpuSpeed(a, over: b) { workloads[i].cpuRatios[Self.key(a, b)] = r }
            }
        }
        func mean(_ values: [Double]) -> Double { exp(values.map { log($0) }.reduce(0, +) / Double(values.count)) }
        for (a, b) in ratioPairs {
            let values = workloads.compactMap { $0.ratios[Self.key(a, b)] }.filter { $0 > 0 }
            guard !values.isEmpty else { continue }
            geometricMeans[Self.key(a, b)] = mean(values)
            geometricMeanCounts[Self.key(a, b)] = values.count
            let cpu = workloads.compactMap { $0.cpuRatios[Self.key(a, b)] }.filter { $0 > 0 }
            if !cpu.isEmpty { cpuGeometricMeans[Self.key(a, b)] = mean(cpu) }
        }
        failures = workloads.reduce(0) { n, w in
            n + (w.failure != nil ? 1 : w.engines.filter { $0.status == .failed }.count)
        }
    }
}

/// Runs workloads under the chosen engines and collects a report.
struct BenchSession {
    /// Run options for the counted run (its ELF and arguments are replaced per workload).
    var template: RunConfiguration
    /// The same options as `rvjit run` flags, for the timed children.
    var forwarded: [String]
    var engines: [BenchEngine]
    var rounds: Int
    var warmup: Int
    var rvjitPath = TimedProcess.selfExecutable()
    var qemuPath: String? = nil
    var suite: String? = nil
    var buildSet: String? = nil
    var command: [String] = []
    /// Without a manifest: compare every run's output with the counted run's.
    var checkOutput = false

    /// Why qemu cannot run these guests, if it cannot: not installed, or not a Linux guest.
    func qemuUnavailable() -> (String?, String) {
        if template.machine != .linux {
            return (nil, "does not apply: qemu-riscv32 runs Linux user programs, this is a --machine \(template.machine.rawValue) run")
        }
        if let qemuPath {
            return FileManager.default.isExecutableFile(atPath: qemuPath) ? (qemuPath, "") : (nil, "not found: \(qemuPath) is not an executable file")
        }
        if let found = Benchmark.findExecutable("qemu-riscv32") { return (found, "") }
        return (nil, "not found: no qemu-riscv32 on PATH (Debian: apt-get install qemu-user)")
    }

    func run(_ workloads: [BenchWorkload]) throws -> BenchReport {
        var report = BenchReport(rounds: rounds, warmup: warmup, engines: engines)
        report.command = command
        report.date = ISO8601DateFormatter().string(from: Date())
        report.host = Self.hostDescription()
        report.suite = suite
        report.set = buildSet
        let (qemu, qemuWhy) = engines.contains(.qemu) ? qemuUnavailable() : (nil, "")
        if engines.contains(.qemu), qemu == nil { FileHandle.standardError.write("rvjit: warning: qemu-riscv32 \(qemuWhy)\n") }
        let scratch = try TimedProcess.makeScratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let progress = Progress(total: workloads.count * (rounds + warmup) * engines.count)
        for workload in workloads {
            report.workloads.append(try measure(workload, qemu: qemu, qemuWhy: qemuWhy, scratch: scratch, progress: progress))
        }
        progress.clear()
        report.summarize()
        return report
    }

    private func measure(_ workload: BenchWorkload, qemu: String?, qemuWhy: String, scratch: String, progress: Progress) throws -> BenchWorkloadResult {
        var result = BenchWorkloadResult(name: workload.name, elf: workload.elf, arguments: workload.arguments)
        result.engines = engines.map { EngineMeasurement(engine: $0) }
        for i in result.engines.indices where result.engines[i].engine == .qemu && qemu == nil {
            result.engines[i].status = .unavailable
            result.engines[i].reason = "qemu-riscv32 \(qemuWhy)"
        }
        // The counted run: instructions, translation statistics, and the gate. A guest that fails
        // here is never timed.
        progress.show("\(workload.name): counted run (jit)")
        var config = template
        config.elfPath = workload.elf
        config.arguments = workload.arguments
        config.engine = .jit
        let output = CapturedOutput()
        let counted: RunResult
        do {
            counted = try Runner.run(config, console: Console(capture: { fd, bytes in if fd == 1 { output.append(bytes) } }))
        } catch {
            result.failure = "counted run: \(error)"
            return result
        }
        let stdout = output.text
        let expected = workload.expectedStdout
        if counted.exitStatus != 0 {
            result.failure = "counted run (jit): \(Self.describe(counted.stop))"
            return result
        }
        if let expected, Self.trim(stdout) != Self.trim(expected) {
            result.failure = "counted run (jit): wrong output \(Self.quote(stdout)), expected \(Self.quote(expected))"
            return result
        }
        // A suite's runs must print the manifest's line; a single guest's, with --check-output,
        // what the counted run printed (without it, guests that print times or clocks still pass).
        let reference: String? = expected.map(Self.trim) ?? (checkOutput ? Self.trim(stdout) : nil)
        result.instructions = counted.instructions
        if let s = counted.jitStatistics {
            result.translationSeconds = s.translationSeconds
            result.translationShare = counted.seconds > 0 ? s.translationSeconds / counted.seconds : nil
            result.codeCacheBytes = s.codeCacheBytes
        }

        for round in 0..<(warmup + rounds) {
            let timed = round >= warmup
            for k in engines.indices {
                // Alternate: each round starts one engine later, so that position in the round
                // (and the machine's noise) falls on every engine alike.
                let i = (k + round) % engines.count
                let engine = engines[i]
                let phase = timed ? "round \(round - warmup + 1)/\(rounds)" : "warm-up \(round + 1)/\(warmup)"
                progress.show("\(workload.name): \(engine.label), \(phase)")
                guard result.engines[i].status == .ok else { continue }
                let executable: String
                var arguments: [String]
                switch engine {
                case .qemu:
                    guard let qemu else { continue }
                    executable = qemu
                    arguments = [workload.elf] + workload.arguments
                case .interp, .jit:
                    executable = rvjitPath
                    arguments = ["run", "--engine", engine.rawValue] + forwarded + [workload.elf] + workload.arguments
                case .closure:
                    executable = rvjitPath
                    arguments = ["run", "--engine", "jit"] + forwarded + ["--tiers", "closure", workload.elf] + workload.arguments
                }
                let run: TimedProcess
                do { run = try TimedProcess.run(executable, arguments, scratch: scratch) } catch {
                    result.engines[i].fail("\(error)")
                    continue
                }
                if run.termination != .exited(0) {
                    let last = run.stderr.split(separator: "\n").last.map { ": " + String($0.prefix(200)) } ?? ""
                    result.engines[i].fail("\(run.termination)\(last)")
                } else if let reference, Self.trim(run.stdout) != reference {
                    result.engines[i].fail("wrong output \(Self.quote(run.stdout)), expected \(Self.quote(reference))")
                } else if timed {
                    result.engines[i].wallSeconds.append(run.wallSeconds)
                    result.engines[i].cpuSeconds.append(run.cpuSeconds)
                }
            }
        }
        for i in result.engines.indices { result.engines[i].finish(instructions: result.instructions) }
        return result
    }

    static func trim(_ s: String) -> String { s.trimmingCharacters(in: .newlines) }

    static func quote(_ s: String) -> String {
        let t = trim(s)
        return "\"" + (t.count > 120 ? String(t.prefix(120)) + "..." : t) + "\""
    }

    static func describe(_ stop: StopReason) -> String {
        switch stop {
        case .exited(let n): return "exit status \(n)"
        case .fault(let trap): return "guest fault: \(trap) (exit status \(stop.exitStatus))"
        case .budgetExhausted(let n): return "stopped after --max-instructions \(n) (exit status \(stop.exitStatus))"
        case .aborted(let why): return "stopped: \(why) (exit status \(stop.exitStatus))"
        case .timedOut(let s): return "stopped after --timeout \(s) s (exit status \(stop.exitStatus))"
        case .signalled(let n): return "stopped by signal \(n) (exit status \(stop.exitStatus))"
        case .breakpoint, .watchpoint, .stepped, .interrupted: return "stopped by the debugger (exit status \(stop.exitStatus))"
        }
    }

    static func hostDescription() -> String {
        let cpuinfo = String(decoding: (try? Runner.readFile("/proc/cpuinfo")) ?? [], as: UTF8.self)
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
        return "\(model), \(ProcessInfo.processInfo.activeProcessorCount) cores"
    }
}

/// The guest's standard output of the counted run.
private final class CapturedOutput: @unchecked Sendable {
    private var bytes: [UInt8] = []
    private let lock = NSLock()
    func append(_ more: [UInt8]) { lock.lock(); bytes += more; lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: bytes, as: UTF8.self) }
}

/// A one-line progress report on standard error, only when it is a terminal.
final class Progress {
    private let total: Int
    private let enabled = isatty(2) == 1
    private var step = 0

    init(total: Int) { self.total = total }

    func show(_ what: String) {
        guard enabled else { return }
        if what.contains("round") || what.contains("warm-up") { step += 1 }
        FileHandle.standardError.write("\r\u{1B}[K[\(min(step, total))/\(total)] \(what)")
    }

    func clear() {
        if enabled { FileHandle.standardError.write("\r\u{1B}[K") }
    }
}

extension RunOptions {
    /// The stored options `forwardedArguments` knows. `rvjit bench` refuses to run when
    /// `RunOptions` has another (a new option not yet forwarded), so that its children never run
    /// differently from its counted run; every bench test would then fail.
    static let forwardedProperties: Set<String> = [
        "machine", "maxInstructions", "deterministic", "trapMisaligned", "privileged", "isa", "jitThreshold",
        "jitDisabled", "environment", "directories", "readOnlyDirectories", "strictSyscalls", "memoryLimit",
        "timeout", "fileSizeLimit", "codeCacheLimit", "memory", "noSemihosting", "signature", "signatureGranularity",
        "tiers", "nativeThreshold", "priv",
    ]

    /// Options of `RunOptions` that `forwardedArguments` does not know, if any.
    var unforwardedProperties: [String] {
        Mirror(reflecting: self).children.compactMap { $0.label.map { $0.hasPrefix("_") ? String($0.dropFirst()) : $0 } }
            .filter { !Self.forwardedProperties.contains($0) }
    }

    /// These options as `rvjit run` flags, for the timed children. Every option of `RunOptions`
    /// must appear here, or the children would run differently from the counted run.
    var forwardedArguments: [String] {
        var a: [String] = []
        if machine != .linux { a += ["--machine", machine.rawValue] }
        if let maxInstructions { a += ["--max-instructions", String(maxInstructions)] }
        if deterministic { a.append("--deterministic") }
        if trapMisaligned { a.append("--trap-misaligned") }
        if privileged != .translate { a += ["--privileged", privileged.rawValue] }
        if priv != .msu { a += ["--priv", priv.rawValue] }
        if let isa { a += ["--isa", isa] }
        if let jitThreshold { a += ["--jit-threshold", String(jitThreshold)] }
        for t in jitDisabled { a += ["--jit-disable", t.rawValue] }
        if let tiers { a += ["--tiers", tiers] }
        if let nativeThreshold { a += ["--native-threshold", String(nativeThreshold)] }
        for e in environment { a += ["--env", e] }
        for d in directories { a += ["--dir", d] }
        for d in readOnlyDirectories { a += ["--dir-ro", d] }
        if strictSyscalls { a.append("--strict-syscalls") }
        if memoryLimit != RunLimits.memory { a += ["--memory-limit", String(memoryLimit.bytes)] }
        if let timeout { a += ["--timeout", String(timeout)] }
        if fileSizeLimit != RunLimits.fileSize { a += ["--file-size-limit", String(fileSizeLimit.bytes)] }
        if codeCacheLimit != RunLimits.codeCache { a += ["--code-cache-limit", String(codeCacheLimit.bytes)] }
        for m in memory { a += ["--memory", m] }
        if noSemihosting { a.append("--no-semihosting") }
        if let signature { a += ["--signature", signature] }
        if signatureGranularity != 4 { a += ["--signature-granularity", String(signatureGranularity)] }
        return a
    }
}

/// A fault of rvjit itself, not of the command line.
struct InternalBenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

public enum Benchmark {
    public static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
