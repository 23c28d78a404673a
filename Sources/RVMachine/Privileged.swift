import RISCV

/// Privilege levels of an M+S+U machine.
public enum Privilege: UInt32, Sendable {
    case user = 0
    case supervisor = 1
    case machine = 3
}

/// Machine- and supervisor-mode CSR state. Counters are not stored: they are derived from the
/// instruction count. `sstatus`, `sie` and `sip` are views of `mstatus`, `mie` and `mip`.
public struct PrivilegedState: Sendable {
    public var privilege: Privilege = .user
    public var mstatus: UInt32 = 0
    public var mtvec: UInt32 = 0
    public var mepc: UInt32 = 0
    public var mcause: UInt32 = 0
    public var mtval: UInt32 = 0
    public var mscratch: UInt32 = 0
    public var mie: UInt32 = 0
    /// Software-writable pending bits; MTIP is computed from the CLINT.
    public var mipSoftware: UInt32 = 0
    public var mcounteren: UInt32 = 0
    /// `mcycle`/`minstret` as written by the guest, minus the instruction count at the write.
    public var cycleOffset: UInt64 = 0
    public var instretOffset: UInt64 = 0
    /// Guest clock ticks skipped by `wfi` while waiting for the timer.
    public var idleTicks: UInt64 = 0
    // Delegation and supervisor mode (see Supervisor.swift).
    public var medeleg: UInt32 = 0
    public var mideleg: UInt32 = 0
    public var stvec: UInt32 = 0
    public var sscratch: UInt32 = 0
    public var sepc: UInt32 = 0
    public var scause: UInt32 = 0
    public var stval: UInt32 = 0
    public var satp: UInt32 = 0
    public var scounteren: UInt32 = 0

    public init() {}

    public static let MIE: UInt32 = 1 << 3
    public static let MPIE: UInt32 = 1 << 7
    public static let MPPShift: UInt32 = 11
    public static let MPPMask: UInt32 = 3 << 11
    /// `mstatus.FS` (bits 14:13) and `SD` (bit 31, set when FS is Dirty).
    public static let FSShift: UInt32 = 13
    public static let FSMask: UInt32 = 3 << 13
    public static let SD: UInt32 = 1 << 31
    public static let MTIP: UInt32 = 1 << 7
    public static let MSIP: UInt32 = 1 << 3
    public static let STIP: UInt32 = 1 << 5
    public static let SSIP: UInt32 = 1 << 1
    public static let SIE: UInt32 = 1 << 1
    public static let SPIE: UInt32 = 1 << 5
    public static let SPP: UInt32 = 1 << 8
    public static let MPRV: UInt32 = 1 << 17
    public static let SUM: UInt32 = 1 << 18
    public static let MXR: UInt32 = 1 << 19
    public static let TVM: UInt32 = 1 << 20
    public static let TW: UInt32 = 1 << 21
    public static let TSR: UInt32 = 1 << 22
    /// The `mstatus` bits the guest can write (FS travels in `CPUState.fs`).
    public static let mstatusWritable: UInt32 = MIE | MPIE | MPPMask | SIE | SPIE | SPP | MPRV | SUM | MXR | TVM | TW | TSR
    /// ... on an M+U hart (`--priv mu`).
    public static let mstatusWritableMU: UInt32 = MIE | MPIE | MPPMask
    /// The `mstatus` bits `sstatus` shows (FS and SD are added from `CPUState.fs`).
    public static let sstatusMask: UInt32 = SIE | SPIE | SPP | SUM | MXR
    /// Interrupts: the bits of `mie`/`mip` that exist (machine and supervisor software and timer).
    public static let interruptMask: UInt32 = MSIP | MTIP | SSIP | STIP
    /// Interrupts M-mode may delegate, and those whose `mip` bit M-mode may write.
    public static let delegableInterrupts: UInt32 = SSIP | STIP
    /// Exceptions M-mode may delegate: all but ecall from M (11) and the reserved 10 and 14.
    public static let delegableExceptions: UInt32 = 0xB3FF
}

