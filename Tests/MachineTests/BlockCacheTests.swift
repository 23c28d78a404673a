import RISCV
import RVInterpreter
import RVMachine
import Testing
import TestSupport

/// The unbounded run's straight-line blocks (`BlockCache`): they must behave as if every
/// instruction were fetched as it runs.
@Suite("Interpreter block cache")
struct BlockCacheTests {
    /// A store rewrites an instruction later in the same straight line, after the line was
    /// decoded as one block: the rewritten instruction is the one that runs.
    @Test("A store into the running block's own line takes effect at once")
    func storeIntoOwnBlock() throws {
        let program = [
            Asm.i(.addi, 12, 12, 1),  // 0: a2 += 1
            Asm.s(.sw, 10, 12, 11),  // 4: sw a0, 12(a1): rewrites the instruction at 12
            Asm.i(.addi, 13, 13, 1),  // 8: a3 += 1
            Asm.i(.addi, 14, 14, 1),  // 12: a4 += 1, rewritten to a4 += 100
            Asm.jal(0, -16),  // 16: back to 0
        ]
        let m = Machine()
        m.memory.map(textBase, length: GuestMemory.pageSize, perms: PageFlag.rwx)
        for (i, inst) in program.enumerated() { m.memory.write32(textBase + UInt32(i * 4), try #require(encode(inst))) }
        m[register: 10] = try #require(encode(Asm.i(.addi, 14, 14, 100)))
        m[register: 11] = textBase
        m.pc = textBase
        #expect(run(m, budget: 10) == .budgetExhausted(10))
        #expect(m.instret == 10)
        #expect(m[register: 12] == 2 && m[register: 13] == 2)
        #expect(m[register: 14] == 200, "the old a4 += 1 never ran")
    }
}
