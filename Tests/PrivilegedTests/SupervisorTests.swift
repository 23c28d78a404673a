import RISCV
import RVMachine
import Testing

/// Sv32 and the supervisor rules on a hand-built bare machine with S-mode (no ELF). The guest
/// programs smode-csr, smode-vm, smode-straddle and svkernel check the same under both engines,
/// both policies and QEMU (BareProgramTests).
@Suite("Supervisor mode and Sv32")
struct SupervisorTests {
    static let root: UInt32 = 0x8010_0000
    static let table: UInt32 = 0x8010_1000
    static let page: UInt32 = 0x8010_2000
    static let pc: UInt32 = 0x8000_0000

    /// S-mode, Sv32 on (ASID 1): 0x40000000 → `page` (R W, A and D clear, through `table`),
    /// 0x80000000 → itself (a global superpage, R W X), 0xc0400000 → a misaligned superpage,
    /// 0x40001000 → W only (reserved), 0x40002000 → a user page.
    func machine() -> Machine {
        let m = Machine(kind: .bare)
        m.memory.map(0x8000_0000, length: UInt32(1 << 21), perms: PageFlag.rwx)
        func pte(_ address: UInt32, _ flags: UInt8) -> UInt32 { (address >> 12) << 10 | UInt32(flags) }
        m.memory.write32(Self.root + 0x200 * 4, pte(0x8000_0000, Sv32.V | Sv32.R | Sv32.W | Sv32.X | Sv32.G | Sv32.A | Sv32.D))
        m.memory.write32(Self.root + 0x100 * 4, pte(Self.table, Sv32.V))
        m.memory.write32(Self.root + 0x301 * 4, pte(0x8000_1000, Sv32.V | Sv32.R | Sv32.A))
        m.memory.write32(Self.table, pte(Self.page, Sv32.V | Sv32.R | Sv32.W))
        m.memory.write32(Self.table + 4, pte(Self.page, Sv32.V | Sv32.W))
        m.memory.write32(Self.table + 8, pte(Self.page, Sv32.V | Sv32.R | Sv32.U | Sv32.A))
        m.privileged.satp = 1 << 31 | 1 << 22 | Self.root >> 12
        m.privileged.mtvec = 0x8000_0100
        enter(m, .supervisor)
        return m
    }

    func enter(_ m: Machine, _ privilege: Privilege) {
        m.privileged.privilege = privilege
        m.cpu.pointee.privilege = privilege.rawValue
    }

    /// Translates and returns the physical address, or the cause and tval of the trap taken
    /// (then back in S-mode).
    func translate(_ m: Machine, _ va: UInt32, _ kind: AccessKind) -> Result<UInt32, Trap> {
        if let pa = m.translate(va, kind, pc: Self.pc) { return .success(pa) }
        let trap = Trap(TrapCause(rawValue: m.privileged.mcause) ?? .illegalInstruction, pc: m.privileged.mepc, value: m.privileged.mtval)
        enter(m, .supervisor)
        return .failure(trap)
    }

    @Test("a 4 KiB page and a superpage; the walker sets A on a load and D on a store")
    func walk() {
        let m = machine()
        #expect(translate(m, 0x4000_0123, .load) == .success(Self.page + 0x123))
        #expect(m.memory.read32(Self.table) & 0xc0 == UInt32(Sv32.A))
        #expect(translate(m, 0x4000_0ffc, .store) == .success(Self.page + 0xffc))
        #expect(m.memory.read32(Self.table) & 0xc0 == UInt32(Sv32.A | Sv32.D))
        #expect(translate(m, 0x8012_3456, .fetch) == .success(0x8012_3456))
        #expect(m.pageWalks == 3)  // the store walked again: the load's entry had no D
        #expect(translate(m, 0x8012_3000, .load) == .success(0x8012_3000))
        #expect(m.tlb.hits >= 1)
    }

