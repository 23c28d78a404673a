import RISCV
import RVInterpreter
import RVJIT
import RVJITCommands
import RVMachine
import Testing

/// A bare machine with code at 0x80000000, data pages at 0x80001000–0x80003fff and a trap
/// handler that records mcause, mtval and mepc in x28–x30 and then spins (the budget ends it).
struct ProtectionRig {
    static let code: UInt32 = 0x8000_0000
    static let handler: UInt32 = 0x8000_0f00
    static let data: UInt32 = 0x8000_1000
    let m = Machine(kind: .bare)

    init(_ program: [Instruction], privilege: Privilege = .user, setup: (ProtectionRig) -> Void = { _ in }) {
        m.memory.map(Self.code, length: 0x1000, perms: PageFlag.rx)
        m.memory.map(Self.data, length: 0x3000, perms: PageFlag.rw)
        m.memory.map(0x8000_4000, length: 0x1000, perms: PageFlag.rx)  // more code, for fetch checks
        for (i, inst) in program.enumerated() { m.memory.write32(Self.code + UInt32(i * 4), encode(inst) ?? 0) }
        let handler = [Asm.csr(.csrrs, 28, CSR.mcause, 0), Asm.csr(.csrrs, 29, CSR.mtval, 0), Asm.csr(.csrrs, 30, CSR.mepc, 0), Asm.jal(0, 0)]
        for (i, inst) in handler.enumerated() { m.memory.write32(Self.handler + UInt32(i * 4), encode(inst) ?? 0) }
        m.isa = .rv32i
        m.privileged.mtvec = Self.handler
        m[register: 10] = Self.data
        m[register: 14] = Self.data + 0x1000  // the page PMP splits in the tests
        m[register: 28] = 0xdead
        setup(self)
        m.privileged.privilege = privilege
        m.cpu.pointee.privilege = privilege.rawValue
        m.refreshProtection()
        m.pc = Self.code
        m.instructionBudget = 200
        m.updateLimit()
    }

    /// Writes a CSR as an M-mode `csrrw` would.
    func write(_ csr: UInt16, _ value: UInt32) {
        let saved = m.privileged.privilege
        m.privileged.privilege = .machine
        _ = m.csr(CSRAccess(number: csr, operation: .write, operand: value, sourceIsZero: false), pc: 0, word: 0, instret: 0)
        m.privileged.privilege = saved
    }

    func read(_ csr: UInt16) -> UInt32? {
        let saved = m.privileged.privilege
        m.privileged.privilege = .machine
        defer { m.privileged.privilege = saved }
        return m.csr(CSRAccess(number: csr, operation: .set, operand: 0, sourceIsZero: true), pc: 0, word: 0, instret: 0)
    }

    /// Runs to the budget; returns (mcause, mtval, mepc) if a trap was taken.
    func run(_ engine: EngineKind) -> (cause: UInt32, tval: UInt32, epc: UInt32)? {
        switch engine {
        case .interp: Interpreter().run(m)
        case .jit:
            var o = JITOptions()
            o.threshold = 0
            JIT(machine: m, options: o).run()
        }
        guard m[register: 28] != 0xdead else { return nil }
        return (m[register: 28], m[register: 29], m[register: 30])
    }
}

@Suite("PMP and triggers")
struct ProtectionTests {
    typealias Rig = ProtectionRig
    static let lw = Asm.i(.lw, 11, 10, 0)

    @Test("At reset PMP lets U-mode reach everything the memory map has", arguments: EngineKind.allCases)
    func resetAllowsUser(_ engine: EngineKind) {
        let rig = Rig([Self.lw, Asm.s(.sw, 11, 4, 10), Asm.ebreak])
        rig.m.memory.write32(Rig.data, 77)
        #expect(rig.run(engine)?.cause == 3)  // reached the ebreak
        #expect(rig.m.memory.read32(Rig.data + 4) == 77)
        #expect(!rig.m.protectionActive)
    }

