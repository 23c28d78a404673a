import RISCV
import RVMachine
import Testing

/// Machine.csr's rules on a hand-built bare M+U machine (`--priv mu`; no ELF, no devices).
/// The S-mode rules are in SupervisorTests.swift.
@Suite("Machine.csr rules")
struct CSRRuleTests {
    static let handler: UInt32 = 0x8000_0100
    static let pc: UInt32 = 0x8000_0040

    func machine(_ privilege: Privilege = .machine) -> Machine {
        let m = Machine(kind: .bare)
        m.hasSupervisor = false
        m.privileged.mtvec = CSRRuleTests.handler
        m.privileged.privilege = privilege
        m.cpu.pointee.privilege = privilege.rawValue
        m.pc = CSRRuleTests.pc
        return m
    }

    /// Runs one CSR instruction; returns the old value, or nil if it trapped.
    @discardableResult
    func run(_ m: Machine, _ op: Opcode, rd: UInt8 = 5, csr: UInt16, rs1: UInt8 = 0, value: UInt32 = 0, instret: UInt64 = 100) -> UInt32? {
        let inst = Asm.csr(op, rd, csr, rs1)
        let immediate = op == .csrrwi || op == .csrrsi || op == .csrrci
        let operand = immediate ? UInt32(rs1) : (rs1 == 0 ? 0 : value)
        guard let access = CSRAccess(inst, operand: operand) else { return nil }
        return m.csr(access, pc: CSRRuleTests.pc, word: encode(inst)!, instret: instret)
    }

    func expectIllegal(_ m: Machine, _ op: Opcode, csr: UInt16, rs1: UInt8 = 0, sourceLocation: SourceLocation = #_sourceLocation) {
        let inst = Asm.csr(op, 5, csr, rs1)
        m.pc = CSRRuleTests.pc
        #expect(run(m, op, csr: csr, rs1: rs1) == nil, sourceLocation: sourceLocation)
        #expect(m.privileged.mcause == 2, sourceLocation: sourceLocation)
        #expect(m.privileged.mtval == encode(inst)!, sourceLocation: sourceLocation)
        #expect(m.privileged.mepc == CSRRuleTests.pc, sourceLocation: sourceLocation)
        #expect(m.pc == CSRRuleTests.handler, sourceLocation: sourceLocation)
        #expect(m.privileged.privilege == .machine, sourceLocation: sourceLocation)
    }

    @Test("a write to a read-only CSR is an illegal instruction, whatever form it takes")
    func readOnlyWrites() {
        for number in [CSR.mvendorid, CSR.marchid, CSR.mimpid, CSR.mhartid, CSR.cycle, CSR.time, CSR.instret, CSR.instreth] {
            expectIllegal(machine(), .csrrw, csr: number)  // csrrw always writes, also from x0
            expectIllegal(machine(), .csrrwi, csr: number)  // uimm 0 too
            expectIllegal(machine(), .csrrs, csr: number, rs1: 6)  // rs1 != x0 writes, whatever its value
            expectIllegal(machine(), .csrrci, csr: number, rs1: 1)
        }
    }

    @Test("x0 rule: csrrs/csrrc with x0 and csrrsi/csrrci with 0 only read, so read-only CSRs allow them")
    func x0Rule() {
        let m = machine()
        for op in [Opcode.csrrs, .csrrc, .csrrsi, .csrrci] {
            #expect(run(m, op, csr: CSR.mhartid) == 0)
            #expect(run(m, op, csr: CSR.misa) == m.isa.misa)
        }
        #expect(m.privileged.mcause == 0 && m.pc == CSRRuleTests.pc)
        // On a writable CSR, the same forms leave it alone.
        m.privileged.mscratch = 0x55
        #expect(run(m, .csrrs, csr: CSR.mscratch) == 0x55)
        #expect(run(m, .csrrci, csr: CSR.mscratch) == 0x55)
        #expect(m.privileged.mscratch == 0x55)
        #expect(run(m, .csrrc, csr: CSR.mscratch, rs1: 7, value: 0x05) == 0x55)
        #expect(m.privileged.mscratch == 0x50)
        #expect(run(m, .csrrsi, csr: CSR.mscratch, rs1: 31) == 0x50)
        #expect(m.privileged.mscratch == 0x5f)
    }

