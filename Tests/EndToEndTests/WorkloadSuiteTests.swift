import Foundation
import RVJIT
import RVJITCommands
import TestSupport
import Testing

/// The workload suite (guest-programs/bench) at small sizes: every workload of every build runs
/// to the same line under the interpreter, each JIT tier and qemu-riscv32. The three builds
/// print the same line too (the float workloads compute the same bits in soft float and F/D),
/// so one answer holds the engines and the builds together. `rvjit bench` times the full sizes.
@Suite("workload suite, small sizes")
struct WorkloadSuiteTests {
    /// Sizes that run a few million instructions at most.
    static let small: [String: [String]] = [
        "recurse": ["12", "1"], "list": ["200", "2"], "matrix": ["12", "1"], "fsm": ["2048", "1"],
        "crc": ["4096", "1"], "dct": ["16", "1"], "aes": ["512", "1"], "sha256": ["64", "1"],
        "huffman": ["4096", "1"], "sort": ["2000", "1"], "regex": ["100", "1"], "interp": ["500", "1"],
        "bytes": ["4096", "1"], "nbody": ["4", "1"], "mandel": ["8", "1"], "lu": ["12", "2"],
    ]
    static let sets = ["rv32i", "rv32imac", "rv32imafdc"]

    enum Engine: CaseIterable { case interp, jit, closure, native }

    static func configuration(_ elf: String, _ args: [String], _ engine: Engine) -> RunConfiguration {
        var c = RunConfiguration(elfPath: elf, arguments: args, engine: engine == .interp ? .interp : .jit)
        switch engine {
        case .interp, .jit: break
        case .closure: c.jit.tiers = JITTiers(closure: true, native: false)
        case .native:
            // Every block the native tier takes is machine code from its first execution.
            c.jit.tiers = JITTiers(closure: false, native: true)
            c.jit.threshold = 0
        }
        return c
    }

    @Test("every committed workload has a small size here")
    func everyWorkloadIsCovered() throws {
        let suite = Repository.guestPrograms.appendingPathComponent("bench").path
        let names = try BenchSuite.load(suite, set: "rv32i").map(\.name)
        #expect(Set(names) == Set(Self.small.keys))
    }

    @Test(arguments: WorkloadSuiteTests.small.keys.sorted())
    func sameLineEverywhere(_ name: String) throws {
        let args = try #require(Self.small[name])
        let suite = Repository.guestPrograms.appendingPathComponent("bench").path
        var reference: String? = nil
        for set in Self.sets {
            let elf = (BenchSuite.binaries(suite: suite, set: set) as NSString).appendingPathComponent(name + ".elf")
            let engines = Engine.allCases.filter { $0 != .native || JITTiers.nativeAvailable }
            for engine in engines {
                let run = try GuestRunner.run(Self.configuration(elf, args, engine))
                #expect(run.result.exitStatus == 0, "\(set) \(engine): \(run.stdout) \(run.stderr)")
                #expect(run.stdout.hasPrefix(name + ": ") && !run.stdout.contains("FAILED"), "\(set) \(engine): \(run.stdout)")
                if let r = reference {
                    #expect(run.stdout == r, "\(set) \(engine)")
                } else {
                    reference = run.stdout
                }
            }
            if let q = GuestRunner.qemu(elf, args) {
                #expect(q.status == 0 && q.stdout == reference, "\(set) under qemu-riscv32: \(q.stdout)")
            }
        }
    }
}
