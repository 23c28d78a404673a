import Foundation
import RVJITCommands
import RVMachine

/// Where the repository and its guest programs are, found from this file's path.
public enum Repository {
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static var guestPrograms: URL { root.appendingPathComponent("guest-programs") }

    /// Path of a user-mode guest ELF by name (`hello` → guest-programs/bin/hello.elf).
    public static func elf(_ name: String) -> String {
        guestPrograms.appendingPathComponent("bin/\(name).elf").path
    }

    /// Path of a bare-metal guest ELF by name.
    public static func bareELF(_ name: String) -> String {
        guestPrograms.appendingPathComponent("bare/bin/\(name).elf").path
    }
}

/// The instruction-set builds of the user-mode guest programs: each has its manifest and its
/// ELF directory under guest-programs/; both share expected/ (a program prints the same in each).
public enum ProgramSet: String, Sendable, CaseIterable {
    /// programs.tsv, bin/NAME.elf (`-march=rv32i`)
    case rv32i
    /// programs-rv32imac.tsv, bin-rv32imac/NAME.elf (`-march=rv32imac`)
    case rv32imac
    /// programs-rv32imafdc.tsv, bin-rv32imafdc/NAME.elf (`-march=rv32imafdc -mabi=ilp32d`)
    case rv32imafdc

    public var manifest: String { self == .rv32i ? "programs.tsv" : "programs-\(rawValue).tsv" }
    public var binDirectory: String { self == .rv32i ? "bin" : "bin-\(rawValue)" }
}

/// One row of guest-programs/programs.tsv (or of another set's manifest).
public struct ManifestRow: Sendable, CustomStringConvertible {
    public var name: String
    public var arguments: [String]
    public var status: Int32
    public var needsSandbox: Bool
    public var set: ProgramSet = .rv32i

    public var description: String {
        ([name] + arguments).joined(separator: " ") + (set == .rv32i ? "" : " [\(set.rawValue)]")
    }

    /// The row's ELF in its set's directory.
    public var elfPath: String {
        Repository.guestPrograms.appendingPathComponent("\(set.binDirectory)/\(name).elf").path
    }

    /// The expected stdout recorded from qemu-riscv32.
    public var expectedStdout: String {
        (try? String(contentsOfFile: Repository.guestPrograms.appendingPathComponent("expected/\(name).stdout").path, encoding: .utf8)) ?? ""
    }

    public static func all(_ set: ProgramSet = .rv32i) -> [ManifestRow] {
        let path = Repository.guestPrograms.appendingPathComponent(set.manifest).path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 4, let status = Int32(f[2]) else { return nil }
            return ManifestRow(
                name: f[0], arguments: f[1].split(separator: " ").map(String.init), status: status,
                needsSandbox: f[3] == "sandbox", set: set)
        }
    }
}

/// The sandbox fixture the manifest's `@SANDBOX@` rows expect (see guest-programs/README.md):
/// `inside.txt` holding "inside\n", a symlink `link-out` → /etc/passwd, an empty `sub/`.
public final class SandboxFixture {
    public let path: String

    public init() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rvjit-sandbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data("inside\n".utf8).write(to: dir.appendingPathComponent("inside.txt"))
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("link-out").path, withDestinationPath: "/etc/passwd")
        path = dir.path
    }

    public func substitute(_ arguments: [String]) -> [String] {
        arguments.map { $0.replacingOccurrences(of: "@SANDBOX@", with: path) }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A guest run with its standard output and error captured in memory.
public struct CapturedRun: Sendable {
    public var result: RunResult
    public var stdout: String
    public var stderr: String
}

public enum GuestRunner {
    /// Runs a configuration in-process and captures what the guest writes to fds 1 and 2.
    public static func run(_ config: RunConfiguration) throws -> CapturedRun {
        let box = OutputBox()
        let console = Console(capture: { fd, bytes in box.append(fd, bytes) })
        let result = try Runner.run(config, console: console)
        return CapturedRun(result: result, stdout: box.text(1), stderr: box.text(2))
    }

    /// `qemu-riscv32 ELF ARGS` with stdin from /dev/null: (stdout, exit status as a shell reports it),
    /// or nil when qemu-riscv32 is not installed.
    public static func qemu(_ elf: String, _ arguments: [String]) -> (stdout: String, status: Int32)? {
        guard let qemu = Benchmark.findExecutable("qemu-riscv32") else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: qemu)
        p.arguments = Toolchain.qemuCPU + [elf] + arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let status = p.terminationReason == .uncaughtSignal ? 128 + p.terminationStatus : p.terminationStatus
        return (String(decoding: data, as: UTF8.self), status)
    }
}

final class OutputBox: @unchecked Sendable {
    private var streams: [Int32: [UInt8]] = [:]
    private let lock = NSLock()
    func append(_ fd: Int32, _ bytes: [UInt8]) {
        lock.lock()
        streams[fd, default: []] += bytes
        lock.unlock()
    }
    func text(_ fd: Int32) -> String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: streams[fd] ?? [], as: UTF8.self)
    }
}