/// Which CSR instruction and what it asks for. `writes` is false for csrrs/csrrc whose source
/// is x0 (or a zero uimm): such an access only reads, so it is legal on a read-only CSR.
public struct CSRAccess: Sendable {
    public var number: UInt16
    public var operation: CSROp
    public var operand: UInt32
    public var writes: Bool

    public init(number: UInt16, operation: CSROp, operand: UInt32, sourceIsZero: Bool) {
        self.number = number
        self.operation = operation
        self.operand = operand
        writes = operation == .write || !sourceIsZero
    }

    /// The access a Zicsr instruction makes; `operand` is rs1's value (or the uimm). Nil for
    /// an instruction of another family.
    public init?(_ inst: Instruction, operand: UInt32) {
        guard case .csr(let op, _) = inst.family else { return nil }
        self.init(number: inst.csr, operation: op, operand: operand, sourceIsZero: inst.rs1 == 0)
    }

    /// The value to write, given the CSR's old value.
    @inlinable
    public func newValue(_ old: UInt32) -> UInt32 { operation.newValue(old: old, operand: operand) }
}

extension Machine {
    // MARK: Counters

    /// The guest's cycle count: one cycle per instruction, as the spec allows.
    public func cycleCount(at instret: UInt64) -> UInt64 { instret &- privileged.cycleOffset }

    /// The guest clock (`time`, CLINT `mtime`): a tick per 10 instructions plus ticks skipped in `wfi`
    /// when deterministic; otherwise the host's monotonic clock at 10 MHz.
    public func mtime(at instret: UInt64) -> UInt64 {
        if deterministic { return instret / 10 &+ privileged.idleTicks }
        return HostClock.ticks10MHz() &+ privileged.idleTicks
    }

    /// Sensitive counter reads as a machine without a translator would answer them: the host's
    /// own cycle counter and clock leak through (see `--privileged trap`).
    public func hostCounter(_ number: UInt16) -> UInt32 {
        let value: UInt64
        switch number & 0x7f {
        case 0x01: value = HostClock.ticks10MHz()
        default: value = HostClock.cycles()
        }
        return number & 0x80 != 0 ? UInt32(truncatingIfNeeded: value >> 32) : UInt32(truncatingIfNeeded: value)
    }

    // MARK: CSR instructions

