import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import RVJITCommands
import RVMachine
import TestSupport
import Testing

/// A directory of test ELFs for `rvjit test`, in its own temp dir:
///   priv-csr.elf            bare, tohost = 1                          → pass
///   priv-misaligned.elf     bare, fails without --trap-misaligned     → tohost names the test
///   csrloop-small.elf       bare, with a matching .expected           → pass
///   linux/hello.elf         Linux, status 0                           → pass
///   linux/wrong.elf         Linux, with a .expected it does not print → fail
///   hang.elf                priv-csr with `j .` at its entry          → killed by the timeout
final class FarmFixture {
    let path: String

    init() throws {
        let fm = FileManager.default
        path = fm.temporaryDirectory.appendingPathComponent("rvjit-farm-\(UUID().uuidString)").path
        try fm.createDirectory(atPath: path + "/linux", withIntermediateDirectories: true)
        for name in ["priv-csr", "priv-misaligned", "csrloop-small"] {
            try fm.copyItem(atPath: Repository.bareELF(name), toPath: path + "/\(name).elf")
        }
        try fm.copyItem(
            atPath: Repository.guestPrograms.appendingPathComponent("bare/expected/csrloop-small.stdout").path,
            toPath: path + "/csrloop-small.expected")
        try fm.copyItem(atPath: Repository.elf("hello"), toPath: path + "/linux/hello.elf")
        try fm.copyItem(atPath: Repository.elf("hello"), toPath: path + "/linux/wrong.elf")
        try Data("not what it prints\n".utf8).write(to: URL(fileURLWithPath: path + "/linux/wrong.expected"))
        // hang.elf: the entry instruction replaced by `j .` (jal x0, 0).
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Repository.bareELF("priv-csr"))))
        let elf = try ELFFile(bytes: bytes)
        let segment = try #require(elf.segments.first { elf.entry &- $0.vaddr < $0.fileSize })
        let offset = Int(segment.offset + (elf.entry - segment.vaddr))
        bytes.replaceSubrange(offset..<offset + 4, with: [0x6f, 0, 0, 0])
        try Data(bytes).write(to: URL(fileURLWithPath: path + "/hang.elf"))
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

@Suite("rvjit test: a farm of test ELFs")
struct TestFarmTests {
    @Test("counts, verdicts, last instructions, JUnit and TAP",
          .enabled(if: rvjitExecutable != nil, "needs the rvjit executable built beside the tests"))
    func farm() throws {
        let fixture = try FarmFixture()
        let tests = try TestFarm.discover([fixture.path])
        #expect(tests.map(\.name) == [
            "csrloop-small.elf", "hang.elf", "linux/hello.elf", "linux/wrong.elf", "priv-csr.elf", "priv-misaligned.elf",
        ])
        var options = TestFarm.Options()
        options.jobs = 2
        options.timeout = 5
        // The bare ELFs drop .riscv.attributes, so their ISA (misa: RV32I) is given, and the M+U hart they were written for.
        options.runOptions = ["--deterministic", "--isa", "rv32i", "--priv", "mu"]
        let results = TestFarm.run(tests, options: options, executable: try #require(rvjitExecutable))
        let verdicts = Dictionary(uniqueKeysWithValues: results.map { ($0.test.name, $0.verdict) })
        #expect(verdicts["csrloop-small.elf"] == .passed)
        #expect(verdicts["priv-csr.elf"] == .passed)
        #expect(verdicts["linux/hello.elf"] == .passed)
        #expect(verdicts["hang.elf"] == .timedOut(5))
        if case .wrongOutput(let diff)? = verdicts["linux/wrong.elf"] {
            #expect(diff.contains("line 1: expected \"not what it prints\""))
        } else {
            Issue.record("wrong.elf: \(String(describing: verdicts["linux/wrong.elf"]))")
        }
        guard case .failedTest(let n)? = verdicts["priv-misaligned.elf"] else {
            Issue.record("priv-misaligned.elf: \(String(describing: verdicts["priv-misaligned.elf"]))")
            return
        }
        #expect(n > 0)
        #expect(Dictionary(uniqueKeysWithValues: results.map { ($0.test.name, $0.machine) }) == [
            "csrloop-small.elf": .bare, "hang.elf": .bare, "linux/hello.elf": .linux, "linux/wrong.elf": .linux,
            "priv-csr.elf": .bare, "priv-misaligned.elf": .bare,
        ])
        #expect(TestFarm.summary(results) == "6 tests: 3 passed, 3 failed (1 timed out)")
        // A failing test shows its last instructions, disassembled; the hung one its loop.
        let misaligned = try #require(results.first { $0.test.name == "priv-misaligned.elf" })
        #expect(misaligned.lastInstructions.count == 16)
        #expect(misaligned.lastInstructions.last?.contains("sw") == true)  // the store to tohost
        let hang = try #require(results.first { $0.test.name == "hang.elf" })
        #expect(hang.lastInstructions.last?.contains("j ") == true)
        #expect(TestFarm.failureReport(results).contains("FAIL priv-misaligned.elf (bare): tohost reports test \(n) failed"))

        // JUnit: parse it back.
        let xml = TestFarm.junit(results)
        let parsed = JUnitReader(Data(xml.utf8))
        #expect(parsed.ok)
        #expect(parsed.suites == 1)
        #expect(parsed.cases.count == 6)
        #expect(parsed.failures.count == 3)
        #expect(parsed.suiteAttributes["tests"] == "6")
        #expect(parsed.suiteAttributes["failures"] == "3")
        #expect(parsed.cases.allSatisfy { $0["time"].flatMap(Double.init) != nil && $0["name"] != nil && $0["classname"] != nil })
        #expect(parsed.failures.contains { $0.contains("tohost reports test \(n) failed") })

        // TAP 13.
        let tap = TestFarm.tap(results).split(separator: "\n").map(String.init)
        #expect(tap.prefix(2) == ["TAP version 13", "1..6"])
        #expect(tap.filter { $0.hasPrefix("ok ") }.count == 3)
        #expect(tap.filter { $0.hasPrefix("not ok ") }.count == 3)
        #expect(tap.contains("not ok 2 - hang.elf"))
        #expect(tap.contains("ok 5 - priv-csr.elf"))
    }

    @Test("shards partition the sorted list", arguments: [1, 2, 3, 4, 7])
    func shards(_ n: Int) throws {
        let fixture = try FarmFixture()
        let all = try TestFarm.discover([fixture.path])
        let parts = try (1...n).map { try TestFarm.discover([fixture.path], shard: (index: $0, count: n)) }
        #expect(parts.flatMap { $0 }.map(\.path).sorted() == all.map(\.path).sorted())
        #expect(Set(parts.flatMap { $0 }.map(\.path)).count == all.count)
        #expect(try TestFarm.discover([fixture.path], shard: (index: 1, count: n)) == parts[0])  // deterministic
    }

    @Test("--shard parsing", arguments: [("1/1", true), ("2/3", true), ("0/3", false), ("4/3", false), ("1/0", false), ("x", false)])
    func shardText(_ text: String, _ valid: Bool) {
        #expect((TestFarm.parseShard(text) != nil) == valid)
    }

    @Test("rvjit test exits non-zero when a test fails, zero when all pass",
          .enabled(if: rvjitExecutable != nil, "needs the rvjit executable built beside the tests"))
    func exitStatus() throws {
        let fixture = try FarmFixture()
        let exe = try #require(rvjitExecutable)
        let pass = try spawn(exe, ["test", "--jobs", "2", "--run-option=--isa", "--run-option=rv32i", "--run-option=--priv", "--run-option=mu", fixture.path + "/priv-csr.elf", fixture.path + "/linux/hello.elf"])
        #expect(pass.status == 0)
        #expect(pass.out.hasSuffix("2 tests: 2 passed, 0 failed\n"))
        #expect(!pass.out.contains("\u{1b}["))  // no progress line: stdout is not a terminal
        let fail = try spawn(exe, ["test", "--tap", fixture.path + "/priv-misaligned.elf"])
        #expect(fail.status == 1)
        #expect(fail.out.hasPrefix("TAP version 13\n1..1\nnot ok 1 - "))
    }
}

