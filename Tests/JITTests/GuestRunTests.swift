import Foundation
import RISCV
import RVInterpreter
import RVJIT
import RVMachine
import TestSupport
import Testing

/// JIT behaviour on real guest programs: exact budgets, self-modifying code, precise faults.
@Suite struct GuestRunTests {
    static let bin = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("guest-programs/bin")

    enum Engine: String, CaseIterable { case interp, jit, jitThreshold, jitNoOpt, jitCounted, closure, native, nativePromoted }

    /// The JIT engines, with the native tier only where the host runs it.
    static let jitEngines: [Engine] = [.jit, .jitThreshold, .jitNoOpt, .jitCounted, .closure]
        + (JITTiers.nativeAvailable ? [.native, .nativePromoted] : [])

    /// Loads a guest ELF with the machine's own minimal syscalls and output captured.
    static func run(_ name: String, _ args: [String], engine: Engine, budget: UInt64? = nil) throws -> (Machine, String) {
        let data = try #require(FileManager.default.contents(atPath: bin.appendingPathComponent("\(name).elf").path))
        let elf = try ELFFile(bytes: [UInt8](data))
        let m = Machine(kind: .linux)
        let out = Captured()
        let syscalls = BasicSyscalls(console: Console(capture: { _, bytes in out.bytes += bytes }))
        m.syscalls = syscalls
        try m.load(elf, arguments: [name] + args)
        m.instructionBudget = budget
        m.updateLimit()
        switch engine {
        case .interp: Interpreter().run(m)
        case .jit: JIT(machine: m).run()
        case .jitThreshold:
            var o = JITOptions()
            o.threshold = 3
            JIT(machine: m, options: o).run()
        case .jitNoOpt:
            var o = JITOptions()
            o.optimize = false
            JIT(machine: m, options: o).run()
        case .jitCounted:
            var o = JITOptions()
            o.countExecutions = true
            JIT(machine: m, options: o).run()
        case .closure:
            var o = JITOptions()
            o.tiers = JITTiers(closure: true, native: false)
            JIT(machine: m, options: o).run()
        case .native:
            // Every block the native tier can take is machine code from its first execution.
            var o = JITOptions()
            o.tiers = JITTiers(closure: false, native: true)
            o.threshold = 0
            JIT(machine: m, options: o).run()
        case .nativePromoted:
            var o = JITOptions()
            o.nativeThreshold = 2
            JIT(machine: m, options: o).run()
        }
        withExtendedLifetime(syscalls) {}
        return (m, String(decoding: out.bytes, as: UTF8.self))
    }

    final class Captured: @unchecked Sendable { var bytes: [UInt8] = [] }

    static func registers(_ m: Machine) -> [UInt32] { (0..<32).map { m[register: $0] } }

    @Test(arguments: [UInt64(1), 2, 3, 17, 100, 1_000, 4_321, 50_000, 123_457])
    func budgetStopsAtTheExactInstruction(_ n: UInt64) throws {
        let (a, _) = try Self.run("qsort", ["3000", "1"], engine: .interp, budget: n)
        #expect(a.stopReason == .budgetExhausted(n))
        #expect(a.instret == n)
        for engine in Self.jitEngines {
            let (b, _) = try Self.run("qsort", ["3000", "1"], engine: engine, budget: n)
            #expect(b.stopReason == .budgetExhausted(n), "\(engine)")
            #expect(b.instret == n, "\(engine)")
            #expect(b.pc == a.pc, "\(engine)")
            #expect(Self.registers(b) == Self.registers(a), "\(engine)")
        }
    }

    @Test func selfModifyingCodeGetsTheNewBehaviour() throws {
        let (a, outA) = try Self.run("smc", ["10000"], engine: .interp)
        #expect(a.stopReason == .exited(0))
        let expected = try String(contentsOf: Self.bin.deletingLastPathComponent().appendingPathComponent("expected/smc.stdout"), encoding: .utf8)
        #expect(outA == expected)
        for engine in Self.jitEngines {
            let (b, outB) = try Self.run("smc", ["10000"], engine: engine)
            #expect(b.stopReason == .exited(0), "\(engine)")
            #expect(outB == expected, "\(engine)")
            #expect(b.instret == a.instret, "\(engine)")
        }
    }