    /// Carries out a Zicsr instruction at `pc` with the instruction count `instret` (exact,
    /// also in the middle of a translated block). Returns the old value for `rd`, or nil after
    /// raising an illegal-instruction trap. `virtualizeCounters` false answers counter reads
    /// with host values (a trap-and-emulate monitor never sees them).
    public func csr(_ access: CSRAccess, pc: UInt32, word: UInt32, instret: UInt64, virtualizeCounters: Bool = true) -> UInt32? {
        let number = access.number
        let required = UInt32((number >> 8) & 3)
        let readOnly = (number >> 10) & 3 == 3
        let illegal = { () -> UInt32? in
            self.raise(Trap(.illegalInstruction, pc: pc, value: word))
            return nil
        }
        if privileged.privilege.rawValue < required { return illegal() }
        if readOnly && access.writes { return illegal() }

        // User-level counters: gated by mcounteren outside M-mode (Linux lets user code read them).
        if number >= CSR.cycle && number <= CSR.instret || number >= CSR.cycleh && number <= CSR.instreth {
            let bit = UInt32(number & 0x1f)
            if kind == .bare && privileged.privilege != .machine && privileged.mcounteren & (1 << bit) == 0 {
                return illegal()
            }
            if kind == .bare && hasSupervisor && privileged.privilege == .user && privileged.scounteren & (1 << bit) == 0 {
                return illegal()
            }
            // Under `trap`, a read that runs natively (see `counterReadRunsNatively`) shows the
            // host's cycle counter and clock. instret stays the guest's count: the hart retires
            // the guest's own instructions, and the monitor, emulating the trapped `minstret`
            // writes from M-mode, keeps the hardware counter in step with them.
            if !virtualizeCounters && bit != 2 && counterReadRunsNatively(number) { return hostCounter(number) }
            let value: UInt64
            switch bit {
            case 0: value = cycleCount(at: instret)
            case 1: value = mtime(at: instret)
            default: value = instret &- privileged.instretOffset
            }
            return number >= CSR.cycleh ? UInt32(truncatingIfNeeded: value >> 32) : UInt32(truncatingIfNeeded: value)
        }
        // F/D: fflags, frm, fcsr, in every mode, while mstatus.FS is not Off.
        if number >= CSR.fflags && number <= CSR.fcsr {
            guard isa.contains(.f), cpu.pointee.fs != 0 else { return illegal() }
            let fcsr = cpu.pointee.fcsr
            let old: UInt32 = number == CSR.fflags ? fcsr & 0x1f : number == CSR.frm ? (fcsr >> 5) & 7 : fcsr & 0xff
            guard access.writes else { return old }
            let new = access.newValue(old)
            switch number {
            case CSR.fflags: cpu.pointee.fcsr = (fcsr & ~0x1f) | (new & 0x1f)
            case CSR.frm: cpu.pointee.fcsr = (fcsr & ~0xe0) | (new & 7) << 5
            default: cpu.pointee.fcsr = new & 0xff
            }
            cpu.pointee.fs = 3
            return old
        }
        guard kind == .bare else { return illegal() }
        if number >= 0x100 && number < 0x200 {
            guard hasSupervisor else { return illegal() }
            return supervisorCSR(access, pc: pc, word: word, instret: instret)
        }

        var p = privileged
        let old: UInt32
        switch number {
        case CSR.mstatus:
            let fs = cpu.pointee.fs & 3
            old = p.mstatus | fs << PrivilegedState.FSShift | (fs == 3 ? PrivilegedState.SD : 0)
        case CSR.misa: old = isa.misa | (hasSupervisor ? Machine.misaS : 0)
        case CSR.medeleg: old = p.medeleg
        case CSR.mideleg: old = p.mideleg
        case CSR.mstatush: old = 0
        case CSR.mie: old = p.mie
        case CSR.mip: old = pendingInterrupts(at: instret)
        case CSR.mtvec: old = p.mtvec
        case CSR.mcounteren: old = p.mcounteren
        case CSR.mscratch: old = p.mscratch
        case CSR.mepc: old = p.mepc
        case CSR.mcause: old = p.mcause
        case CSR.mtval: old = p.mtval
        case CSR.mcycle: old = UInt32(truncatingIfNeeded: cycleCount(at: instret))
        case CSR.mcycleh: old = UInt32(truncatingIfNeeded: cycleCount(at: instret) >> 32)
        case CSR.minstret: old = UInt32(truncatingIfNeeded: instret &- p.instretOffset)
        case CSR.minstreth: old = UInt32(truncatingIfNeeded: (instret &- p.instretOffset) >> 32)
        case CSR.mvendorid, CSR.marchid, CSR.mimpid, CSR.mhartid: old = 0
        case CSR.pmpcfg0..<(CSR.pmpcfg0 + 4): old = pmp.readConfig(Int(number - CSR.pmpcfg0))
        case CSR.pmpaddr0..<(CSR.pmpaddr0 + UInt16(PMP.count)): old = pmp.addr[Int(number - CSR.pmpaddr0)]
        case CSR.tselect...CSR.tinfo: old = triggers.read(number)
        default: return illegal()
        }
        guard access.writes else { return old }
        let new = access.newValue(old)
        switch number {
        case CSR.mstatus:
            var v = new & (hasSupervisor ? PrivilegedState.mstatusWritable : PrivilegedState.mstatusWritableMU)
            // MPP is WARL: U (0), S (1, with S-mode) and M (3) exist; anything else reads back as U.
            let mpp = (v & PrivilegedState.MPPMask) >> PrivilegedState.MPPShift
            if mpp == 2 || mpp == 1 && !hasSupervisor { v &= ~PrivilegedState.MPPMask }
            p.mstatus = v
            if isa.contains(.f) { cpu.pointee.fs = (new & PrivilegedState.FSMask) >> PrivilegedState.FSShift }
        case CSR.mie: p.mie = new & (hasSupervisor ? PrivilegedState.interruptMask : PrivilegedState.MSIP | PrivilegedState.MTIP)
        // MSIP comes from the CLINT's msip and MTIP from its timer; SSIP and STIP are M-mode's to set.
        case CSR.mip: p.mipSoftware = hasSupervisor ? new & PrivilegedState.delegableInterrupts : 0
        case CSR.medeleg: p.medeleg = hasSupervisor ? new & PrivilegedState.delegableExceptions : 0
        case CSR.mideleg: p.mideleg = hasSupervisor ? new & PrivilegedState.delegableInterrupts : 0
        case CSR.mtvec: p.mtvec = new & ~UInt32(2)  // modes 0 (direct) and 1 (vectored)
        case CSR.mcounteren: p.mcounteren = new & 7
        case CSR.mscratch: p.mscratch = new
        case CSR.mepc: p.mepc = new & ~(isa.instructionAlignment &- 1)  // IALIGN: bit 0 only with C
        case CSR.mcause: p.mcause = new
        case CSR.mtval: p.mtval = new
        case CSR.mcycle:
            // The write takes effect for the next instruction: count this one as already done.
            let cur = cycleCount(at: instret &+ 1)
            p.cycleOffset = (instret &+ 1) &- ((cur & 0xffff_ffff_0000_0000) | UInt64(new))
        case CSR.mcycleh:
            let cur = cycleCount(at: instret &+ 1)
            p.cycleOffset = (instret &+ 1) &- ((cur & 0xffff_ffff) | UInt64(new) << 32)
        case CSR.minstret:
            let cur = (instret &+ 1) &- p.instretOffset
            p.instretOffset = (instret &+ 1) &- ((cur & 0xffff_ffff_0000_0000) | UInt64(new))
        case CSR.minstreth:
            let cur = (instret &+ 1) &- p.instretOffset
            p.instretOffset = (instret &+ 1) &- ((cur & 0xffff_ffff) | UInt64(new) << 32)
        case CSR.pmpcfg0..<(CSR.pmpcfg0 + 4): pmp.writeConfig(Int(number - CSR.pmpcfg0), new)
        case CSR.pmpaddr0..<(CSR.pmpaddr0 + UInt16(PMP.count)): pmp.writeAddress(Int(number - CSR.pmpaddr0), new)
        case CSR.tselect...CSR.tdata3: triggers.write(number, new)
        default: break  // read-only zeros and WARL-zero registers ignore writes
        }
        privileged = p
        if number >= CSR.pmpcfg0 && number < CSR.pmpaddr0 + UInt16(PMP.count) || number >= CSR.tselect && number <= CSR.tdata3 {
            refreshProtection()
            tlb.flushAll()  // the walk's own accesses are checked when an entry is filled
        }
        if number == CSR.mstatus { addressTranslationChanged(after: instret) }
        if Machine.csrWriteEndsBlock(number) { recheckInterrupts(after: instret) }
        return old
    }

