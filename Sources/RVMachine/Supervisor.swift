import RISCV

/// Supervisor mode: the S-level CSRs (`sstatus`, `sie` and `sip` are views of `mstatus`, `mie`
/// and `mip`), `sret`, `sfence.vma`, and the `mstatus` bits that restrict S-mode (TVM, TW, TSR).
/// Trap delegation is in `takeTrap`, interrupt priorities in `takePendingInterrupt`, address
/// translation in `Sv32.swift`.
extension Machine {
    /// `misa` bit of S (supervisor mode exists).
    static let misaS: UInt32 = 1 << 18

    /// A Zicsr access to an S-level CSR (0x100–0x1ff), already allowed by privilege.
    func supervisorCSR(_ access: CSRAccess, pc: UInt32, word: UInt32, instret: UInt64) -> UInt32? {
        let number = access.number
        var p = privileged
        let illegal = { () -> UInt32? in
            self.raise(Trap(.illegalInstruction, pc: pc, value: word))
            return nil
        }
        let old: UInt32
        switch number {
        case CSR.sstatus:
            let fs = cpu.pointee.fs & 3
            old = p.mstatus & PrivilegedState.sstatusMask | fs << PrivilegedState.FSShift | (fs == 3 ? PrivilegedState.SD : 0)
        case CSR.sie: old = p.mie & p.mideleg
        case CSR.sip: old = pendingInterrupts(at: instret) & p.mideleg
        case CSR.stvec: old = p.stvec
        case CSR.scounteren: old = p.scounteren
        case CSR.sscratch: old = p.sscratch
        case CSR.sepc: old = p.sepc
        case CSR.scause: old = p.scause
        case CSR.stval: old = p.stval
        case CSR.satp:
            // TVM: S-mode may not touch address translation (a hypervisor-style monitor traps it).
            if p.privilege == .supervisor && p.mstatus & PrivilegedState.TVM != 0 { return illegal() }
            old = p.satp
        default: return illegal()
        }
        guard access.writes else { return old }
        let new = access.newValue(old)
        switch number {
        case CSR.sstatus:
            p.mstatus = p.mstatus & ~PrivilegedState.sstatusMask | new & PrivilegedState.sstatusMask
            if isa.contains(.f) { cpu.pointee.fs = (new & PrivilegedState.FSMask) >> PrivilegedState.FSShift }
        case CSR.sie: p.mie = p.mie & ~p.mideleg | new & p.mideleg
        case CSR.sip:
            // Only SSIP is writable from S-mode, and only when delegated.
            let writable = PrivilegedState.SSIP & p.mideleg
            p.mipSoftware = p.mipSoftware & ~writable | new & writable
        case CSR.stvec: p.stvec = new & ~UInt32(2)
        case CSR.scounteren: p.scounteren = new & 7
        case CSR.sscratch: p.sscratch = new
        case CSR.sepc: p.sepc = new & ~(isa.instructionAlignment &- 1)
        case CSR.scause: p.scause = new
        case CSR.stval: p.stval = new
        case CSR.satp: p.satp = new  // Sv32 or Bare; every ASID bit is implemented
        default: break
        }
        privileged = p
        if number == CSR.satp || number == CSR.sstatus { addressTranslationChanged(after: instret) }
        if Machine.csrWriteEndsBlock(number) { recheckInterrupts(after: instret) }
        return old
    }

    /// Whether `sret` may run now: in M-mode, and in S-mode unless TSR is set.
    public var sretIsLegal: Bool {
        guard hasSupervisor else { return false }
        switch privileged.privilege {
        case .machine: return true
        case .supervisor: return privileged.mstatus & PrivilegedState.TSR == 0
        case .user: return false
        }
    }

    /// `sret` at `pc`: returns to the mode in SPP with SIE restored. Illegal where not allowed.
    public func sret(pc: UInt32, word: UInt32) {
        guard sretIsLegal else {
            raise(Trap(.illegalInstruction, pc: pc, value: word))
            return
        }
        var p = privileged
        let from = p.privilege
        p.privilege = p.mstatus & PrivilegedState.SPP != 0 ? .supervisor : .user
        if p.mstatus & PrivilegedState.SPIE != 0 { p.mstatus |= PrivilegedState.SIE } else { p.mstatus &= ~PrivilegedState.SIE }
        p.mstatus |= PrivilegedState.SPIE
        p.mstatus &= ~PrivilegedState.SPP
        p.mstatus &= ~PrivilegedState.MPRV  // the new mode is below M
        privileged = p
        cpu.pointee.privilege = p.privilege.rawValue
        cpu.pointee.pc = p.sepc
        if from != p.privilege { privilegeChanged() }
        addressTranslationChanged(after: nil)
        cpu.pointee.limit = min(cpu.pointee.limit, cpu.pointee.instret)
    }

    /// Whether `sfence.vma` may run now: in M-mode, and in S-mode unless TVM is set.
    public var sfenceIsLegal: Bool {
        guard hasSupervisor else { return false }
        switch privileged.privilege {
        case .machine: return true
        case .supervisor: return privileged.mstatus & PrivilegedState.TVM == 0
        case .user: return false
        }
    }

    /// `sfence.vma rs1, rs2` at `pc` (`address` and `asid` nil when the register is x0). False
    /// after raising the illegal-instruction trap. The TLB drops the fenced entries, and the code
    /// observer (the JIT) the blocks it fetched through them.
    @discardableResult
    public func sfenceVMA(address: UInt32?, asid: UInt32?, pc: UInt32, word: UInt32) -> Bool {
        guard sfenceIsLegal else {
            raise(Trap(.illegalInstruction, pc: pc, value: word))
            return false
        }
        let space = asid.map { UInt16(truncatingIfNeeded: $0 & 0x1ff) }
        tlb.flush(address: address, asid: space)
        codeObserver?.translationFenced(self, address: address, asid: space)
        return true
    }

    /// Whether `wfi` may run now: M-mode always; S-mode unless TW is set; U-mode only on a
    /// machine without S-mode (with S-mode it traps, as QEMU's does, there being no time limit).
    public var wfiIsLegal: Bool {
        switch privileged.privilege {
        case .machine: return true
        case .supervisor: return privileged.mstatus & PrivilegedState.TW == 0
        case .user: return !hasSupervisor && privileged.mstatus & PrivilegedState.TW == 0
        }
    }
}
