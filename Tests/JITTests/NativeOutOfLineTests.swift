import RISCV
import RVInterpreter
import RVJIT
import RVMachine
import Testing
import TestSupport

/// Blocks with floating point, CSR accesses and atomics run as x86-64 (those operations out of
/// line, through the closure tier's handlers) from their first execution, and end where the
/// interpreter ends with the same state, faults included.
@Suite(.enabled(if: JITTiers.nativeAvailable)) struct NativeOutOfLineTests {
    static let code: UInt32 = 0x10000
    static let data: UInt32 = 0x20000

    static func machine(_ program: [Instruction]) -> Machine {
        let m = Machine(kind: .linux)
        m.deterministic = true
        TestCode.place(program, at: code, in: m)
        m.memory.map(data, length: 0x1000, perms: PageFlag.rw)
        m.pc = code
        m.cpu.pointee.fs = 1  // F/D on (Initial)
        m.instructionBudget = 100_000
        m.updateLimit()
        return m
    }

    /// Runs `program` on the interpreter, on the native tier alone and on the closure tier
    /// alone (translating at once); with the native tier every block must have been machine
    /// code, and all must stop alike.
    static func compare(_ program: [Instruction]) {
        let reference = machine(program)
        Interpreter().run(reference)
        for native in [true, false] {
            let m = machine(program)
            var o = JITOptions()
            o.tiers = JITTiers(closure: !native, native: native)
            o.threshold = 0
            let jit = JIT(machine: m, options: o)
            jit.run()
            if native {
                #expect(jit.statistics.nativeBlocksTranslated > 0)
                #expect(jit.statistics.nativeBlocksTranslated == jit.statistics.blocksTranslated, "every block ran as machine code")
            } else {
                #expect(jit.statistics.nativeBlocksTranslated == 0)
            }
            same(m, reference)
        }
    }

    static func same(_ m: Machine, _ reference: Machine) {
        #expect(m.stopReason == reference.stopReason)
        #expect(m.pc == reference.pc)
        #expect(m.instret == reference.instret)
        for r in 0..<32 {
            #expect(m[register: r] == reference[register: r], "x\(r)")
            #expect(m.cpu.floatRegisters[r] == reference.cpu.floatRegisters[r], "f\(r)")
        }
        #expect(m.cpu.pointee.fcsr == reference.cpu.pointee.fcsr)
        #expect(m.cpu.pointee.fs == reference.cpu.pointee.fs)
        #expect(m.memory.readBytes(data, count: 64) == reference.memory.readBytes(data, count: 64))
    }

    /// A loop mixing every out-of-line kind with inline integer work, then an illegal word.
    @Test func floatCSRAndAtomicLoopMatchesTheInterpreter() {
        var p = TestCode.li(31, Self.data) + [Asm.i(.addi, 5, 0, 12)]
        p += [
            Asm.fp(.fcvt_s_w, 1, 5),  // int → float (an integer source)
            Asm.fp(.fadd_s, 2, 2, 1),
            Asm.s(.fsw, 2, 8, 31),
            Asm.i(.flw, 3, 31, 8),
            Asm.amo(.amoadd_w, 6, 5, 31),  // x6 = old word, word += x5
            Asm.csr(.csrrs, 7, CSR.fflags, 0),
            Asm.fp(.fcvt_w_s, 8, 2, rm: 1),  // float → int (an integer destination)
            Asm.r(.add, 10, 10, 8),  // a0, a pinned register
            Asm.r(.add, 11, 11, 6),
            Asm.i(.addi, 5, 5, -1),
            Asm.b(.bne, 5, 0, -40),
        ]
        p += [Instruction(.illegal)]
        Self.compare(p)
    }

    /// A CSR access that traps (a write to the read-only `cycle`) in the middle of a block:
    /// registers, pc and count exact at it.
    @Test func trappingCSRAccessIsPrecise() {
        let p: [Instruction] = [
            Asm.i(.addi, 10, 0, 5), Asm.i(.addi, 12, 0, 9), Asm.i(.addi, 9, 0, 3),
            Asm.csr(.csrrw, 6, CSR.cycle, 10),
            Asm.i(.addi, 10, 10, 1), Instruction(.illegal),
        ]
        Self.compare(p)
    }

    /// An atomic that faults (an unmapped address) in the middle of a block. Its address and
    /// value are both constants after the passes: each needs its own scratch temporary.
    @Test func faultingAtomicIsPrecise() {
        let p: [Instruction] = TestCode.li(12, 0x50000) + [
            Asm.i(.addi, 10, 0, 5), Asm.i(.addi, 13, 0, 1),
            Asm.amo(.amoswap_w, 6, 10, 12),
            Asm.i(.addi, 10, 10, 1), Instruction(.illegal),
        ]
        Self.compare(p)
    }

    /// In the default chain (`closure,native`) a hot block with floating point stays on
    /// closures (`NativeBackend.promotionPays`: it measured faster there), while a hot integer
    /// block beside it is promoted; both end as the interpreter does.
    @Test func floatBlocksStayOnClosuresInTheDefaultChain() {
        var p = TestCode.li(31, Self.data) + [Asm.i(.addi, 5, 0, 200)]
        p += [  // a float loop
            Asm.fp(.fcvt_s_w, 1, 5),
            Asm.fp(.fadd_s, 2, 2, 1),
            Asm.i(.addi, 5, 5, -1),
            Asm.b(.bne, 5, 0, -12),
        ]
        p += [Asm.i(.addi, 5, 0, 200)]
        p += [  // an integer loop
            Asm.r(.add, 10, 10, 5),
            Asm.i(.addi, 5, 5, -1),
            Asm.b(.bne, 5, 0, -8),
        ]
        p += [Instruction(.illegal)]
        let reference = Self.machine(p)
        Interpreter().run(reference)
        let m = Self.machine(p)
        var o = JITOptions()
        o.threshold = 0
        o.nativeThreshold = 2
        let jit = JIT(machine: m, options: o)
        jit.run()
        Self.same(m, reference)
        let floatLoop = NativeOutOfLineTests.code &+ UInt32(4 * (TestCode.li(31, Self.data).count + 1))
        let tiers = Dictionary(jit.cachedBlocks.map { ($0.pc, $0.tier) }, uniquingKeysWith: { a, _ in a })
        #expect(tiers[floatLoop] == .closure, "the float loop stays a closure block")
        #expect(tiers.values.contains(.native), "the integer loop is promoted")
    }
}