    /// After a write that may enable an interrupt or move a deadline (the instruction at count
    /// `instret` retires first): a fresh limit, and an interrupt check right after this
    /// instruction if one is deliverable now. Cheaper than a full trip through `limitReached`
    /// after every `csrs mie`.
    func recheckInterrupts(after instret: UInt64) {
        updateLimit()
        guard kind == .bare, privileged.mie != 0 else { return }
        if pendingInterrupts(at: instret &+ 1) & deliverableInterrupts() != 0 {
            cpu.pointee.limit = min(cpu.pointee.limit, instret &+ 1)
        }
    }

    /// Whether a user-level counter read would run without trapping on a machine whose monitor
    /// runs the guest deprivileged (the `trap` policy): only in U-mode, and only where the
    /// guest's `mcounteren` (and, with S-mode, `scounteren`) lets U-mode read the counter (the
    /// monitor mirrors them into the hardware's counter enables, so a permitted read does not
    /// trap). In (virtual) M-mode the monitor keeps the counters trapping, since it must see the
    /// guest kernel's reads.
    public func counterReadRunsNatively(_ number: UInt16) -> Bool {
        guard privileged.privilege == .user else { return false }
        let bit: UInt32 = 1 << UInt32(number & 0x1f)
        let supervisorAllows = hasSupervisor ? privileged.scounteren : ~0
        return kind != .bare || privileged.mcounteren & supervisorAllows & bit != 0
    }

