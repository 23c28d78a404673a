import Foundation
import RISCV
import RVMachine

/// `rvjit test`: runs a farm of test ELFs and judges each by the conventions test binaries use.
///
/// Each test runs in a subprocess of rvjit itself (`rvjit run`), not on a thread of this one:
/// a test that hangs is killed at its timeout (a thread cannot be stopped from outside, and a
/// guest in a tight loop inside a chained block does not look at anything another thread
/// writes), a test that brings its emulator down takes only itself with it, and every test
/// gets a fresh process with its own 4 GiB guest reservation. Start-up costs a few
/// milliseconds per test, which a farm of riscv-tests binaries (each well under a second) can
/// afford. For a failing test the last instructions it ran are found by running it once more,
/// in this process, under the interpreter with a trace of its final instructions (its
/// instruction count is known from the first run, so this rerun is bounded).
public enum TestFarm {
    /// One test: an ELF and what it is judged against.
    public struct Test: Sendable, Equatable {
        public var path: String
        /// Display name: the path relative to the directory given, or as given.
        public var name: String
        public init(path: String, name: String) {
            self.path = path
            self.name = name
        }

        /// `NAME.expected` beside `NAME.elf`: the exact standard output the test must print.
        public var expectedOutputPath: String { (path.hasSuffix(".elf") ? String(path.dropLast(4)) : path) + ".expected" }
    }

    public enum Verdict: Sendable, Equatable {
        case passed
        /// riscv-tests' `tohost` convention: `(n << 1) | 1` was written, test n failed.
        case failedTest(Int32)
        /// Any other non-zero exit status (guest faults are 128 + signal, as in `rvjit run`).
        case exitStatus(Int32, String)
        case wrongOutput(String)
        case timedOut(Double)
        case cannotRun(String)

        public var passed: Bool { self == .passed }

        public var message: String {
            switch self {
            case .passed: return "passed"
            case .failedTest(let n): return "tohost reports test \(n) failed"
            case .exitStatus(let s, let why): return "exit status \(s)" + (why.isEmpty ? "" : ": \(why)")
            case .wrongOutput(let diff): return "standard output differs from the .expected file: \(diff)"
            case .timedOut(let s): return "timed out after \(Self.seconds(s)) s and was killed"
            case .cannotRun(let why): return "could not run: \(why)"
            }
        }

        static func seconds(_ s: Double) -> String { String(format: "%g", s) }
    }

    public struct Result: Sendable {
        public var test: Test
        public var verdict: Verdict
        public var machine: MachineKind
        public var seconds: Double
        public var instructions: UInt64?
        public var stdout: String
        public var stderr: String
        /// The last instructions the test ran (failing tests only), one trace line each.
        public var lastInstructions: [String] = []
    }

    public struct Options: Sendable {
        public var jobs = max(1, ProcessInfo.processInfo.activeProcessorCount)
        public var timeout: Double = 60
        public var maxInstructions: UInt64? = nil
        /// nil: each ELF's own (bare when it looks like a bare-metal test).
        public var machine: MachineKind? = nil
        public var shard: (index: Int, count: Int)? = nil
        /// How many of a failing test's last instructions to show.
        public var tail = 16
        /// Extra `rvjit run` options passed to every test (`--isa`, `--deterministic`, …).
        public var runOptions: [String] = []
        public init() {}
    }

    // MARK: Finding the tests

