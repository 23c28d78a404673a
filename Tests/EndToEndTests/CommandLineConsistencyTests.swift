import Foundation
import Testing
import TestSupport

/// The command line says the same thing the same way everywhere, and refuses options that
/// cannot take effect instead of ignoring them.
@Suite("Command line consistency")
struct CommandLineConsistencyTests {
    func rvjit(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        try spawn(try #require(rvjitExecutable, "the rvjit executable is not built beside the test bundle"), arguments)
    }

    @Test("rvjit --version")
    func version() throws {
        let r = try rvjit(["--version"])
        #expect(r.status == 0)
        #expect(r.out.hasPrefix("rvjit "), "\(r.out)")
    }

    @Test("the same bad ELF gives the same message and status in every subcommand", arguments: ["run", "trace", "bench", "disasm"])
    func sameErrorEverywhere(_ command: String) throws {
        let dir = try ScratchDirectory("cli")
        let r = try rvjit([command, dir.url.path])
        #expect(r.status == 2, "\(command): \(r.err)")
        #expect(r.err == "rvjit: cannot read \(dir.url.path): is a directory\n", "\(command): \(r.err)")
    }

    @Test("options that cannot take effect are errors (status 64) naming the option", arguments: [
        (["run", "--trace-range", "0-10"], "--trace-range"),
        (["run", "--trace-count", "5"], "--trace-count"),
        (["run", "--trace-file", "/dev/null"], "--trace-file"),
        (["run", "--trace-format", "jsonl"], "--trace-format"),
        (["run", "--dir", "/nonexistent-rvjit-dir"], "--dir"),
        (["run", "--dir-ro", "/nonexistent-rvjit-dir:/data"], "--dir-ro"),
        (["run", "--env", "NOEQUALS"], "--env"),
        (["run", "--env", "=value"], "--env"),
        (["bench", "--qemu", "--machine", "bare"], "--qemu"),
        (["run", "--gdb", "1234", "--profile"], "--gdb"),
    ] as [([String], String)])
    func ineffectiveOptions(_ arguments: [String], _ option: String) throws {
        let r = try rvjit(arguments + [Repository.elf("hello")])
        #expect(r.status == 64, "\(arguments): \(r.err)")
        #expect(r.err.contains(option), "\(arguments): \(r.err)")
        #expect(!r.out.contains("Hello"), "the guest ran: \(r.out)")
    }

    @Test("trace's default kinds make its filters meaningful without --trace")
    func traceCommandFilters() throws {
        let r = try rvjit(["trace", "--trace-count", "3", "--trace-file", "/dev/null", Repository.elf("hello")])
        #expect(r.status == 0, "\(r.err)")
    }

    @Test("an unwritable --cfg path fails before the guest runs")
    func unwritableCFG() throws {
        let dir = try ScratchDirectory("cli-cfg")
        let r = try rvjit(["run", "--cfg", dir.path("missing/cfg.dot"), Repository.elf("hello")])
        #expect(r.status == 2, "\(r.err)")
        #expect(r.err.hasPrefix("rvjit: cannot write"), "\(r.err)")
        #expect(r.out.isEmpty, "the guest ran: \(r.out)")
    }
}