    @Test("page faults carry the cause and the virtual address")
    func faults() {
        let m = machine()
        #expect(translate(m, 0x4000_3004, .load) == .failure(Trap(.loadPageFault, pc: Self.pc, value: 0x4000_3004)))  // invalid
        #expect(translate(m, 0x4000_1000, .store) == .failure(Trap(.storePageFault, pc: Self.pc, value: 0x4000_1000)))  // W only
        #expect(translate(m, 0xc040_0000, .load) == .failure(Trap(.loadPageFault, pc: Self.pc, value: 0xc040_0000)))  // misaligned
        #expect(translate(m, 0x4000_0000, .fetch) == .failure(Trap(.fetchPageFault, pc: Self.pc, value: 0x4000_0000)))  // no X
        #expect(translate(m, 0x4000_2000, .load) == .failure(Trap(.loadPageFault, pc: Self.pc, value: 0x4000_2000)))  // U page
        m.privileged.mstatus |= PrivilegedState.SUM
        #expect(translate(m, 0x4000_2000, .load) == .success(Self.page))
        #expect(translate(m, 0x4000_2000, .fetch) == .failure(Trap(.fetchPageFault, pc: Self.pc, value: 0x4000_2000)))
        enter(m, .user)
        #expect(translate(m, 0x4000_2000, .load) == .success(Self.page))
        #expect(m.translate(0x8000_0000, .load, pc: Self.pc) == nil)  // a supervisor page from U
        #expect(m.privileged.mcause == TrapCause.loadPageFault.rawValue)
    }

    @Test("page tables outside memory, or beyond 32 bits, are access faults, not host crashes")
    func hostileTables() {
        let m = machine()
        m.privileged.satp = 1 << 31 | 0x3f_ffff  // root at 0x3_ffff_f000: beyond the 4 GiB the machine has
        #expect(translate(m, 0x1234_5678, .load) == .failure(Trap(.loadAccess, pc: Self.pc, value: 0x1234_5678)))
        m.privileged.satp = 1 << 31 | 0x0_0040  // root at 0x40000: nothing mapped there
        #expect(translate(m, 0x1234_5678, .store) == .failure(Trap(.storeAccess, pc: Self.pc, value: 0x1234_5678)))
        m.privileged.satp = 1 << 31 | Self.root >> 12
        // a leaf whose page number is beyond 32 bits
        m.memory.write32(Self.table + 12, 0xffff_fc00 | UInt32(Sv32.V | Sv32.R | Sv32.A))
        #expect(translate(m, 0x4000_3000, .load) == .failure(Trap(.loadAccess, pc: Self.pc, value: 0x4000_3000)))
    }

    @Test("sfence.vma: by address (a superpage's every page), by ASID (global entries stay), all")
    func fences() {
        let m = machine()
        #expect(translate(m, 0x4000_0000, .load) == .success(Self.page))
        #expect(translate(m, 0x8000_5000, .load) == .success(0x8000_5000))
        #expect(translate(m, 0x8030_1000, .load) == .success(0x8030_1000))
        // Change both mappings behind the TLB's back: cached entries still answer.
        m.memory.write32(Self.table, ((Self.page + 0x1000) >> 12) << 10 | UInt32(Sv32.V | Sv32.R | Sv32.W | Sv32.A | Sv32.D))
        m.memory.write32(Self.root + 0x200 * 4, (0x8040_0000 >> 12) << 10 | UInt32(Sv32.V | Sv32.R | Sv32.G | Sv32.A))
        #expect(translate(m, 0x4000_0000, .load) == .success(Self.page))
        #expect(translate(m, 0x8000_5000, .load) == .success(0x8000_5000))
        // By ASID: the global superpage's entries stay, the page's goes.
        #expect(m.sfenceVMA(address: nil, asid: 1, pc: Self.pc, word: 0))
        #expect(translate(m, 0x4000_0000, .load) == .success(Self.page + 0x1000))
        #expect(translate(m, 0x8000_5000, .load) == .success(0x8000_5000))
        // By an address in the superpage: both of its cached pages go.
        #expect(m.sfenceVMA(address: 0x8000_0000, asid: nil, pc: Self.pc, word: 0))
        #expect(translate(m, 0x8000_5000, .load) == .success(0x8040_5000))
        #expect(translate(m, 0x8030_1000, .load) == .success(0x8070_1000))
    }

    @Test("sret, sfence.vma and wfi: where they are legal (TSR, TVM, TW, U-mode, an M+U hart)")
    func legality() {
        let m = machine()
        #expect(m.sretIsLegal && m.sfenceIsLegal && m.wfiIsLegal)
        m.privileged.mstatus |= PrivilegedState.TSR | PrivilegedState.TVM | PrivilegedState.TW
        #expect(!m.sretIsLegal && !m.sfenceIsLegal && !m.wfiIsLegal)
        enter(m, .machine)
        #expect(m.sretIsLegal && m.sfenceIsLegal && m.wfiIsLegal)
        m.privileged.mstatus = 0
        enter(m, .user)
        #expect(!m.sretIsLegal && !m.sfenceIsLegal && !m.wfiIsLegal)
        m.hasSupervisor = false
        #expect(m.wfiIsLegal)
        enter(m, .machine)
        #expect(!m.sretIsLegal && !m.sfenceIsLegal)
    }
}