    /// The tests under `paths`: every `*.elf` below a directory (recursively), every file named
    /// directly; sorted by name, then the shard taken.
    public static func discover(_ paths: [String], shard: (index: Int, count: Int)? = nil) throws -> [Test] {
        var tests: [Test] = []
        let fm = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { throw RunError.cannotRead(path, "no such file") }
            if isDirectory.boolValue {
                let root = URL(fileURLWithPath: path).standardizedFileURL
                guard let walker = fm.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { continue }
                for case let url as URL in walker where url.pathExtension == "elf" {
                    let full = url.standardizedFileURL.path
                    let relative = full.hasPrefix(root.path + "/") ? String(full.dropFirst(root.path.count + 1)) : full
                    tests.append(Test(path: full, name: paths.count == 1 ? relative : (path as NSString).appendingPathComponent(relative)))
                }
            } else {
                tests.append(Test(path: path, name: path))
            }
        }
        tests.sort { $0.name < $1.name }
        guard let shard else { return tests }
        return tests.enumerated().filter { $0.offset % shard.count == shard.index - 1 }.map(\.element)
    }

    /// Parses `I/N` (1 ≤ I ≤ N).
    public static func parseShard(_ text: String) -> (index: Int, count: Int)? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 1, i <= n else { return nil }
        return (i, n)
    }

    // MARK: Running

    /// Runs every test, `options.jobs` at a time; `progress` is called (on any thread, one call
    /// at a time) after each finishes. Results come back in the tests' order.
    public static func run(
        _ tests: [Test], options: Options, executable: String, progress: (@Sendable (Int, Result) -> Void)? = nil
    ) -> [Result] {
        /// The work queue and the results, shared by the workers under one lock.
        final class Shared: @unchecked Sendable {
            let lock = NSLock()
            var next = 0, done = 0
            var results: [Result?]
            init(_ n: Int) { results = [Result?](repeating: nil, count: n) }
        }
        let shared = Shared(tests.count)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rvjit-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        DispatchQueue.concurrentPerform(iterations: max(1, min(options.jobs, tests.count))) { _ in
            while true {
                let i: Int? = shared.lock.withLock {
                    guard shared.next < tests.count else { return nil }
                    shared.next += 1
                    return shared.next - 1
                }
                guard let i else { return }
                let result = runOne(tests[i], options: options, executable: executable, scratch: scratch.appendingPathComponent("\(i)"))
                shared.lock.withLock {
                    shared.results[i] = result
                    shared.done += 1
                    progress?(shared.done, result)
                }
            }
        }
        return shared.results.compactMap { $0 }
    }

    /// Which machine an ELF needs: bare when it looks like a bare-metal program.
    public static func machine(for elf: ELFFile) -> MachineKind { BareMetalHint.looksBareMetal(elf) ? .bare : .linux }

    static func runOne(_ test: Test, options: Options, executable: String, scratch: URL) -> Result {
        let elf: ELFFile
        do { elf = try Runner.readELF(test.path) } catch {
            return Result(test: test, verdict: .cannotRun("\(error)"), machine: .linux, seconds: 0, stdout: "", stderr: "")
        }
        let machine = options.machine ?? self.machine(for: elf)
        var arguments = ["run", "--stats", "--machine", machine.rawValue] + options.runOptions
        // The hart the ELF was built for (riscv-tests check misa), unless --isa was given.
        if !options.runOptions.contains("--isa"), let declared = elf.declaredISA {
            arguments += ["--isa", declared.intersection(ISA.implemented).description]
        }
        if let n = options.maxInstructions { arguments += ["--max-instructions", String(n)] }
        arguments.append(test.path)

        let fm = FileManager.default
        try? fm.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        _ = fm.createFile(atPath: outURL.path, contents: nil)
        _ = fm.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let start = DispatchTime.now().uptimeNanoseconds
        var timedOut = false
        do {
            let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
            defer { try? out.close(); try? err.close() }
            process.standardOutput = out
            process.standardError = err
            let finished = DispatchSemaphore(value: 0)
            process.terminationHandler = { _ in finished.signal() }
            try process.run()
            if finished.wait(timeout: .now() + options.timeout) == .timedOut {
                timedOut = true
                kill(process.processIdentifier, SIGKILL)
                finished.wait()
            }
        } catch {
            return Result(test: test, verdict: .cannotRun("\(error)"), machine: machine, seconds: 0, stdout: "", stderr: "")
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let stdout = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        let instructions = stderr.split(separator: "\n").lazy.compactMap { line -> UInt64? in
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            return words.count == 3 && words[0] == "rvjit:" && words[1] == "instructions" ? UInt64(words[2]) : nil
        }.first
        let status = process.terminationStatus
        let verdict: Verdict
        if timedOut {
            verdict = .timedOut(options.timeout)
        } else if process.terminationReason == .uncaughtSignal {
            verdict = .exitStatus(128 + status, "rvjit itself was killed by signal \(status)")
        } else if status != 0 {
            let why = stderr.split(separator: "\n").first { line in
                ["rvjit: guest fault", "rvjit: stopped", "rvjit: error", "rvjit: cannot"].contains { line.hasPrefix($0) }
                    || (line.hasPrefix("rvjit: ") && line.contains(test.path))
            }.map(String.init) ?? ""
            verdict = machine == .bare && elf.symbols["tohost"] != nil && status < 64 && why.isEmpty
                ? .failedTest(status) : .exitStatus(status, why)
        } else if let expected = try? String(contentsOfFile: test.expectedOutputPath, encoding: .utf8), expected != stdout {
            verdict = .wrongOutput(firstDifference(expected, stdout))
        } else {
            verdict = .passed
        }
        var result = Result(
            test: test, verdict: verdict, machine: machine, seconds: seconds, instructions: instructions, stdout: stdout, stderr: stderr)
        if !verdict.passed, options.tail > 0 {
            result.lastInstructions = lastInstructions(test, machine: machine, elf: elf, options: options, ran: instructions)
        }
        return result
    }

    /// The first line where two outputs differ, quoted.
    static func firstDifference(_ expected: String, _ actual: String) -> String {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? String(a[i]) : "<end>", y = i < b.count ? String(b[i]) : "<end>"
            if x != y { return "line \(i + 1): expected \(x.debugDescription), got \(y.debugDescription)" }
        }
        return "(only in line endings)"
    }

    /// Reruns a failing test in this process under the interpreter, tracing its last
    /// `options.tail` instructions. A test that timed out is rerun for at most 10 million
    /// instructions (what it did last before that point).
    static func lastInstructions(_ test: Test, machine: MachineKind, elf: ELFFile, options: Options, ran: UInt64?) -> [String] {
        let budget = ran ?? min(options.maxInstructions ?? 10_000_000, 10_000_000)
        var config = RunConfiguration(elfPath: test.path, engine: .interp)
        config.machine = machine
        config.maxInstructions = budget
        if let i = options.runOptions.firstIndex(of: "--isa"), i + 1 < options.runOptions.count,
            let isa = try? RISCV.ISA(parsing: options.runOptions[i + 1])
        {
            config.isa = isa
        } else if let declared = elf.declaredISA {
            config.isa = declared.intersection(ISA.implemented)
        }
        config.deterministic = options.runOptions.contains("--deterministic")
        config.trapMisaligned = options.runOptions.contains("--trap-misaligned")
        let capture = TraceCapture()
        var trace = TraceConfiguration(kinds: [.insns])
        trace.filter.after = budget > UInt64(options.tail) ? budget - UInt64(options.tail) : 0
        trace.destination = .capture(capture)
        config.trace = trace
        let silent = Console(capture: { _, _ in })
        _ = try? Runner.run(config, console: silent)
        return Array(capture.lines.suffix(options.tail))
    }
}

