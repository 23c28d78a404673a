import ArgumentParser
import Foundation
import RVMachine

extension TestFarm {
    /// `N tests: P passed, F failed (T timed out)`.
    public static func summary(_ results: [Result]) -> String {
        let failed = results.filter { !$0.verdict.passed }
        let timedOut = failed.filter { if case .timedOut = $0.verdict { return true } else { return false } }.count
        var s = "\(results.count) test\(results.count == 1 ? "" : "s"): \(results.count - failed.count) passed, \(failed.count) failed"
        if timedOut > 0 { s += " (\(timedOut) timed out)" }
        return s
    }

    /// Each failing test with its verdict and the last instructions it ran.
    public static func failureReport(_ results: [Result]) -> String {
        var out = ""
        for r in results where !r.verdict.passed {
            out += "FAIL \(r.test.name) (\(r.machine.rawValue)): \(r.verdict.message)\n"
            if !r.lastInstructions.isEmpty {
                out += "  last instructions:\n" + r.lastInstructions.map { "    \($0)\n" }.joined()
            }
        }
        return out
    }

    /// TAP version 13: a plan, one `ok`/`not ok` line per test, a YAML block for failures.
    public static func tap(_ results: [Result]) -> String {
        var out = "TAP version 13\n1..\(results.count)\n"
        for (i, r) in results.enumerated() {
            out += "\(r.verdict.passed ? "ok" : "not ok") \(i + 1) - \(r.test.name)\n"
            if !r.verdict.passed {
                out += "  ---\n  message: \(yamlQuote(r.verdict.message))\n  machine: \(r.machine.rawValue)\n"
                out += String(format: "  duration_s: %.3f\n", r.seconds)
                if !r.lastInstructions.isEmpty {
                    out += "  last_instructions:\n" + r.lastInstructions.map { "    - \(yamlQuote($0))\n" }.joined()
                }
                out += "  ...\n"
            }
        }
        return out
    }

    static func yamlQuote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t") + "\""
    }

    /// JUnit XML as CI systems read it: one `testsuite` with `tests`/`failures`/`time`, a
    /// `testcase` per test (`classname` = its directory, `time` in seconds), a `failure` with a
    /// `message` for each failing one (its last instructions and output as the element's text).
    public static func junit(_ results: [Result], suiteName: String = "rvjit") -> String {
        let failures = results.filter { !$0.verdict.passed }.count
        let total = results.reduce(0) { $0 + $1.seconds }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"0\" time=\"\(time(total))\">\n"
        out += "  <testsuite name=\"\(xml(suiteName))\" tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\" time=\"\(time(total))\">\n"
        for r in results {
            let directory = (r.test.name as NSString).deletingLastPathComponent
            let classname = directory.isEmpty ? suiteName : suiteName + "." + directory.replacingOccurrences(of: "/", with: ".")
            out += "    <testcase name=\"\(xml(r.test.name))\" classname=\"\(xml(classname))\" time=\"\(time(r.seconds))\""
            if r.verdict.passed {
                out += "/>\n"
                continue
            }
            out += ">\n      <failure message=\"\(xml(r.verdict.message))\" type=\"\(failureType(r.verdict))\">"
            var text = r.verdict.message + "\n"
            if !r.lastInstructions.isEmpty { text += "last instructions:\n" + r.lastInstructions.joined(separator: "\n") + "\n" }
            if !r.stdout.isEmpty { text += "stdout:\n" + r.stdout }
            out += xml(text) + "</failure>\n    </testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    static func failureType(_ v: Verdict) -> String {
        switch v {
        case .passed: return "passed"
        case .failedTest: return "tohost"
        case .exitStatus: return "status"
        case .wrongOutput: return "output"
        case .timedOut: return "timeout"
        case .cannotRun: return "error"
        }
    }

    static func time(_ s: Double) -> String { String(format: "%.3f", s) }

    /// Escapes text for XML 1.0: the five entities, and characters XML cannot hold at all
    /// (control characters other than tab, newline and carriage return) as `?`.
    static func xml(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(u)
            default:
                if u.value < 0x20 || (0xfffe...0xffff).contains(u.value) { out += "?" } else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }
}

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run a farm of test ELFs (directories are searched for *.elf) and report.",
        discussion: """
            Each test runs in its own rvjit process, on the machine it needs (bare when the ELF has \
            a tohost symbol, semihosting calls, or everything at 0x80000000). Pass/fail: riscv-tests' \
            tohost (1 = pass, (n << 1) | 1 = test n failed), the exit status (0 = pass), and NAME.expected \
            beside NAME.elf, when there, for the exact standard output. Exit status 1 when any test failed.
            """)

    @Option(help: "Tests run at once (default: the number of cores).")
    var jobs: Int?

    @Option(help: "Seconds each test may run before it is killed (default 60).")
    var timeout: Double = 60

    @Option(name: .customLong("max-instructions"), help: "Stop each test after N guest instructions (it then fails with status 124).")
    var maxInstructions: UInt64?

    @Option(help: "Run every test on this machine instead of the one its ELF asks for.")
    var machine: MachineKind?

    @Option(help: ArgumentHelp("Run only shard I of N (1-based) of the sorted list of tests.", valueName: "I/N"))
    var shard: String?

    @Option(help: ArgumentHelp("Write a JUnit XML report here.", valueName: "file"))
    var junit: String?

    @Flag(help: "Print TAP version 13 on stdout instead of the summary.")
    var tap = false

    @Option(help: "Extra rvjit run options for every test, e.g. --run-option=--deterministic; repeatable.")
    var runOption: [String] = []

    @Argument(help: "Test ELFs and directories holding them.")
    var paths: [String]

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if !(timeout > 0) { throw ValidationError("--timeout must be more than 0 seconds") }
        if let shard, TestFarm.parseShard(shard) == nil { throw ValidationError("--shard \(shard): expected I/N with 1 <= I <= N") }
    }

    func run() throws {
        var options = TestFarm.Options()
        if let jobs { options.jobs = jobs }
        options.timeout = timeout
        options.maxInstructions = maxInstructions
        options.machine = machine
        options.shard = shard.flatMap(TestFarm.parseShard)
        options.runOptions = runOption
        let tests: [TestFarm.Test]
        do { tests = try TestFarm.discover(paths, shard: options.shard) } catch {
            FileHandle.standardError.write("rvjit: \(error)\n")
            throw ExitCode(2)
        }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let live = isatty(1) == 1 && !tap
        /// Failures so far; `run` calls the progress closure under its own lock, one at a time.
        final class Count: @unchecked Sendable { var failed = 0 }
        let count = Count(), total = tests.count
        let results = TestFarm.run(tests, options: options, executable: executable) { done, result in
            guard live else { return }
            if !result.verdict.passed { count.failed += 1 }
            let line = "[\(done)/\(total)] \(count.failed) failed  \(result.test.name)"
            FileHandle.standardOutput.write("\r\u{1b}[K" + String(line.prefix(120)))
        }
        if live { FileHandle.standardOutput.write("\r\u{1b}[K") }
        if tap {
            print(TestFarm.tap(results), terminator: "")
        } else {
            print(TestFarm.failureReport(results), terminator: "")
            print(TestFarm.summary(results))
        }
        if let junit {
            do { try TestFarm.junit(results).write(toFile: junit, atomically: true, encoding: .utf8) } catch {
                FileHandle.standardError.write("rvjit: cannot write \(junit): \(error)\n")
                throw ExitCode(2)
            }
        }
        if results.contains(where: { !$0.verdict.passed }) { throw ExitCode(1) }
    }
}
