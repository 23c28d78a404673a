import Foundation
import RISCV
import RVInterpreter
import RVJIT
import RVMachine
import Testing

/// Interpreter versus JIT on random programs, compared at every block boundary.
@Suite struct DifferentialTests {
    static let budget: UInt64 = 20_000

    /// A machine holding `program`, ready to run at its first instruction.
    static func machine(for program: RandomProgram) -> Machine {
        let m = Machine(kind: .linux)
        let words = program.assemble()
        let size = UInt32(words.count * 4)
        m.memory.map(RandomProgram.codeBase, length: size, perms: PageFlag.rx)
        for (i, w) in words.enumerated() { m.memory.write32(RandomProgram.codeBase + UInt32(i * 4), w) }
        m.memory.map(RandomProgram.dataBase, length: RandomProgram.dataSize, perms: PageFlag.rw)
        for i in 0..<(RandomProgram.dataSize / 4) { m.memory.write32(RandomProgram.dataBase + i * 4, i &* 0x9E37_79B9) }
        m.pc = RandomProgram.codeBase
        m[register: 31] = RandomProgram.dataPointer
        m.instructionBudget = budget
        m.updateLimit()
        return m
    }

    static func state(_ m: Machine) -> String {
        let regs = (0..<32).map { "x\($0)=\(String(m[register: $0], radix: 16))" }.joined(separator: " ")
        return "pc=\(String(m.pc, radix: 16)) instret=\(m.instret) stop=\(String(describing: m.stopReason))\n  \(regs)"
    }

    static func data(_ m: Machine) -> [UInt8] { m.memory.readBytes(RandomProgram.dataBase, count: Int(RandomProgram.dataSize)) }

    /// Runs both engines in lockstep; returns a description of the first divergence, or nil.
    static func divergence(_ program: RandomProgram, options: JITOptions) -> String? {
        let reference = machine(for: program)
        let translated = machine(for: program)
        let jit = JIT(machine: translated, options: options)
        let interpreter = Interpreter()
        var boundaries = 0
        while true {
            let running = jit.stepBlock()
            boundaries += 1
            if running {
                let steps = translated.instret &- reference.instret
                if steps > 0 { interpreter.execute(reference, bounds: Interpreter.Bounds(maxSteps: steps), hook: &noHook) }
            } else {
                interpreter.run(reference)
            }
            let same = reference.pc == translated.pc && reference.instret == translated.instret
                && (0..<32).allSatisfy { reference[register: $0] == translated[register: $0] }
                && data(reference) == data(translated) && reference.stopReason == translated.stopReason
            if !same {
                return "after block boundary \(boundaries):\n interp: \(state(reference))\n jit:    \(state(translated))"
                    + (data(reference) == data(translated) ? "" : "\n data areas differ")
            }
            if !running || boundaries > 100_000 { return nil }
        }
    }

    /// Shrinks a failing program to one whose every smaller variant passes.
    static func shrink(_ program: RandomProgram, options: JITOptions) -> RandomProgram {
        var current = program
        var progress = true
        while progress {
            progress = false
            for candidate in current.smaller() where divergence(candidate, options: options) != nil {
                current = candidate
                progress = true
                break
            }
        }
        return current
    }

    static func options(for seed: UInt64) -> JITOptions {
        var o = JITOptions()
        o.optimize = seed % 4 != 3  // a quarter without the optimisation passes
        o.threshold = seed % 5 == 4 ? 2 : 0  // some mixing interpreted and translated blocks
        o.countExecutions = seed % 7 == 5  // counted entries (profiles) take other paths
        o.superblocks = seed % 11 != 10
        o.superinstructions = seed % 13 != 12
        return o
    }

    /// Thousands in the suite; set RVJIT_FUZZ_PROGRAMS (e.g. 1000000) for a long run and
    /// RVJIT_FUZZ_SEED to start elsewhere.
    @Test func randomProgramsAgreeAtEveryBlockBoundary() {
        let env = ProcessInfo.processInfo.environment
        let count = env["RVJIT_FUZZ_PROGRAMS"].flatMap(UInt64.init) ?? 2_000
        let first = env["RVJIT_FUZZ_SEED"].flatMap(UInt64.init) ?? 1
        var failures = 0
        for seed in first..<(first + count) {
            var generator = ProgramGenerator(seed: seed)
            let program = generator.program()
            let options = Self.options(for: seed)
            if let first = Self.divergence(program, options: options) {
                let small = Self.shrink(program, options: options)
                let why = Self.divergence(small, options: options) ?? first
                Issue.record("seed \(seed) (\(options)) diverges \(why)\nsmallest program:\n\(small)")
                failures += 1
                if failures >= 3 { return }
            }
        }
    }

    /// The generator really produces what the comparison needs to see.
    @Test func generatedProgramsExerciseLoopsCallsFaultsAndBudgets() {
        var stops: [String: Int] = [:]
        var loopsAndCalls = 0
        for seed in UInt64(1)...300 {
            var generator = ProgramGenerator(seed: seed)
            let program = generator.program()
            if program.chunks.contains(where: { if case .loop = $0 { return true }; if case .call = $0 { return true }; return false }) {
                loopsAndCalls += 1
            }
            let m = Self.machine(for: program)
            Interpreter().run(m)
            switch m.stopReason {
            case .fault(let t)?: stops["\(t.cause)", default: 0] += 1
            case .budgetExhausted?: stops["budget", default: 0] += 1
            default: stops["other", default: 0] += 1
            }
        }
        #expect(loopsAndCalls > 100)
        #expect(stops["breakpoint", default: 0] > 50)  // ran to the end
        #expect(stops["load access fault", default: 0] + stops["store access fault", default: 0] > 5)  // wild pointers
    }
}

nonisolated(unsafe) private var noHook = NoRetireHook()
