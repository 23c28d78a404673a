import ArgumentParser
import Foundation
import RISCV
import RVJITCommands
import RVMachine
import Testing
import TestSupport

/// Bad inputs for `rvjit run`: a file of its own making and what the message must mention.
struct BadInput: Sendable, CustomStringConvertible {
    var name: String
    var path: String
    var mentions: String
    var description: String { name }

    static let all: [BadInput] = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rvjit-bad-inputs-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let hello = (try? Data(contentsOf: URL(fileURLWithPath: Repository.elf("hello")))) ?? Data()
        var inputs: [BadInput] = []
        for cut in [3, 40, 100, 600] where hello.count > cut {
            let path = dir.appendingPathComponent("hello-cut-\(cut).elf").path
            _ = FileManager.default.createFile(atPath: path, contents: hello.prefix(cut))
            inputs.append(BadInput(name: "hello.elf cut at \(cut)", path: path, mentions: cut < 4 ? "not an elf" : "truncated"))
        }
        inputs.append(BadInput(name: "/bin/ls", path: "/bin/ls", mentions: "64-bit"))
        inputs.append(BadInput(name: "a missing file", path: dir.appendingPathComponent("missing.elf").path, mentions: "no such file"))
        inputs.append(BadInput(name: "a directory", path: dir.path, mentions: "directory"))
        return inputs
    }()
}

@Suite("Command line")
struct CLITests {
    @Test("rvjit run on a bad ELF throws a non-zero ExitCode", arguments: BadInput.all)
    func badInputInProcess(_ input: BadInput) throws {
        var command = try RVJITCommand.parseAsRoot(["run", input.path])
        do {
            try command.run()
            Issue.record("ran \(input.name) without an error")
        } catch let code as ExitCode {
            #expect(code.rawValue != 0)
        }
    }

    @Test(
        "rvjit run on a bad ELF prints one line on stderr and exits non-zero", arguments: BadInput.all)
    func badInputSubprocess(_ input: BadInput) throws {
        let run = try spawn(try #require(rvjitExecutable, "the rvjit executable is not built beside the test bundle (swift build builds it)"), ["run", input.path])
        #expect(run.status != 0)
        #expect(run.status < 128, "rvjit itself crashed: \(run.status)")
        #expect(run.out.isEmpty)
        let lines = run.err.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(run.err)")
        #expect(run.err.hasPrefix("rvjit: "))
        #expect(run.err.lowercased().contains(input.mentions), "\"\(run.err)\" does not mention \(input.mentions)")
    }

    @Test("rvjit run passes the guest's exit status through",
          arguments: [("hello", 0), ("illegal", 132), ("segv", 139)] as [(String, Int32)])
    func exitStatus(_ name: String, _ status: Int32) throws {
        for engine in ["interp", "jit"] {
            var command = try RVJITCommand.parseAsRoot(["run", "--engine", engine, Repository.elf(name)])
            do {
                try command.run()
                Issue.record("no ExitCode thrown")
            } catch let code as ExitCode {
                #expect(code.rawValue == status, "\(engine)")
            }
        }
    }

    @Test("--isa gates the bit-manipulation extensions: isa-bitmanip passes with them, traps (132) without, and the ISA warning names them")
    func bitManipulationISA() throws {
        let elf = Repository.guestPrograms.appendingPathComponent("bin-rv32imac/isa-bitmanip.elf").path
        for (isa, status) in [("rv32i_zba_zbb_zbc_zbs_zbkb_zbkx", 0), ("rv32ib_zbc_zbkb_zbkx", 0), ("rv32imac", 132), ("rv32i_zba_zbb_zbc_zbs_zbkb", 132)] as [(String, Int32)] {
            for engine in ["interp", "jit"] {
                var command = try RVJITCommand.parseAsRoot(["run", "--engine", engine, "--isa", isa, elf])
                #expect(throws: ExitCode(status), "\(isa) \(engine)") { try command.run() }
            }
        }
        let warning = Runner.isaWarning(try Runner.readELF(elf), isa: try ISA(parsing: "rv32i_zbb"))
        #expect(warning?.contains("uses Zba, Zbc, Zbs, Zbkb, Zbkx, which --isa rv32i_zbb turns off") == true, "\(warning ?? "no warning")")
        #expect(Runner.isaWarning(try Runner.readELF(elf), isa: .implemented) == nil)
    }

    @Test("rvjit run --max-instructions exits 124")
    func budgetStatus() throws {
        var command = try RVJITCommand.parseAsRoot(["run", "--max-instructions", "500", Repository.elf("fib")])
        #expect(throws: ExitCode(124)) { try command.run() }
    }

    /// Every guest ELF (and the RV32IMAC set, once committed), both syntaxes: `rvjit disasm`
    /// prints exactly what objdump prints, headers, labels, `...` runs of zeros and
    /// `# address <symbol>` notes included.
    static let allELFs: [String] = {
        let dirs = ["bin", "bare/bin", "bin-rv32imac"].map { Repository.guestPrograms.appendingPathComponent($0) }
        return dirs.flatMap { dir in
            ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".elf") }.sorted()
                .map { dir.appendingPathComponent($0).path }
        }
    }()

    @Test(
        "rvjit disasm prints what objdump -d prints, byte for byte", arguments: allELFs, [true, false])
    func disasmMatchesObjdump(_ path: String, _ aliases: Bool) throws {
        let file = try ELFFile(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        let listing = Listing.disassemble(file, path: path, aliases: aliases)
        let objdump = try spawn(try #require(Toolchain.objdump, Toolchain.objdumpMissing), aliases ? ["-d", path] : ["-d", "-M", "no-aliases", path])
        #expect(objdump.status == 0)
        let ours = listing.split(separator: "\n", omittingEmptySubsequences: false)
        let theirs = objdump.out.split(separator: "\n", omittingEmptySubsequences: false)
        let firstDifference = zip(ours, theirs).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(firstDifference == nil, "line \((firstDifference?.offset ?? 0) + 1): ours '\(firstDifference?.element.0 ?? "")', objdump '\(firstDifference?.element.1 ?? "")'")
        #expect(ours.count == theirs.count)

        // The executable prints the same listing.
        let rvjit = try #require(rvjitExecutable, "the rvjit executable is not built beside the test bundle (swift build builds it)")
        let run = try spawn(rvjit, aliases ? ["disasm", path] : ["disasm", "--no-aliases", path])
        #expect(run.status == 0)
        #expect(run.out == listing)
    }
}
