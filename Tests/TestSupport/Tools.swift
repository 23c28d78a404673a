import Foundation
import RISCV
import Testing

/// A small seeded generator (SplitMix64) so that every random test is reproducible from its seed.
public struct SeededGenerator: RandomNumberGenerator {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// The external tools some tests compare against, when they are installed (`bash .ci/test`
/// installs them).
public enum Toolchain {
    public static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
            return "\(dir)/\(name)"
        }
        return nil
    }

    public static let objdump = find("riscv64-unknown-elf-objdump")
    public static let gcc = find("riscv64-unknown-elf-gcc")
    public static let qemu = find("qemu-riscv32")
    public static let dot = find("dot")

    /// Why a test that needs the tool fails when it is missing (tests fail rather than skip:
    /// `bash .ci/test` installs every tool).
    public static let objdumpMissing: Comment = "riscv64-unknown-elf-objdump is not installed (bash .ci/test installs binutils-riscv64-unknown-elf)"
    public static let gccMissing: Comment = "riscv64-unknown-elf-gcc is not installed (bash .ci/test installs gcc-riscv64-unknown-elf)"
    public static let qemuMissing: Comment = "qemu-riscv32 is not installed (bash .ci/test installs qemu-user)"
    public static let dotMissing: Comment = "dot is not installed (bash .ci/test installs graphviz)"

    /// The CPU every qemu-riscv32 run uses (guest-programs/tools/run-manifest.sh says the same):
    /// qemu 7.2's default `any`, which has Zba, Zbb, Zbc and Zbs, plus Zbkb, Zbkx and Zfh (7.2
    /// spells that property with a capital Z), so that the reference implements every
    /// extension rvjit runs by default.
    public static let qemuCPU = ["-cpu", "any,zbkb=true,zbkx=true,Zfh=true"]
}

/// The compressed encoding of an instruction, where RV32C has one: the inverse of
/// `CompressedTable.expand`, found by expanding every halfword once.
public final class Compressor: Sendable {
    public static let shared = Compressor()
    private let table: [Instruction: UInt16]

    private init() {
        var table: [Instruction: UInt16] = [:]
        for half in 0..<(1 << 16) where half & 3 != 3 {
            guard let row = CompressedTable.spec(UInt16(half)), row.isa.isSubset(of: ISA.implemented),
                var inst = CompressedTable.expand(UInt16(half))
            else { continue }
            inst.length = 4
            if table[inst] == nil { table[inst] = UInt16(half) }
        }
        self.table = table
    }

    /// The halfword whose expansion is `inst` (compared as a 4-byte instruction), if any.
    public func halfword(for inst: Instruction) -> UInt16? {
        var key = inst
        key.length = 4
        return table[key]
    }
}

/// A directory of its own under the system's temporary directory, removed when dropped.
public final class ScratchDirectory {
    public let url: URL

    public init(_ label: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("rvjit-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Guest programs compiled at test time for another ISA than the committed ELFs' (RV32I), the
/// way guest-programs/Makefile compiles them, so that the disassembly tests see compressed
/// code even before a committed set of such ELFs exists.
public enum GuestBuild {
    /// Single-file user programs, built with the runtime.
    public static let programs = ["hello", "qsort", "sha256", "crc32", "smc"]

    public enum Failure: Error, CustomStringConvertible {
        case noCompiler
        case compiler(String)
        public var description: String {
            switch self {
            case .noCompiler: return "riscv64-unknown-elf-gcc is not installed"
            case .compiler(let message): return "riscv64-unknown-elf-gcc failed: \(message)"
            }
        }
    }

    /// Compiles guest-programs/user/`name`.c (or the folder user/`name`/) for `march` into
    /// `dir`; returns the ELF's path.
    public static func build(_ name: String, march: String, in dir: ScratchDirectory) throws -> String {
        guard let gcc = Toolchain.gcc else { throw Failure.noCompiler }
        let root = Repository.guestPrograms
        let runtime = ["crt0.S", "syscalls.c", "libc.c", "printf.c"].map { root.appendingPathComponent("runtime/\($0)").path }
        let folder = root.appendingPathComponent("user/\(name)")
        var sources = [root.appendingPathComponent("user/\(name).c").path]
        if let files = try? FileManager.default.contentsOfDirectory(atPath: folder.path) {
            sources = files.filter { $0.hasSuffix(".c") || $0.hasSuffix(".S") }.sorted().map { folder.appendingPathComponent($0).path }
        }
        let elf = dir.path("\(name)-\(march).elf")
        let flags = [
            "-march=\(march)", "-mabi=ilp32", "-O2", "-static", "-nostdlib", "-ffreestanding", "-fno-builtin", "-g0",
            "-Wl,--build-id=none", "-fno-tree-loop-distribute-patterns", "-ffunction-sections", "-fdata-sections",
            "-Wl,--gc-sections", "-Wl,--no-warn-rwx-segments", "-I", root.appendingPathComponent("runtime").path,
        ]
        let p = Process()
        p.executableURL = URL(fileURLWithPath: gcc)
        p.arguments = flags + ["-o", elf] + runtime + sources + ["-lgcc"]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let message = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw Failure.compiler(String(decoding: message, as: UTF8.self)) }
        return elf
    }
}