    /// Whether a CSR write can change how code must be translated or whether an interrupt
    /// becomes deliverable: the JIT ends the block after such a write.
    public static func csrWriteEndsBlock(_ number: UInt16) -> Bool {
        switch number {
        case CSR.mstatus, CSR.mie, CSR.mip, CSR.mtvec, CSR.mcycle, CSR.mcycleh, CSR.minstret, CSR.minstreth,
            CSR.mideleg, CSR.sstatus, CSR.sie, CSR.sip, CSR.satp:
            return true
        case CSR.pmpcfg0..<(CSR.pmpaddr0 + UInt16(PMP.count)), CSR.tselect...CSR.tdata3:
            return true  // what may be fetched and accessed changes
        default:
            return false
        }
    }

    // MARK: Traps, interrupts, mret, wfi

    /// Enters M-mode, or S-mode when `medeleg`/`mideleg` delegate the cause and the trap comes
    /// from S or U, for a trap or interrupt taken at `pc`.
    public func takeTrap(cause: UInt32, interrupt: Bool, pc: UInt32, value: UInt32) {
        var p = privileged
        let from = p.privilege
        let delegation = interrupt ? p.mideleg : p.medeleg
        let toSupervisor = from != .machine && cause < 32 && delegation & (1 << cause) != 0
        lastTrapTarget = toSupervisor ? .supervisor : .machine
        let vectorBase: UInt32
        if toSupervisor {
            p.sepc = pc
            p.scause = (interrupt ? 1 << 31 : 0) | cause
            p.stval = value
            let sie = p.mstatus & PrivilegedState.SIE != 0
            p.mstatus &= ~(PrivilegedState.SIE | PrivilegedState.SPIE | PrivilegedState.SPP)
            if sie { p.mstatus |= PrivilegedState.SPIE }
            if from == .supervisor { p.mstatus |= PrivilegedState.SPP }
            p.privilege = .supervisor
            vectorBase = p.stvec
        } else {
            p.mepc = pc
            p.mcause = (interrupt ? 1 << 31 : 0) | cause
            p.mtval = value
            let mie = p.mstatus & PrivilegedState.MIE != 0
            p.mstatus &= ~(PrivilegedState.MIE | PrivilegedState.MPIE | PrivilegedState.MPPMask)
            if mie { p.mstatus |= PrivilegedState.MPIE }
            p.mstatus |= from.rawValue << PrivilegedState.MPPShift
            p.privilege = .machine
            vectorBase = p.mtvec
        }
        privileged = p
        cpu.pointee.privilege = p.privilege.rawValue
        if from != p.privilege { privilegeChanged() }
        let base = vectorBase & ~3
        let vectored = vectorBase & 3 == 1
        cpu.pointee.pc = interrupt && vectored ? base &+ 4 &* cause : base
        if let onTrap {
            var record = TrapRecord(interrupt: interrupt, cause: cause, value: value, pc: pc, handler: cpu.pointee.pc, from: from, to: p.privilege)
            record.satp = hasSupervisor ? p.satp : 0
            onTrap(record)
        }
        addressTranslationChanged(after: nil)
        if interrupt {
            updateLimit()
        }
    }

    /// `mret` at `pc`: returns to the mode in MPP. Illegal below M-mode.
    public func mret(pc: UInt32, word: UInt32) {
        guard privileged.privilege == .machine else {
            raise(Trap(.illegalInstruction, pc: pc, value: word))
            return
        }
        var p = privileged
        let mpp = (p.mstatus & PrivilegedState.MPPMask) >> PrivilegedState.MPPShift
        p.privilege = mpp == 3 ? .machine : mpp == 1 && hasSupervisor ? .supervisor : .user
        if p.mstatus & PrivilegedState.MPIE != 0 { p.mstatus |= PrivilegedState.MIE } else { p.mstatus &= ~PrivilegedState.MIE }
        p.mstatus |= PrivilegedState.MPIE
        p.mstatus &= ~PrivilegedState.MPPMask  // least-privileged mode: U
        if p.privilege != .machine { p.mstatus &= ~PrivilegedState.MPRV }
        privileged = p
        cpu.pointee.privilege = p.privilege.rawValue
        cpu.pointee.pc = p.mepc
        if p.privilege != .machine { privilegeChanged() }
        addressTranslationChanged(after: nil)
        // A lower privilege or a newly set MIE may make a pending interrupt deliverable.
        cpu.pointee.limit = min(cpu.pointee.limit, cpu.pointee.instret)
    }

