import Foundation
import RISCV
import RVInterpreter
import RVJIT
import RVMachine
import Testing
import TestSupport

/// Interpreter versus JIT on random programs, compared at every block boundary.
@Suite struct DifferentialTests {
    static let budget: UInt64 = 20_000

    /// A machine holding `program`, ready to run at its first instruction.
    static func machine(for program: RandomProgram, trapMisaligned: Bool = false) -> Machine {
        let m = Machine(kind: .linux)
        m.deterministic = true  // counter reads (cycle, time, instret) follow the instruction count
        m.trapMisaligned = trapMisaligned
        let code = program.assemble().bytes
        // Writable too: the generator's patch chunks store into the code ahead of them.
        m.memory.map(RandomProgram.codeBase, length: UInt32(code.count), perms: PageFlag.rwx)
        m.memory.writeBytes(RandomProgram.codeBase, code)
        m.memory.map(RandomProgram.dataBase, length: RandomProgram.dataSize, perms: PageFlag.rw)
        for i in 0..<(RandomProgram.dataSize / 4) { m.memory.write32(RandomProgram.dataBase + i * 4, i &* 0x9E37_79B9) }
        m.pc = RandomProgram.codeBase
        m[register: 31] = RandomProgram.dataPointer
        // F registers start at edge values (NaNs, infinities, subnormals, ...), some improperly boxed.
        var g = SeededGenerator(seed: program.seed ^ 0xF1F1)
        for r in 0..<32 { m.cpu.floatRegisters[r] = FloatEdges.register(r, using: &g) }
        m.instructionBudget = budget
        m.updateLimit()
        return m
    }

    static func state(_ m: Machine) -> String {
        let regs = (0..<32).map { "x\($0)=\(String(m[register: $0], radix: 16))" }.joined(separator: " ")
        let fregs = (0..<32).map { "f\($0)=\(String(m.cpu.floatRegisters[$0], radix: 16))" }.joined(separator: " ")
        return "pc=\(String(m.pc, radix: 16)) instret=\(m.instret) stop=\(String(describing: m.stopReason)) fcsr=\(String(m.cpu.pointee.fcsr, radix: 16))\n  \(regs)\n  \(fregs)"
    }

    static func data(_ m: Machine) -> [UInt8] { m.memory.readBytes(RandomProgram.dataBase, count: Int(RandomProgram.dataSize)) }

    /// Runs both engines in lockstep; returns a description of the first divergence, or nil.
    /// Compares after every dispatcher round; with `chainBudget` > 1 a round runs chained
    /// blocks too, so chained entries (which count instructions their own way) are checked.
    static func divergence(_ program: RandomProgram, options: JITOptions, trapMisaligned: Bool = false, chainBudget: UInt32 = 1) -> String? {
        let reference = machine(for: program, trapMisaligned: trapMisaligned)
        let translated = machine(for: program, trapMisaligned: trapMisaligned)
        let jit = JIT(machine: translated, options: options)
        let interpreter = Interpreter()
        var boundaries = 0
        while true {
            let running = jit.stepBlock(chainBudget: chainBudget)
            boundaries += 1
            if running {
                let steps = translated.instret &- reference.instret
                if steps > 0 { interpreter.execute(reference, bounds: Interpreter.Bounds(maxSteps: steps), hook: &noHook) }
            } else {
                interpreter.run(reference)
            }
            let same = reference.pc == translated.pc && reference.instret == translated.instret
                && (0..<32).allSatisfy { reference[register: $0] == translated[register: $0] }
                && (0..<32).allSatisfy { reference.cpu.floatRegisters[$0] == translated.cpu.floatRegisters[$0] }
                && reference.cpu.pointee.fcsr == translated.cpu.pointee.fcsr && reference.cpu.pointee.fs == translated.cpu.pointee.fs
                && data(reference) == data(translated) && reference.stopReason == translated.stopReason
            if !same {
                return "after block boundary \(boundaries):\n interp: \(state(reference))\n jit:    \(state(translated))"
                    + (data(reference) == data(translated) ? "" : "\n data areas differ")
            }
            if !running || boundaries > 100_000 { return nil }
        }
    }