    @Test func storesIntoTranslatedCodeInvalidateIt() throws {
        let data = try #require(FileManager.default.contents(atPath: Self.bin.appendingPathComponent("smc.elf").path))
        let m = Machine(kind: .linux)
        let syscalls = BasicSyscalls(console: Console(capture: { _, _ in }))
        m.syscalls = syscalls
        try m.load(try ELFFile(bytes: [UInt8](data)), arguments: ["smc", "500"])
        let jit = JIT(machine: m)
        jit.run()
        withExtendedLifetime(syscalls) {}
        #expect(m.stopReason == .exited(0))
        #expect(jit.statistics.invalidations > 0)
        #expect(jit.statistics.flushes > 0)
    }

    @Test(.enabled(if: JITTiers.nativeAvailable)) func storesIntoNativeCodeInvalidateIt() throws {
        let data = try #require(FileManager.default.contents(atPath: Self.bin.appendingPathComponent("smc.elf").path))
        let m = Machine(kind: .linux)
        let syscalls = BasicSyscalls(console: Console(capture: { _, _ in }))
        m.syscalls = syscalls
        try m.load(try ELFFile(bytes: [UInt8](data)), arguments: ["smc", "500"])
        var o = JITOptions()
        o.tiers = JITTiers(closure: false, native: true)
        let jit = JIT(machine: m, options: o)
        jit.run()
        withExtendedLifetime(syscalls) {}
        #expect(m.stopReason == .exited(0))
        #expect(jit.statistics.nativeBlocksTranslated > 0)
        #expect(jit.statistics.nativeBlocksTranslated == jit.statistics.blocksTranslated)
        #expect(jit.statistics.invalidations > 0)
        #expect(jit.statistics.nativePatches > 0, "native exits were chained by patching")
    }

    @Test(arguments: ["segv", "illegal"])
    func faultsAreReportedAtTheSamePlaceWithTheSameState(_ name: String) throws {
        let (a, outA) = try Self.run(name, [], engine: .interp)
        guard case .fault(let trap)? = a.stopReason else {
            Issue.record("\(name) did not fault: \(String(describing: a.stopReason))")
            return
        }
        for engine in [Engine.jit, .jitNoOpt] + (JITTiers.nativeAvailable ? [.native] : []) {
            let (b, outB) = try Self.run(name, [], engine: engine)
            #expect(b.stopReason == .fault(trap), "\(engine)")
            #expect(b.instret == a.instret && b.pc == a.pc && Self.registers(b) == Self.registers(a), "\(engine)")
            #expect(outB == outA)
        }
    }

    /// The ISA programs come from the manifest, so a new one is never left out.
    static let agreementPrograms = ["hello", "fib", "sieve", "qsort", "crc32", "sha256"]
        + ManifestRow.all().map(\.name).filter { $0.hasPrefix("isa-") }

    @Test func everyISAProgramIsCompared() {
        #expect(Self.agreementPrograms.filter { $0.hasPrefix("isa-") }.count >= 9)
    }

    @Test(arguments: agreementPrograms)
    func enginesAgreeOnOutputStatusAndInstructionCount(_ name: String) throws {
        let (a, outA) = try Self.run(name, name == "hello" ? ["a", "b"] : [], engine: .interp)
        for engine in Self.jitEngines {
            let (b, outB) = try Self.run(name, name == "hello" ? ["a", "b"] : [], engine: engine)
            #expect(outB == outA, "\(engine)")
            #expect(b.stopReason == a.stopReason, "\(engine)")
            #expect(b.instret == a.instret, "\(engine)")
        }
    }
}
