import Foundation
import RISCV

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
    /// The CPU every qemu-riscv32 run uses (guest-programs/tools/run-manifest.sh says the same):
    /// qemu 7.2's default `any`, which has Zba, Zbb, Zbc and Zbs, plus Zbkb and Zbkx, so that the
    /// reference implements every extension rvjit runs by default.
    public static let qemuCPU = ["-cpu", "any,zbkb=true,zbkx=true"]
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
