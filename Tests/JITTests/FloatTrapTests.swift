import RISCV
import RVInterpreter
import RVJIT
import RVMachine
import Testing

/// When F/D instructions are illegal (mstatus.FS Off, a reserved rounding mode, static or
/// through `frm`), both engines trap at the same instruction with the same state, also when
/// FS or `frm` changes under an already translated block.
@Suite struct FloatTrapTests {
    static let code: UInt32 = 0x1_0000, data: UInt32 = 0x2000_0000

    enum Engine: CaseIterable { case interp, jit, jitNoOpt }

    static func machine(_ kind: MachineKind, _ program: [Instruction]) -> Machine {
        let m = Machine(kind: kind)
        let words = program.map { encode($0) ?? 0 }
        m.memory.map(code, length: 0x1000, perms: PageFlag.rwx)
        for (k, w) in words.enumerated() { m.memory.write32(code + UInt32(k * 4), w) }
        m.memory.map(data, length: 0x1000, perms: PageFlag.rw)
        m.memory.write32(data, 0x3f80_0000)  // 1.0f
        m.pc = code
        m[register: 31] = data
        m.instructionBudget = 200
        m.updateLimit()
        return m
    }

    static func run(_ m: Machine, _ engine: Engine) {
        switch engine {
        case .interp: Interpreter().run(m)
        case .jit: JIT(machine: m).run()
        case .jitNoOpt:
            var o = JITOptions()
            o.optimize = false
            o.threshold = 0
            JIT(machine: m, options: o).run()
        }
    }

    static func at(_ k: Int) -> UInt32 { code + UInt32(k * 4) }

    @Test(arguments: Engine.allCases)
    func reservedStaticRoundingModeIsIllegal(_ engine: Engine) {
        for rm: UInt8 in [5, 6] {
            let bad = Asm.fp(.fadd_s, 1, 2, 3, rm: rm)
            let m = Self.machine(.linux, [Asm.i(.addi, 5, 0, 7), Asm.fp(.fadd_s, 1, 2, 3, rm: 1), bad, Asm.i(.addi, 5, 0, 9)])
            Self.run(m, engine)
            #expect(m.stopReason == .fault(Trap(.illegalInstruction, pc: Self.at(2), value: encode(bad)!)), "\(engine) rm \(rm)")
            #expect(m.instret == 2 && m[register: 5] == 7)
        }
    }

    @Test(arguments: Engine.allCases)
    func reservedDynamicRoundingModeIsIllegalOnlyWhereUsed(_ engine: Engine) {
        let dynamic = Asm.fp(.fmul_d, 1, 2, 3, rm: 7)
        let m = Self.machine(.linux, [
            Asm.csr(.csrrwi, 0, CSR.frm, 5),  // frm = 5: reserved
            Asm.fp(.fsgnj_s, 4, 2, 3),  // no rounding mode: runs
            Asm.fp(.fmul_d, 1, 2, 3, rm: 0),  // static: runs
            Asm.fp(.feq_d, 6, 2, 3),  // no rounding mode: runs
            dynamic,  // illegal
            Asm.i(.addi, 5, 0, 9),
        ])
        Self.run(m, engine)
        #expect(m.stopReason == .fault(Trap(.illegalInstruction, pc: Self.at(4), value: encode(dynamic)!)), "\(engine)")
        #expect(m.instret == 4 && m[register: 6] == 1)
    }

    /// Bare metal: FS starts Off; the same translated loop body runs with FS on, then traps
    /// once the guest turns FS off (the JIT checks FS when the closure runs).
    @Test(arguments: Engine.allCases)
    func floatStatusOffTrapsInATranslatedLoop(_ engine: Engine) {
        let load = Asm.i(.flw, 1, 31, 0)
        let m = Self.machine(.bare, [
            /* 0 */ Asm.u(.lui, 6, 0x6000),  // x6 = FS mask
            /* 1 */ Asm.csr(.csrrs, 0, CSR.mstatus, 6),  // FS = Dirty
            /* 2 */ Asm.i(.addi, 7, 0, 3),  // three rounds
            /* 3 */ load,  // loop: f1 = 1.0
            /* 4 */ Asm.fp(.fadd_s, 2, 2, 1, rm: 7),
            /* 5 */ Asm.i(.addi, 7, 7, -1),
            /* 6 */ Asm.b(.bne, 7, 0, 8),  // rounds left: skip the FS-off step
            /* 7 */ Asm.jal(0, 20),  // done: to the end (never reached: the third round is off)
            /* 8 */ Asm.i(.addi, 8, 7, -1),
            /* 9 */ Asm.b(.bne, 8, 0, 8),  // one round left: turn FS off first
            /* 10 */ Asm.csr(.csrrc, 0, CSR.mstatus, 6),
            /* 11 */ Asm.jal(0, -32),  // back to the loop
            /* 12 */ Asm.jal(0, 0),  // trap handler: spin until the budget
        ])
        m.privileged.mtvec = Self.at(12)
        m.cpu.floatRegisters[2] = FloatWidth.single.box(0)  // +0.0f
        Self.run(m, engine)
        #expect(m.privileged.mcause == 2, "\(engine)")
        #expect(m.privileged.mepc == Self.at(3))
        #expect(m.privileged.mtval == encode(load)!)
        #expect(m.cpu.floatRegisters[2] == 0xffff_ffff_4000_0000, "two rounds of f2 += 1.0 ran")
        #expect(m.cpu.pointee.fs == 0)
    }

    @Test(arguments: Engine.allCases)
    func writesMakeFSDirtyAndFlagsAccrue(_ engine: Engine) {
        let m = Self.machine(.bare, [
            Asm.u(.lui, 6, 0x2000),  // FS = Initial
            Asm.csr(.csrrs, 0, CSR.mstatus, 6),
            Asm.csr(.csrrs, 10, CSR.mstatus, 0),  // x10: mstatus before any FP write
            Asm.fp(.feq_s, 11, 0, 0),  // f0 = 0 is not NaN-boxed: the canonical NaN, quiet: no flags
            Asm.csr(.csrrs, 12, CSR.mstatus, 0),  // still Initial (no FP register or flag written)
            Asm.fp(.flt_s, 11, 0, 0),  // NaN in a signalling compare: NV, Dirty
            Asm.csr(.csrrs, 13, CSR.mstatus, 0),
            Asm.csr(.csrrs, 14, CSR.fflags, 0),
            Asm.jal(0, 0),
        ])
        m.privileged.mtvec = Self.at(8)
        Self.run(m, engine)
        #expect(m[register: 10] & 0x8000_6000 == 0x2000, "\(engine)")
        #expect(m[register: 12] & 0x8000_6000 == 0x2000)
        #expect(m[register: 13] & 0x8000_6000 == 0x8000_6000)
        #expect(m[register: 14] == 0x10)
    }
}