    /// Shrinks a failing program to one whose every smaller variant passes.
    static func shrink(_ program: RandomProgram, options: JITOptions, trapMisaligned: Bool, chainBudget: UInt32) -> RandomProgram {
        var current = program
        var progress = true
        while progress {
            progress = false
            for candidate in current.smaller() where divergence(candidate, options: options, trapMisaligned: trapMisaligned, chainBudget: chainBudget) != nil {
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
        Self.compareRandomPrograms(count: 2_000) { _, _ in }
    }

    /// The same comparison with the native tier: alone (every block it can take is machine
    /// code from its first execution) and promoted from closures after a few runs.
    @Test(.enabled(if: JITTiers.nativeAvailable)) func randomProgramsAgreeUnderTheNativeTier() {
        Self.compareRandomPrograms(count: 600) { seed, options in
            options.tiers = seed % 3 == 2 ? JITTiers(closure: true, native: true) : JITTiers(closure: false, native: true)
            options.nativeThreshold = UInt32(seed % 4)
        }
    }

    /// Runs `count` generated programs (or RVJIT_FUZZ_PROGRAMS from RVJIT_FUZZ_SEED) on the
    /// interpreter and the JIT configured by `configure`; records the smallest divergent program
    /// of each of the first three seeds that diverge.
    static func compareRandomPrograms(count defaultCount: UInt64, configure: (UInt64, inout JITOptions) -> Void) {
        let env = ProcessInfo.processInfo.environment
        let count = env["RVJIT_FUZZ_PROGRAMS"].flatMap(UInt64.init) ?? defaultCount
        let first = env["RVJIT_FUZZ_SEED"].flatMap(UInt64.init) ?? 1
        var failures = 0
        for seed in first..<(first + count) {
            var generator = ProgramGenerator(seed: seed)
            let program = generator.program()
            var options = options(for: seed)
            configure(seed, &options)
            let trapMisaligned = seed % 6 == 1
            let chainBudget: UInt32 = seed % 3 == 0 ? 1 : 16
            if let first = divergence(program, options: options, trapMisaligned: trapMisaligned, chainBudget: chainBudget) {
                let small = shrink(program, options: options, trapMisaligned: trapMisaligned, chainBudget: chainBudget)
                let why = divergence(small, options: options, trapMisaligned: trapMisaligned, chainBudget: chainBudget) ?? first
                Issue.record("seed \(seed) (\(options), trapMisaligned \(trapMisaligned), chain budget \(chainBudget)) diverges \(why)\nsmallest program:\n\(small)")
                failures += 1
                if failures >= 3 { return }
            }
        }
    }

    /// The generator really produces what the comparison needs to see.
    @Test func generatedProgramsExerciseLoopsCallsFaultsAndBudgets() {
        var stops: [String: Int] = [:]
        var loopsAndCalls = 0
        var families: [String: Int] = [:]
        var compressedPrograms = 0, patches = 0
        var opcodes: Set<Opcode> = []
        for seed in UInt64(1)...300 {
            var generator = ProgramGenerator(seed: seed)
            let program = generator.program()
            let halves = program.assemble().halves
            var k = 0, compressed = 0
            while k < halves.count {
                let word = UInt32(halves[k]) | (k + 1 < halves.count ? UInt32(halves[k + 1]) << 16 : 0)
                let inst = decode(word)
                if inst.length == 2 { compressed += 1 }
                opcodes.insert(inst.opcode)
                let bitManipulation: ISA = [.zba, .zbb, .zbc, .zbs, .zbkb, .zbkx]
                switch inst.family {
                case .aluRegister where inst.spec?.isa == .m: families["M", default: 0] += 1
                case .aluRegister where inst.spec?.isEnabled(in: bitManipulation) == true: families["B register", default: 0] += 1
                case .aluImmediate where inst.spec?.format == .shift && inst.spec?.isEnabled(in: bitManipulation) == true:
                    families["B shift amount", default: 0] += 1
                case .aluImmediate where inst.spec?.format == .unary: families["B unary", default: 0] += 1
                case .atomic(.loadReserved), .atomic(.storeConditional): families["LR/SC", default: 0] += 1
                case .atomic(.amo): families["AMO", default: 0] += 1
                case .csr: families["CSR", default: 0] += 1
                case .ecall: families["ecall", default: 0] += 1
                case .fenceI: families["fence.i", default: 0] += 1
                case .float(let op, let w) where op.operandCount == 3: families["fma.\(w)", default: 0] += 1
                case .float(.toInt, _), .float(.toUnsigned, _), .float(.fromInt, _), .float(.fromUnsigned, _),
                     .float(.convertFromSingle, _), .float(.convertFromDouble, _), .float(.convertFromHalf, _): families["fcvt", default: 0] += 1
                case .float: families["F/D", default: 0] += 1
                case .floatLoad, .floatStore: families["F/D memory", default: 0] += 1
                default: break
                }
                k += Int(inst.length) / 2
            }
            if compressed > 0 { compressedPrograms += 1 }
            if program.chunks.contains(where: { if case .patch = $0 { return true }; return false }) { patches += 1 }
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
        #expect(compressedPrograms > 200, "programs mix 2- and 4-byte instructions")
        #expect(patches > 20, "some programs store into their own code")
        for row in InstructionTable.rows {
            switch row.family {
            case .aluRegister, .aluImmediate, .float, .floatLoad, .floatStore:
                #expect(opcodes.contains(row.opcode), "\(row.mnemonic) is generated")
            default: continue
            }
        }
        for family in ["M", "LR/SC", "AMO", "CSR", "ecall", "fence.i", "B register", "B shift amount", "B unary", "fma.single", "fma.double", "fma.half", "fcvt", "F/D", "F/D memory"] {
            #expect(families[family, default: 0] > 20, "\(family) instructions are generated")
        }
        #expect(stops["breakpoint", default: 0] > 50)  // ran to the end
        #expect(stops["load access fault", default: 0] + stops["store access fault", default: 0] > 5)  // wild pointers
    }
}

nonisolated(unsafe) private var noHook = NoRetireHook()
