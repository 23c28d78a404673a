import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import RVMachine

/// `rvjit bench`: the same guest under both engines (and optionally qemu-riscv32), alternating
/// in one invocation so that machine noise hits every contender alike; prints guest MIPS and
/// the ratios.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Compare JIT, interpreter (and qemu-riscv32) throughput on one guest.")

    @Option(help: "Rounds; each round runs every contender once. The best round of each is reported.")
    var rounds = 3

    @Flag(help: "Also time qemu-riscv32 on the same ELF (Linux guests only).")
    var qemu = false

    @OptionGroup var options: RunOptions

    @Argument(help: "The RV32I ELF.")
    var elf: String

    @Argument(parsing: .captureForPassthrough, help: "Arguments for the guest.")
    var guestArguments: [String] = []

    func run() throws {
        guard rounds > 0 else { throw ValidationError("--rounds must be at least 1") }
        if qemu && options.machine == .bare { throw ValidationError("--qemu runs Linux guests only; it cannot be used with --machine bare") }
        let interp = try options.configuration(elf: elf, arguments: guestArguments, engine: .interp)
        let jit = try options.configuration(elf: elf, arguments: guestArguments, engine: .jit)
        let result: BenchmarkResult
        do {
            result = try Benchmark.compare(interp: interp, jit: jit, rounds: rounds, qemu: qemu)
        } catch let error as RunError {
            // The same message and status as `run` for the same error.
            FileHandle.standardError.write("rvjit: \(error)\n")
            throw ExitCode(2)
        }
        print(result.report())
        if result.outputsDiffer { throw ExitCode(1) }
    }
}

/// One side-by-side comparison.
public struct BenchmarkResult: Sendable {
    public var name: String
    public var instructions: UInt64
    public var interpSeconds: Double
    public var jitSeconds: Double
    public var qemuSeconds: Double?
    public var translatedInstructions: UInt64
    public var translationSeconds: Double
    public var cacheBytes: Int
    public var outputsDiffer: Bool

    public var interpMIPS: Double { Double(instructions) / interpSeconds / 1e6 }
    public var jitMIPS: Double { Double(instructions) / jitSeconds / 1e6 }
    public var qemuMIPS: Double? { qemuSeconds.map { Double(instructions) / $0 / 1e6 } }

    public func report() -> String {
        var lines = [
            "\(name): \(instructions) guest instructions",
            String(format: "  interp  %8.1f MIPS  (%.3f s)", interpMIPS, interpSeconds),
            String(format: "  jit     %8.1f MIPS  (%.3f s)   jit/interp %.2fx", jitMIPS, jitSeconds, interpSeconds / jitSeconds),
        ]
        if let q = qemuSeconds, let m = qemuMIPS {
            lines.append(String(format: "  qemu    %8.1f MIPS  (%.3f s)   jit/qemu %.2fx", m, q, q / jitSeconds))
        }
        if translatedInstructions > 0 {
            lines.append(String(
                format: "  translation %.2f us per guest instruction; code cache %.0f bytes per guest instruction",
                translationSeconds * 1e6 / Double(translatedInstructions), Double(cacheBytes) / Double(translatedInstructions)))
        }
        if outputsDiffer { lines.append("  ERROR: the engines disagree on the result") }
        return lines.joined(separator: "\n")
    }
}

public enum Benchmark {
    /// Runs both engines `rounds` times, alternating, with guest output discarded.
    public static func compare(interp: RunConfiguration, jit: RunConfiguration, rounds: Int, qemu: Bool) throws -> BenchmarkResult {
        var best = (interp: Double.infinity, jit: Double.infinity, qemu: Double.infinity)
        var instructions: UInt64 = 0
        var differ = false
        var translated: UInt64 = 0, translation = 0.0, bytes = 0
        for _ in 0..<rounds {
            let i = try Runner.run(interp, console: Console(capture: { _, _ in }))
            let j = try Runner.run(jit, console: Console(capture: { _, _ in }))
            if i.stop != j.stop || i.instructions != j.instructions { differ = true }
            instructions = j.instructions
            best.interp = min(best.interp, i.seconds)
            best.jit = min(best.jit, j.seconds)
            if let s = j.jitStatistics {
                translated = s.guestInstructionsTranslated
                translation = s.translationSeconds
                bytes = s.codeCacheBytes
            }
            // qemu-riscv32 runs Linux user programs only; a run that fails is not a time.
            if qemu, interp.machine == .linux, let q = timeQEMU(interp, expectedStatus: i.exitStatus) { best.qemu = min(best.qemu, q) }
        }
        return BenchmarkResult(
            name: (interp.elfPath as NSString).lastPathComponent + (interp.arguments.isEmpty ? "" : " " + interp.arguments.joined(separator: " ")),
            instructions: instructions, interpSeconds: best.interp, jitSeconds: best.jit,
            qemuSeconds: best.qemu.isFinite ? best.qemu : nil,
            translatedInstructions: translated, translationSeconds: translation, cacheBytes: bytes,
            outputsDiffer: differ)
    }

    /// Wall-clock time of `qemu-riscv32 ELF ARGS`, or nil when qemu is not installed.
    static func timeQEMU(_ config: RunConfiguration, expectedStatus: Int32 = 0) -> Double? {
        guard let qemu = findExecutable("qemu-riscv32") else { return nil }
        // posix_spawn and waitpid: Foundation's Process polls for the child's exit, which
        // rounds short runs up to its polling interval.
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([qemu, config.elfPath] + config.arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let start = DispatchTime.now().uptimeNanoseconds
        guard posix_spawn(&pid, qemu, &actions, nil, argv, environ) == 0 else { return nil }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        // Only a run that exited normally (status bits 0-6 clear) with the status rvjit saw counts.
        guard status & 0x7f == 0, Int32((status >> 8) & 0xff) == expectedStatus else { return nil }
        return seconds
    }

    public static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