    /// Entry 0: NAPOT over 0x80000000–0x80001fff, RWX; entry 1: NA4 at 0x80002000, read only;
    /// nothing else, so U-mode may use the rest of that page for nothing.
    static func configure(_ rig: Rig) {
        rig.write(CSR.pmpaddr0, (0x8000_0000 >> 2) | (0x2000 >> 3) - 1)
        rig.write(CSR.pmpaddr0 + 1, 0x8000_2000 >> 2)
        rig.write(CSR.pmpcfg0, UInt32(PMP.napot) << 3 | 7 | (UInt32(PMP.na4) << 3 | 1) << 8)
    }

    @Test("U-mode accesses follow PMP: allowed, read-only NA4, unmatched, and fetch", arguments: EngineKind.allCases)
    func userChecks(_ engine: EngineKind) {
        let probe = Rig([], setup: Self.configure)
        #expect(probe.m.protectionActive)
        #expect(probe.read(CSR.pmpcfg0) == 0x111f)
        #expect(probe.m.memory.pageFlags(Rig.data + 0x1000) & PageFlag.device != 0)
        // Allowed: a load from the NAPOT region and from the NA4 word.
        var rig = Rig([Self.lw, Asm.i(.lw, 12, 14, 0), Asm.ebreak], setup: Self.configure)
        rig.m.memory.write32(Rig.data + 0x1000, 5)
        #expect(rig.run(engine)?.cause == 3)
        #expect(rig.m[register: 12] == 5)
        // A store to the read-only NA4 word.
        rig = Rig([Asm.s(.sw, 11, 0, 14), Asm.ebreak], setup: Self.configure)
        #expect(rig.run(engine).map { [$0.cause, $0.tval, $0.epc] } == [7, Rig.data + 0x1000, Rig.code])
        // A load next to it, which no entry matches.
        rig = Rig([Asm.i(.lw, 12, 14, 4), Asm.ebreak], setup: Self.configure)
        #expect(rig.run(engine).map { [$0.cause, $0.tval, $0.epc] } == [5, Rig.data + 0x1004, Rig.code])
        // A word load that only partly overlaps the NA4 entry fails too.
        rig = Rig([Asm.i(.lw, 12, 14, -2), Asm.ebreak], setup: Self.configure)
        #expect(rig.run(engine)?.cause == 5)
        // A jump to code outside every entry.
        rig = Rig([Asm.u(.lui, 13, Int32(bitPattern: 0x8000_4000)), Asm.i(.jalr, 0, 13, 0)], setup: Self.configure)
        #expect(rig.run(engine).map { [$0.cause, $0.tval, $0.epc] } == [1, 0x8000_4000, 0x8000_4000])
    }

    @Test("M-mode ignores unlocked entries; a locked entry binds it and cannot be rewritten", arguments: EngineKind.allCases)
    func lockedEntries(_ engine: EngineKind) {
        var rig = Rig([Asm.s(.sw, 11, 0, 14), Asm.ebreak], privilege: .machine, setup: Self.configure)
        #expect(rig.run(engine)?.cause == 3)  // M-mode store through an unlocked read-only entry
        rig = Rig([Asm.s(.sw, 11, 0, 14), Asm.ebreak], privilege: .machine) { r in
            Self.configure(r)
            r.write(CSR.pmpcfg0, UInt32(PMP.napot) << 3 | 7 | (UInt32(PMP.na4) << 3 | 1 | 0x80) << 8)
        }
        #expect(rig.run(engine).map { [$0.cause, $0.tval] } == [7, Rig.data + 0x1000])
        // The locked byte and its address stay; the unlocked byte beside it still changes.
        rig.write(CSR.pmpcfg0, 0)
        #expect(rig.read(CSR.pmpcfg0) == (UInt32(PMP.na4) << 3 | 1 | 0x80) << 8)
        rig.write(CSR.pmpaddr0 + 1, 0)
        #expect(rig.read(CSR.pmpaddr0 + 1) == 0x8000_2000 >> 2)
    }

