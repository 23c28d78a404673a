import ArgumentParser
import Foundation
import RVMachine

/// What `rvjit` does with no arguments: runs a bundled guest under the JIT, then a CPU-bound
/// one under both engines, and says what happened.
enum Demo {
    /// The repository's guest-programs/bin, found from the working directory or this source file.
    static func guestBinaries() -> String? {
        let here = URL(fileURLWithPath: #filePath)
        let candidates = [
            FileManager.default.currentDirectoryPath + "/guest-programs/bin",
            here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("guest-programs/bin").path,
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/hello.elf") }
    }

    static func run() throws {
        guard let bin = guestBinaries() else {
            FileHandle.standardError.write("rvjit: cannot find guest-programs/bin/hello.elf; run from the repository or use `rvjit run ELF`\n")
            throw ExitCode(2)
        }
        let hello = "\(bin)/hello.elf"
        print("rvjit demo: running \(relative(hello)) with arguments 'from' 'rvjit' under the JIT\n")
        fflush(nil)  // the guest writes to fd 1 directly: flush what print buffered
        let config = RunConfiguration(elfPath: hello, arguments: ["from", "rvjit"], engine: .jit)
        let result = try Runner.run(config)
        print("\n\(relative(hello)) exited with status \(result.exitStatus) after \(result.instructions) guest instructions", terminator: "")
        if let s = result.jitStatistics {
            print(" (\(s.blocksTranslated) blocks translated, \(s.chainLinksMade) chain links)")
        } else { print() }

        let sha = "\(bin)/sha256.elf"
        if FileManager.default.fileExists(atPath: sha) {
            print("\nNow \(relative(sha)) 4000 (a SHA-256 hash chain) under both engines, side by side (rvjit bench):")
            fflush(nil)
            let session = BenchSession(
                template: RunConfiguration(elfPath: sha), forwarded: [], engines: [.interp, .jit], rounds: 3, warmup: 0)
            let report = try session.run([BenchWorkload(name: "sha256 4000", elf: sha, arguments: ["4000"])])
            print(report.text(), terminator: "")
        }
        print("\nMore: rvjit run --stats ELF [ARGS], rvjit bench ELF, rvjit disasm ELF, rvjit --help")
    }

    static func relative(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
    }
}