    /// `wfi` at `pc` (already retired): lets the guest clock run to the next timer deadline.
    public func waitForInterrupt(pc: UInt32) {
        guard kind == .bare else { return }
        let instret = cpu.pointee.instret
        if privileged.mie & PrivilegedState.MTIP != 0, !timerPending(at: instret),
            let clint = devices.lazy.compactMap({ $0 as? CLINT }).first
        {
            let now = mtime(at: instret)
            if clint.mtimecmp > now { privileged.idleTicks &+= clint.mtimecmp &- now }
        }
        cpu.pointee.limit = min(cpu.pointee.limit, instret)
    }

    public func timerPending(at instret: UInt64) -> Bool {
        guard let clint = devices.lazy.compactMap({ $0 as? CLINT }).first else { return false }
        return mtime(at: instret) >= clint.mtimecmp
    }

    /// `mip` as the guest reads it: MTIP from the CLINT's mtime >= mtimecmp, MSIP from its msip,
    /// SSIP and STIP as software (M-mode, or S-mode for SSIP) set them.
    public func pendingInterrupts(at instret: UInt64) -> UInt32 {
        var pending = privileged.mipSoftware & (PrivilegedState.MSIP | PrivilegedState.delegableInterrupts)
        if let clint = devices.lazy.compactMap({ $0 as? CLINT }).first {
            if mtime(at: instret) >= clint.mtimecmp { pending |= PrivilegedState.MTIP }
            if clint.msip & 1 != 0 { pending |= PrivilegedState.MSIP }
        }
        return pending
    }

    /// The enabled interrupts that would be taken now if pending: those for M-mode (not
    /// delegated) below M or with MIE set; those delegated to S below S or in S with SIE set.
    public func deliverableInterrupts() -> UInt32 {
        let p = privileged
        let machineLevel = p.mie & ~p.mideleg
        let supervisorLevel = p.mie & p.mideleg
        var mask: UInt32 = 0
        if p.privilege != .machine || p.mstatus & PrivilegedState.MIE != 0 { mask |= machineLevel }
        if p.privilege == .user || p.privilege == .supervisor && p.mstatus & PrivilegedState.SIE != 0 { mask |= supervisorLevel }
        return mask
    }

    /// Takes the highest-priority pending and deliverable interrupt, if any: M-level ones
    /// first, then MSI, MTI, SSI, STI in the spec's order.
    func takePendingInterrupt() {
        guard kind == .bare else { return }
        let ready = pendingInterrupts(at: cpu.pointee.instret) & deliverableInterrupts()
        guard ready != 0 else { return }
        let machineLevel = ready & ~privileged.mideleg
        let chosen = machineLevel != 0 ? machineLevel : ready
        let order: [UInt32] = [3, 7, 1, 5]
        guard let cause = order.first(where: { chosen & (1 << $0) != 0 }) else { return }
        takeTrap(cause: cause, interrupt: true, pc: cpu.pointee.pc, value: 0)
    }
}

/// How privileged and sensitive instructions are handled (`--privileged`).
public enum PrivilegedPolicy: String, Sendable, CaseIterable {
    /// Lower them into the translated block as operations on the virtual machine state;
    /// sensitive counter reads are virtualised (guest instruction counts, guest clock).
    case translate
    /// Classic trap-and-emulate: each privileged instruction exits to the monitor, which
    /// emulates it. Counter reads that do not trap reach the host's counters, as they would on
    /// hardware that does not trap them.
    case trap
}