    @Test("pmpcfg is WARL: reserved bits read zero, W without R is dropped; a locked TOR entry freezes the address below it")
    func warl() {
        let rig = Rig([])
        // Entry 4: W without R, with reserved bits 5–6: reads 0. Entry 5: locked R+W, reserved bits dropped.
        rig.write(CSR.pmpcfg0 + 1, 0x0000_e362)
        #expect(rig.read(CSR.pmpcfg0 + 1) == 0x0000_8300)
        rig.write(CSR.pmpcfg0 + 1, 0)
        #expect(rig.read(CSR.pmpcfg0 + 1) == 0x0000_8300, "a locked entry keeps its configuration")
        rig.write(CSR.pmpaddr0 + 5, 0x4444)
        #expect(rig.read(CSR.pmpaddr0 + 5) == 0, "a locked entry keeps its address")
        rig.write(CSR.pmpaddr0 + 6, 0x1234)
        rig.write(CSR.pmpcfg0 + 1, UInt32(0x80 | PMP.tor << 3 | 1) << 24)  // entry 7: locked TOR
        rig.write(CSR.pmpaddr0 + 6, 0x5678)
        #expect(rig.read(CSR.pmpaddr0 + 6) == 0x1234, "the lower bound of a locked TOR entry is frozen")
    }

    @Test("Triggers: execute, load and store address matches raise breakpoints before the access", arguments: EngineKind.allCases)
    func triggers(_ engine: EngineKind) {
        let program = [Asm.i(.addi, 5, 0, 1), Self.lw, Asm.s(.sw, 5, 8, 10), Asm.i(.addi, 6, 0, 2), Asm.ebreak]
        func rig(_ control: UInt32, _ address: UInt32, privilege: Privilege = .user) -> Rig {
            Rig(program, privilege: privilege) { r in
                r.write(CSR.tselect, 1)
                r.write(CSR.tdata2, address)
                r.write(CSR.tdata1, control)
            }
        }
        // Execute in U-mode at the third instruction: nothing of it happens.
        var r = rig(Triggers.execute | Triggers.u, Rig.code + 8)
        #expect(r.run(engine).map { [$0.cause, $0.tval, $0.epc] } == [3, Rig.code + 8, Rig.code + 8])
        #expect(r.m.memory.read32(Rig.data + 8) == 0)
        #expect(r.read(CSR.tdata1).map { $0 & Triggers.hit } == Triggers.hit)
        // A load trigger: the load does not happen.
        r = rig(Triggers.load | Triggers.u, Rig.data)
        r.m[register: 11] = 99
        #expect(r.run(engine).map { [$0.cause, $0.tval, $0.epc] } == [3, Rig.data, Rig.code + 4])
        #expect(r.m[register: 11] == 99)
        // A store trigger: memory is unchanged.
        r = rig(Triggers.store | Triggers.u, Rig.data + 8)
        #expect(r.run(engine).map { [$0.cause, $0.tval, $0.epc] } == [3, Rig.data + 8, Rig.code + 8])
        #expect(r.m.memory.read32(Rig.data + 8) == 0)
        // Only the modes the trigger names: an M-only trigger does not fire in U-mode.
        r = rig(Triggers.execute | Triggers.m, Rig.code + 8)
        #expect(r.run(engine)?.epc == Rig.code + 16)  // ran to the ebreak
        // In M-mode an action-0 trigger fires only while mstatus.MIE is set.
        r = rig(Triggers.execute | Triggers.m, Rig.code + 8, privilege: .machine)
        #expect(r.run(engine)?.epc == Rig.code + 16)
        r = rig(Triggers.execute | Triggers.m, Rig.code + 8, privilege: .machine)
        r.m.privileged.mstatus |= PrivilegedState.MIE
        #expect(r.run(engine).map { [$0.cause, $0.epc] } == [3, Rig.code + 8])
    }

    @Test("Trigger CSRs: tselect keeps implemented values, tdata1 keeps its type, tinfo names mcontrol")
    func triggerCSRs() {
        let rig = Rig([])
        #expect(rig.read(CSR.tinfo) == 4)
        rig.write(CSR.tselect, 7)
        #expect(rig.read(CSR.tselect) == 0)
        rig.write(CSR.tselect, 1)
        #expect(rig.read(CSR.tselect) == 1)
        rig.write(CSR.tdata1, 0xffff_ffff)
        #expect(rig.read(CSR.tdata1) == 2 << 28 | Triggers.load | Triggers.store | Triggers.execute | Triggers.u | Triggers.m | Triggers.hit)
        rig.write(CSR.tdata1, 0)
        #expect(rig.read(CSR.tdata1) == 2 << 28)
    }
}