    @Test("privilege: M-mode CSRs are illegal from U-mode; user counters follow mcounteren")
    func privilegeCheck() {
        for number in [CSR.mstatus, CSR.mscratch, CSR.misa, CSR.mhartid, CSR.mcycle, CSR.mcounteren] {
            let m = machine(.user)
            expectIllegal(m, .csrrs, csr: number)
            #expect(m.privileged.mstatus & PrivilegedState.MPPMask == 0)  // trapped from U
        }
        for bit in 0..<3 {
            let counter = CSR.cycle + UInt16(bit)
            expectIllegal(machine(.user), .csrrs, csr: counter)
            let m = machine(.user)
            m.privileged.mcounteren = 1 << UInt32(bit)
            #expect(run(m, .csrrs, csr: counter) != nil)
            #expect(run(m, .csrrs, csr: counter + 0x80) != nil)  // the high half follows the same bit
        }
        // M-mode reads them whatever mcounteren says.
        #expect(run(machine(), .csrrs, csr: CSR.instret, instret: 42) == 42)
        // mret is illegal below M-mode.
        let m = machine(.user)
        m.mret(pc: CSRRuleTests.pc, word: 0x3020_0073)
        #expect(m.privileged.mcause == 2 && m.privileged.mtval == 0x3020_0073 && m.pc == CSRRuleTests.handler)
    }