/// Whether an ELF looks like a bare-metal program or a Linux one, for `rvjit test`'s choice of
/// machine and for the hints `rvjit run` gives when the wrong machine is asked for.
public enum BareMetalHint {
    /// Bare metal: a `tohost` symbol, the semihosting sequence in its code, a segment loaded
    /// somewhere else than where it runs, or everything (or the entry) at or above 0x80000000.
    public static func looksBareMetal(_ elf: ELFFile) -> Bool {
        if elf.symbols["tohost"] != nil || elf.segments.contains(where: { $0.paddr != $0.vaddr }) { return true }
        if elf.segments.allSatisfy({ $0.vaddr >= BareMetal.ramBase }) || elf.entry >= BareMetal.ramBase { return true }
        return containsSemihosting(elf)
    }

    /// What to say when `machine` is probably the wrong one for `elf`, or nil.
    public static func hint(_ elf: ELFFile, machine: MachineKind) -> String? {
        let bare = looksBareMetal(elf)
        switch machine {
        case .linux where bare:
            var why: [String] = []
            if elf.symbols["tohost"] != nil { why.append("a tohost symbol") }
            if elf.segments.allSatisfy({ $0.vaddr >= BareMetal.ramBase }) {
                why.append("linked at 0x\(String(elf.segments.map(\.vaddr).min() ?? 0, radix: 16))")
            } else if elf.entry >= BareMetal.ramBase {
                why.append("entry at 0x\(String(elf.entry, radix: 16))")
            }
            if elf.segments.contains(where: { $0.paddr != $0.vaddr }) { why.append("segments loaded away from where they run") }
            if why.isEmpty { why.append("semihosting calls") }
            return "this looks like a bare-metal program (\(why.joined(separator: ", "))): try --machine bare"
        case .bare where !bare:
            return "this looks like a Linux program (no tohost, no semihosting, linked at 0x\(String(elf.segments.map(\.vaddr).min() ?? 0, radix: 16))): try --machine linux"
        case .linux, .bare:
            return nil
        }
    }

    /// Whether an executable segment holds `slli x0,x0,0x1f; ebreak; srai x0,x0,7`.
    public static func containsSemihosting(_ elf: ELFFile) -> Bool {
        let (a, b, c) = Machine.semihostingSequence
        for s in elf.segments where s.flags & 1 != 0 && s.fileSize >= 12 {
            let start = Int(s.offset), end = start + Int(s.fileSize)
            guard end <= elf.bytes.count else { continue }
            var o = start
            while o + 12 <= end {
                if word(elf.bytes, o) == a && word(elf.bytes, o + 4) == b && word(elf.bytes, o + 8) == c { return true }
                o += 2
            }
        }
        return false
    }

    static func word(_ bytes: [UInt8], _ o: Int) -> UInt32 {
        UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
    }
}