/// Reads a JUnit file with Foundation's XMLParser: suites, testcases' attributes, failure messages.
final class JUnitReader: NSObject, XMLParserDelegate {
    var suites = 0
    var suiteAttributes: [String: String] = [:]
    var cases: [[String: String]] = []
    var failures: [String] = []
    var ok = false

    init(_ data: Data) {
        super.init()
        let parser = XMLParser(data: data)
        parser.delegate = self
        ok = parser.parse()
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch name {
        case "testsuite": suites += 1; suiteAttributes = attributes
        case "testcase": cases.append(attributes)
        case "failure": failures.append(attributes["message"] ?? "")
        default: break
        }
    }
}

@Suite("hints about the machine an ELF needs")
struct MachineHintTests {
    @Test("bare-metal tests and picolibc programs under --machine linux get \"try --machine bare\"", arguments: [
        Repository.bareELF("priv-csr"),
        Repository.guestPrograms.appendingPathComponent("picolibc/bin/hello-rv32imac.elf").path,
        Repository.guestPrograms.appendingPathComponent("picolibc/bin/hello-rv32i-virt.elf").path,
    ])
    func bare(_ path: String) throws {
        let elf = try Runner.readELF(path)
        #expect(TestFarm.machine(for: elf) == .bare)
        #expect(BareMetalHint.hint(elf, machine: .linux)?.hasSuffix("try --machine bare") == true)
        #expect(BareMetalHint.hint(elf, machine: .bare) == nil)
    }

    @Test("Linux programs under --machine bare get \"try --machine linux\"", arguments: ["hello", "cat", "isa-alu"])
    func linux(_ name: String) throws {
        let elf = try Runner.readELF(Repository.elf(name))
        #expect(TestFarm.machine(for: elf) == .linux)
        #expect(BareMetalHint.hint(elf, machine: .bare)?.hasSuffix("try --machine linux") == true)
        #expect(BareMetalHint.hint(elf, machine: .linux) == nil)
    }

    @Test("a Linux program on the bare machine stops (its trap vector is not memory) instead of looping for ever")
    func unhandledTrap() throws {
        var config = RunConfiguration(elfPath: Repository.elf("hello"))
        config.machine = .bare
        let run = try GuestRunner.run(config)
        guard case .fault(let trap) = run.result.stop else {
            Issue.record("stopped with \(run.result.stop)")
            return
        }
        #expect(trap.cause == .fetchAccess)
        #expect(trap.pc == 0)
    }
}