    @Test("mstatus.MPP is WARL: only U and M stick; S-mode fields read as zero")
    func warlMPP() {
        let m = machine()
        for (written, read) in [(UInt32(0), UInt32(0)), (1, 0), (2, 0), (3, 3)] {
            run(m, .csrrw, csr: CSR.mstatus, rs1: 6, value: written << 11)
            #expect(run(m, .csrrs, csr: CSR.mstatus)! >> 11 & 3 == read)
        }
        // Built up from two csrs halves: 1 alone is U, adding 2 makes M.
        run(m, .csrrw, csr: CSR.mstatus, rs1: 6, value: 0)
        run(m, .csrrs, csr: CSR.mstatus, rs1: 6, value: 1 << 11)
        #expect(m.privileged.mstatus & PrivilegedState.MPPMask == 0)
        run(m, .csrrs, csr: CSR.mstatus, rs1: 6, value: 3 << 11)
        #expect(m.privileged.mstatus & PrivilegedState.MPPMask == PrivilegedState.MPPMask)
        // SIE, SPIE, SPP, SUM, MXR, TVM, TSR: read-only zero without S-mode.
        run(m, .csrrw, csr: CSR.mstatus, rs1: 6, value: 0xffff_ffff)
        // FS is writable (F is implemented); Dirty sets SD.
        #expect(run(m, .csrrs, csr: CSR.mstatus)! == PrivilegedState.MIE | PrivilegedState.MPIE | PrivilegedState.MPPMask
            | PrivilegedState.FSMask | PrivilegedState.SD)
    }

    @Test("mstatus.FS: bare metal starts Off (F/D instructions and CSRs illegal), Initial stays until an FP write makes it Dirty with SD")
    func floatingPointStatus() {
        let m = machine()
        #expect(run(m, .csrrs, csr: CSR.mstatus)! & PrivilegedState.FSMask == 0)
        #expect(run(m, .csrrs, csr: CSR.fcsr) == nil)  // FS Off: illegal
        run(m, .csrrs, csr: CSR.mstatus, rs1: 6, value: 1 << 13)  // Initial
        #expect(run(m, .csrrs, csr: CSR.fcsr) == 0)
        #expect(run(m, .csrrs, csr: CSR.mstatus)! & (PrivilegedState.FSMask | PrivilegedState.SD) == 1 << 13)
        #expect(run(m, .csrrw, csr: CSR.frm, rs1: 6, value: 0xff) == 0)  // frm keeps 3 bits
        #expect(run(m, .csrrs, csr: CSR.fcsr) == 7 << 5)
        #expect(run(m, .csrrs, csr: CSR.mstatus)! & (PrivilegedState.FSMask | PrivilegedState.SD) == PrivilegedState.FSMask | PrivilegedState.SD)
        #expect(run(m, .csrrs, csr: CSR.fflags, rs1: 6, value: 0xff) == 0)  // fflags keeps 5 bits
        #expect(run(m, .csrrs, csr: CSR.fcsr) == 0xff)
        #expect(run(m, .csrrw, csr: CSR.fcsr, rs1: 6, value: 0xffff_ff21) == 0xff)
        #expect(run(m, .csrrs, csr: CSR.frm) == 1)
        #expect(run(m, .csrrs, csr: CSR.fflags) == 1)
        // Off again: illegal again.
        run(m, .csrrc, csr: CSR.mstatus, rs1: 6, value: PrivilegedState.FSMask)
        #expect(run(m, .csrrs, csr: CSR.frm) == nil)
    }

    @Test("misa, medeleg and mideleg ignore writes without a trap; mepc drops bit 0 (and bit 1 without C); mie keeps MSIE and MTIE")
    func warlRegisters() {
        let m = machine()
        // misa names exactly the enabled extensions: RV32 (MXL 1), I, M, A, F, D, C, B (Zba + Zbb + Zbs) and U.
        #expect(run(m, .csrrs, csr: CSR.misa) == 0x4010_112f)
        #expect(run(m, .csrrw, csr: CSR.misa, rs1: 6, value: 0) == m.isa.misa)
        #expect(run(m, .csrrs, csr: CSR.misa) == m.isa.misa)
        run(m, .csrrw, csr: CSR.mepc, rs1: 6, value: 0x8000_0007)
        #expect(run(m, .csrrs, csr: CSR.mepc) == 0x8000_0006)
        m.isa = .rv32i
        #expect(run(m, .csrrs, csr: CSR.misa) == 0x4010_0100)
        for number in [CSR.medeleg, CSR.mideleg] {
            #expect(run(m, .csrrw, csr: number, rs1: 6, value: 0xffff) == 0)
            #expect(run(m, .csrrs, csr: number) == 0)
        }
        run(m, .csrrw, csr: CSR.mepc, rs1: 6, value: 0x8000_0007)
        #expect(run(m, .csrrs, csr: CSR.mepc) == 0x8000_0004)
        run(m, .csrrw, csr: CSR.mie, rs1: 6, value: 0xffff_ffff)
        #expect(run(m, .csrrs, csr: CSR.mie) == PrivilegedState.MTIP | PrivilegedState.MSIP)
        #expect(m.privileged.mcause == 0)
    }

    @Test("a write to minstret or mcycle replaces the writing instruction's increment")
    func counterWrites() {
        let m = machine()
        // csrw minstret, 1000 at instruction count 100; the next instruction (count 101) reads 1000.
        run(m, .csrrw, rd: 0, csr: CSR.minstret, rs1: 6, value: 1000, instret: 100)
        #expect(run(m, .csrrs, csr: CSR.minstret, instret: 101) == 1000)
        #expect(run(m, .csrrs, csr: CSR.instret, instret: 105) == 1004)
        run(m, .csrrw, rd: 0, csr: CSR.minstreth, rs1: 6, value: 2, instret: 200)
        #expect(run(m, .csrrs, csr: CSR.minstreth, instret: 201) == 2)
        run(m, .csrrw, rd: 0, csr: CSR.mcycle, rs1: 6, value: 0xffff_ffff, instret: 300)
        #expect(run(m, .csrrs, csr: CSR.mcycle, instret: 301) == 0xffff_ffff)
        #expect(run(m, .csrrs, csr: CSR.cycle, instret: 302) == 0)  // carried into mcycleh
        #expect(run(m, .csrrs, csr: CSR.cycleh, instret: 302) == 1)
    }

    @Test("unknown CSRs are illegal")
    func unknown() {
        for number: UInt16 in [0x7c0, 0x105, 0x180, 0x003, 0x800] {
            expectIllegal(machine(), .csrrs, csr: number)
        }
    }

    @Test("trap entry and mret move MIE, MPIE and MPP as the spec says")
    func trapAndMret() {
        let m = machine(.user)
        m.privileged.mstatus = PrivilegedState.MIE
        m.takeTrap(cause: 8, interrupt: false, pc: 0x8000_2000, value: 0)
        #expect(m.privileged.mstatus == PrivilegedState.MPIE)  // MIE -> MPIE, MPP = U
        #expect(m.privileged.privilege == .machine && m.pc == CSRRuleTests.handler)
        m.privileged.mepc = 0x8000_2004
        m.mret(pc: CSRRuleTests.handler, word: 0x3020_0073)
        #expect(m.privileged.privilege == .user && m.pc == 0x8000_2004)
        #expect(m.privileged.mstatus == PrivilegedState.MIE | PrivilegedState.MPIE)
        // Vectored: interrupts go to BASE + 4 * cause, exceptions to BASE.
        m.privileged.mtvec = 0x8000_0401
        m.takeTrap(cause: 7, interrupt: true, pc: 0x8000_2008, value: 0)
        #expect(m.pc == 0x8000_041c && m.privileged.mcause == 0x8000_0007)
        #expect(m.privileged.mstatus & PrivilegedState.MPPMask == 0)
    }
}
