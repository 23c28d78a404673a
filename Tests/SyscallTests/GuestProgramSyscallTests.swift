import Foundation
import RVJITCommands
import RVMachine
import RVSyscalls
import TestSupport
import Testing

/// The file-system and process guest programs, run in-process under both engines with the
/// sandbox fixture mapped by `--dir`, against the recorded qemu-riscv32 output (and a live
/// qemu-riscv32 run when it is installed).
@Suite struct GuestProgramSyscallTests {
    static let programs = ["cat", "wc", "cp", "ls", "fsdemo", "badptr", "escape", "isa-misc"]

    static var cases: [(String, EngineKind)] {
        programs.flatMap { p in EngineKind.allCases.map { (p, $0) } }
    }

    static func row(_ name: String) throws -> ManifestRow {
        try #require(ManifestRow.all().first { $0.name == name }, "no manifest row for \(name)")
    }

    /// Runs a manifest row in a fresh fixture; returns (stdout, status).
    static func runInProcess(_ row: ManifestRow, engine: EngineKind) throws -> (String, Int32) {
        let fixture = try SandboxFixture()
        var config = RunConfiguration(elfPath: Repository.elf(row.name), arguments: fixture.substitute(row.arguments), engine: engine)
        if row.needsSandbox { config.directories = [DirectoryMapping(hostPath: fixture.path)] }
        let run = try GuestRunner.run(config)
        return (run.stdout, run.result.exitStatus)
    }

    /// For `escape`, the part up to and including `--- escapes ---`, and the escape lines after it.
    static func splitEscape(_ s: String) -> (prefix: String, escapes: [String]) {
        let marker = "--- escapes ---\n"
        guard let r = s.range(of: marker) else { return (s, []) }
        return (String(s[..<r.upperBound]), s[r.upperBound...].split(separator: "\n").map(String.init))
    }

    @Test(arguments: cases)
    func matchesRecordedQemuOutput(_ name: String, _ engine: EngineKind) throws {
        let row = try Self.row(name)
        let (stdout, status) = try Self.runInProcess(row, engine: engine)
        #expect(status == row.status, "\(name) on \(engine): status")
        if name == "escape" {
            let (prefix, escapes) = Self.splitEscape(stdout)
            #expect(prefix == row.expectedStdout)
            #expect(escapes.count == 13, "\(escapes)")
            for line in escapes { #expect(line.contains(": denied ("), "escape succeeded: \(line)") }
        } else {
            #expect(stdout == row.expectedStdout, "\(name) on \(engine): stdout")
        }
    }

    @Test(arguments: programs)
    func matchesLiveQemu(_ name: String) throws {
        let row = try Self.row(name)
        let fixture = try SandboxFixture()
        _ = try #require(Toolchain.qemu, Toolchain.qemuMissing)
        let qemu = try #require(GuestRunner.qemu(Repository.elf(name), fixture.substitute(row.arguments)), "qemu-riscv32 did not run")
        let (stdout, status) = try Self.runInProcess(row, engine: .jit)
        #expect(status == qemu.status)
        if name == "escape" {
            #expect(Self.splitEscape(stdout).prefix == Self.splitEscape(qemu.stdout).prefix)
        } else {
            #expect(stdout == qemu.stdout)
        }
    }

    /// The same arguments work with --dir HOST:GUEST when the guest path differs from the host's.
    @Test(arguments: EngineKind.allCases)
    func guestPathDiffersFromHostPath(_ engine: EngineKind) throws {
        let fixture = try SandboxFixture()
        var config = RunConfiguration(elfPath: Repository.elf("cat"), arguments: ["/data/inside.txt", "inside.txt"], engine: engine)
        config.directories = [DirectoryMapping(argument: fixture.path + ":/data", readOnly: true)]
        let run = try GuestRunner.run(config)
        #expect(run.result.exitStatus == 0)
        #expect(run.stdout == "inside\ninside\n")
    }

    /// fsdemo writes into its directory: under --dir-ro every change is refused.
    @Test func readOnlyMappingRefusesWrites() throws {
        let fixture = try SandboxFixture()
        var config = RunConfiguration(elfPath: Repository.elf("fsdemo"), arguments: [fixture.path], engine: .interp)
        config.directories = [DirectoryMapping(hostPath: fixture.path, readOnly: true)]
        let run = try GuestRunner.run(config)
        #expect(run.stdout.contains("mkdirat fsdemo.d = -30"))
        #expect(!FileManager.default.fileExists(atPath: fixture.path + "/fsdemo.d"))
    }

    @Test func strictSyscallsStopsAtUnknownNumber() throws {
        // isa-misc test 7 calls an unknown syscall number.
        var config = RunConfiguration(elfPath: Repository.elf("isa-misc"), engine: .jit)
        config.strictSyscalls = true
        let run = try GuestRunner.run(config)
        #expect(run.result.exitStatus == 125)
        guard case .aborted(let why) = run.result.stop else {
            Issue.record("expected an aborted stop, got \(run.result.stop)")
            return
        }
        #expect(why.hasPrefix("unknown syscall "))
        #expect(why.contains(" at pc 0x"))
    }
}
