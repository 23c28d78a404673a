import RISCV
import Synchronization

/// What kind of computer the guest believes it runs on.
public enum MachineKind: String, Sendable, CaseIterable {
    /// A Linux process: user mode, system calls served by the host through the syscall layer.
    case linux
    /// Bare metal: machine mode at reset, HTIF and a CLINT, no system calls.
    case bare
}

/// Serves `ecall` in a Linux user-mode run: reads the number and arguments from the guest's
/// registers, acts, writes `a0`. It may halt the machine (exit) or abort the run.
public protocol SyscallHandler: AnyObject {
    func handleSyscall(_ machine: Machine)
}

/// Serves RISC-V semihosting calls on bare metal: an `ebreak` between `slli x0, x0, 0x1f` and
/// `srai x0, x0, 7` (all three uncompressed), operation in a0, parameter block in a1, result in a0.
public protocol SemihostingHandler: AnyObject {
    /// Performs the call whose `ebreak` is at `pc`; writes a0 (or halts the machine).
    func handleSemihosting(_ machine: Machine, pc: UInt32)
}

/// Told of every store that lands on a page holding translated code (self-modifying code).
public protocol CodeWriteObserver: AnyObject {
    func codeWritten(_ machine: Machine, address: UInt32, size: UInt32)
    /// `fence.i` retired: translations of code written since must not be used.
    func instructionFence(_ machine: Machine)
    /// `sfence.vma` retired: translations of code fetched through the fenced mappings (`address`
    /// nil: every address; `asid` nil: every address space) must not be used.
    func translationFenced(_ machine: Machine, address: UInt32?, asid: UInt16?)
}

extension CodeWriteObserver {
    public func translationFenced(_ machine: Machine, address: UInt32?, asid: UInt16?) {}
}

/// The guest computer: memory, CPU state, privileged state, devices and the rules that both
/// executors share for everything off the fast path (faults, devices, traps, system calls,
/// budgets and timer deadlines).
public final class Machine {
    public let kind: MachineKind
    public let memory: GuestMemory
    public let cpu: UnsafeMutablePointer<CPUState>
    public var privileged = PrivilegedState()
    public var symbols = SymbolTable()
    public var process = ProcessLayout()

    public weak var syscalls: SyscallHandler?
    /// Bare metal: who serves semihosting calls (nil: every `ebreak` is a breakpoint).
    public weak var semihosting: SemihostingHandler?
    public weak var codeObserver: CodeWriteObserver?
    /// Devices for bare-metal runs; their pages carry `PageFlag.device`.
    public var devices: [Device] = []

    /// Why the executors stopped: set at a boundary (they see `cpu.limit == 0` and return), kept
    /// until `resume()` clears it (the debugger's stops) or for good (exits, faults, budgets).
    public private(set) var stopReason: StopReason?
    /// Told of every exception and interrupt (the `traps` trace); nil costs nothing.
    public var onTrap: ((TrapRecord) -> Void)?
    /// The last blocks entered (fault reports).
    public let trail = BlockTrail()
    /// Breakpoints and watchpoints of an attached debugger (see `Debug.swift`); nil: none.
    public internal(set) var debug: DebugState?
    /// A guest instruction budget (`--max-instructions`): the run stops after exactly this many
    /// instructions, counting those that trapped (and fetch faults) as well as those that
    /// retired, so that a trap storm, where nothing retires, still ends.
    public var instructionBudget: UInt64? { didSet { updateLimit() } }
    /// Synchronous traps taken into a guest handler (bare metal): instructions that were
    /// stepped but did not retire. The budget counts them; `instret` (and `minstret`) do not.
    public private(set) var trapsTaken: UInt64 = 0
    /// The mode the last trap or interrupt entered (nil before the first): which of the M- and
    /// S-level trap registers describe it (fault reports).
    public internal(set) var lastTrapTarget: Privilege? = nil
    /// Set from any thread (a `--timeout` timer) to stop the run at the next check.
    public let stopRequest = StopRequest()
    /// With a stop request possible, the executors come back to `limitReached` at least every
    /// this many stepped instructions (retired or trapped), so the request is seen soon.
    public var stopCheckInterval: UInt64? = nil { didSet { sliceEnd = stepped &+ (stopCheckInterval ?? 0); updateLimit() } }
    private var sliceEnd: UInt64 = 0
    /// Misaligned loads and stores trap instead of being carried out (`--trap-misaligned`).
    public var trapMisaligned = false
    /// Counters and clocks the guest sees are derived from its instruction count only.
    public var deterministic = false
    /// Per-machine state that executors keep between runs (e.g. the interpreter's decode memo).
    public var attachments: [String: AnyObject] = [:]
    /// Monitor exits: how often an executor handed a privileged instruction to the monitor.
    public var monitorExits: UInt64 = 0
    /// See `PrivilegedPolicy`.
    public var privilegedPolicy: PrivilegedPolicy = .translate
    /// The extensions this hart implements (`--isa`); instructions of others are illegal.
    public var isa: ISA = .implemented
    /// The word address an `lr.w` reserved, until an `sc.w`, a store to it or a trap.
    public internal(set) var reservation: UInt32?
    /// Physical memory protection and the trigger module (bare machines; see `Protection.swift`).
    public internal(set) var pmp = PMP()
    public internal(set) var triggers = Triggers()
    /// PMP or a trigger can deny or intercept an access at the current privilege, so the page
    /// flags have been narrowed and the slow paths check each access.
    public internal(set) var protectionActive = false
    /// Whether a change of privilege can change what protection allows.
    var protectionDependsOnPrivilege = false
    /// The permissions the memory map gives each page, kept once protection first narrows the flags.
    var physicalPageFlags: UnsafeMutablePointer<UInt8>?
    /// Whether the hart has supervisor mode (`--priv msu`, the default; `mu`: machine and user only).
    public var hasSupervisor = true
    /// Sv32's TLB (see `Sv32.swift`), shared by both executors through the slow paths.
    public let tlb = TLB()
    /// Whether fetches, and data accesses, are translated now (satp's mode and the privilege).
    public internal(set) var fetchTranslation = false
    public internal(set) var dataTranslation = false
    /// What code fetched now depends on besides its address: `satp << 2 | privilege` while
    /// fetches are translated (the mapping, its ASID, and U or S for the U bit), 0 while they are
    /// physical. Translated code is keyed by it; a change ends the running block.
    public internal(set) var fetchContext: UInt64 = 0
    /// Stores (and AMOs) that reached a page of translated code or a device. Executors that keep
    /// going after a store compare it before and after: such a store must end their block.
    public internal(set) var codeOrDeviceStores: UInt64 = 0
    /// Page walks and page faults so far (`--stats`).
    public internal(set) var pageWalks: UInt64 = 0
    public internal(set) var pageFaults: UInt64 = 0
    /// The page flags the executors' fast paths see while translation is on: none at all, so
    /// that every access takes the slow path, which translates.
    let unmappedFlags: UnsafeMutablePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: GuestMemory.pageCount + 1)
        p.initialize(repeating: 0, count: GuestMemory.pageCount + 1)
        return p
    }()
    /// Guest memory the guest may hold (segments, stack, brk, mmap), in bytes (`--memory-limit`);
    /// nil: no limit. Past it, brk and mmap fail as Linux fails them (the old break, -ENOMEM).
    public var memoryLimit: UInt64? = nil

    public init(kind: MachineKind = .linux) {
        self.kind = kind
        memory = GuestMemory()
        cpu = .allocate(capacity: 1)
        cpu.initialize(to: CPUState(memory: memory))
        precondition(MemoryLayout<CPUState>.offset(of: \CPUState.f) == CPUState.floatOffset, "CPUState layout")
        // A Linux process starts with the FPU on (FS = Initial); bare metal resets with it Off.
        cpu.pointee.fs = kind == .linux ? 1 : 0
        privileged.privilege = kind == .bare ? .machine : .user
        cpu.pointee.privilege = privileged.privilege.rawValue
        cpu.pointee.machine = Unmanaged.passUnretained(self).toOpaque()
        tlb.tagOwner = cpu
        cpu.pointee.dataTLBTag = tlb.fastTag
    }

    deinit {
        cpu.deinitialize(count: 1)
        cpu.deallocate()
        physicalPageFlags?.deallocate()
        unmappedFlags.deallocate()
    }

    /// The machine behind a CPU-state pointer, for executor slow paths.
    @inlinable
    public static func from(_ cpu: UnsafeMutablePointer<CPUState>) -> Machine {
        Unmanaged<Machine>.fromOpaque(cpu.pointee.machine.unsafelyUnwrapped).takeUnretainedValue()
    }

    /// Runs `body` with the machine behind a CPU-state pointer, without retaining it (the
    /// machine owns the CPU state, so it outlives every executor call): for slow paths that run
    /// per guest instruction, where a retain/release pair was a fifth of a CSR-heavy run.
    @inlinable
    public static func with<R>(_ cpu: UnsafeMutablePointer<CPUState>, _ body: (Machine) -> R) -> R {
        Unmanaged<Machine>.fromOpaque(cpu.pointee.machine.unsafelyUnwrapped)._withUnsafeGuaranteedRef(body)
    }

    public var pc: UInt32 {
        get { cpu.pointee.pc }
        set { cpu.pointee.pc = newValue }
    }

    public var instret: UInt64 { cpu.pointee.instret }

    /// Instructions stepped: retired or trapped (what the budget counts).
    public var stepped: UInt64 { cpu.pointee.instret &+ trapsTaken }

    public subscript(register r: Int) -> UInt32 {
        get { cpu.registers[r & 31] }
        set { if r & 31 != 0 { cpu.registers[r & 31] = newValue } }
    }

    /// Whether `pages` more mapped pages stay within the memory limit.
    public func mayMap(pages: Int) -> Bool {
        guard let limit = memoryLimit else { return true }
        return UInt64(memory.mappedPages + max(0, pages)) * UInt64(GuestMemory.pageSize) <= limit
    }

    // MARK: Stopping

    /// Ends the run. Executors notice at their next limit check (the limit drops to zero).
    public func halt(_ reason: StopReason) {
        if stopReason == nil { stopReason = reason }
        cpu.pointee.limit = 0
    }

    /// Clears a stop so that the executors can be run again from where they stopped (the
    /// debugger's continue and step). The stop request is cleared too.
    public func resume() {
        stopReason = nil
        stopRequest.clear()
        updateLimit()
    }

    /// Recomputes `cpu.limit` from the budget and the next timer deadline.
    public func updateLimit() {
        guard stopReason == nil else { cpu.pointee.limit = 0; return }
        // Budgets count stepped instructions; the limit is in retired ones.
        func retiredLimit(_ steps: UInt64) -> UInt64 { steps > trapsTaken ? steps - trapsTaken : 0 }
        var limit = instructionBudget.map(retiredLimit) ?? .max
        if stopCheckInterval != nil { limit = min(limit, retiredLimit(sliceEnd)) }
        // Device deadlines matter only while an interrupt could be taken; writes to mstatus or
        // mie and `mret` force a fresh look.
        if deliverableInterrupts() != 0 {
            for device in devices {
                if let deadline = device.nextEvent(self) { limit = min(limit, deadline) }
            }
        }
        cpu.pointee.limit = limit
    }

    /// Called by an executor when `instret >= limit`. Returns false when the run is over.
    /// Otherwise pending interrupts have been taken (pc may have moved) and the limit is fresh.
    public func limitReached() -> Bool {
        if stopReason != nil { cpu.pointee.limit = 0; return false }
        if let budget = instructionBudget, stepped >= budget {
            halt(.budgetExhausted(budget))
            return false
        }
        if let why = stopRequest.reason {
            halt(why)
            return false
        }
        if let interval = stopCheckInterval, stepped >= sliceEnd { sliceEnd = stepped &+ interval }
        for device in devices { device.tick(self) }
        takePendingInterrupt()
        updateLimit()
        return stopReason == nil
    }

    // MARK: Memory slow paths (faults, devices, code pages, misalignment)

    /// A load the fast path declined. Returns nil after raising the trap.
    public func load(_ address: UInt32, width: MemoryWidth, pc: UInt32) -> UInt32? {
        let size = width.size
        if debug != nil, watchpointHit(address, size: size, store: false) { return nil }
        if trapMisaligned && address & (size - 1) != 0 {
            raise(Trap(.misalignedLoad, pc: pc, value: address))
            return nil
        }
        if dataTranslation { return translatedLoad(address, width: width, pc: pc) }
        return physicalLoad(address, width: width, pc: pc, tval: address)
    }

    /// A load from a physical address (after translation, if any); faults report `tval`.
    func physicalLoad(_ address: UInt32, width: MemoryWidth, pc: UInt32, tval: UInt32) -> UInt32? {
        let size = width.size
        if memory.pageFlags(address) & PageFlag.device != 0,
            let device = devices.first(where: { $0.contains(address) })
        {
            return width.extend(device.read(self, address: address, size: size))
        }
        if protectionActive {
            if triggerFires(Triggers.load, at: address, pc: pc) { return nil }
            guard protectionAllows(address, size: size, perm: PageFlag.read) else {
                raise(Trap(.loadAccess, pc: pc, value: tval))
                return nil
            }
            return width.extend(rawLoad(address, size: size))
        }
        guard memory.check(address, length: size, perms: PageFlag.read) else {
            raise(Trap(.loadAccess, pc: pc, value: tval))
            return nil
        }
        return width.extend(rawLoad(address, size: size))
    }

    /// A store the fast path declined. Returns false after raising the trap.
    public func store(_ address: UInt32, width: MemoryWidth, value: UInt32, pc: UInt32) -> Bool {
        let size = width.size
        if debug != nil, watchpointHit(address, size: size, store: true) { return false }
        if trapMisaligned && address & (size - 1) != 0 {
            raise(Trap(.misalignedStore, pc: pc, value: address))
            return false
        }
        if dataTranslation { return translatedStore(address, width: width, value: value, pc: pc) }
        return physicalStore(address, width: width, value: value, pc: pc, tval: address)
    }

    /// A store to a physical address (after translation, if any); faults report `tval`.
    func physicalStore(_ address: UInt32, width: MemoryWidth, value: UInt32, pc: UInt32, tval: UInt32) -> Bool {
        let size = width.size
        let flags = memory.pageFlags(address)
        if flags & PageFlag.device != 0, let device = devices.first(where: { $0.contains(address) }) {
            codeOrDeviceStores &+= 1
            device.write(self, address: address, size: size, value: value)
            return true
        }
        if protectionActive && triggerFires(Triggers.store, at: address, pc: pc) { return false }
        guard protectionActive ? protectionAllows(address, size: size, perm: PageFlag.write)
            : memory.check(address, length: size, perms: PageFlag.write)
        else {
            raise(Trap(.storeAccess, pc: pc, value: tval))
            return false
        }
        rawStore(address, size: size, value: value)
        if (flags | memory.pageFlags(address &+ size &- 1)) & PageFlag.watch != 0 { storeTouchedWatch(address, size: size) }
        let lastFlags = memory.pageFlags(address &+ size &- 1)
        if (flags | lastFlags) & PageFlag.code != 0 {
            codeOrDeviceStores &+= 1
            codeObserver?.codeWritten(self, address: address, size: size)
        }
        return true
    }

    @inlinable
    public func rawLoad(_ address: UInt32, size: UInt32) -> UInt32 {
        let p = memory.base + Int(address)
        switch size {
        case 1: return UInt32(p.load(as: UInt8.self))
        case 2: return UInt32(UInt16(littleEndian: p.loadUnaligned(as: UInt16.self)))
        default: return UInt32(littleEndian: p.loadUnaligned(as: UInt32.self))
        }
    }

    @inlinable
    public func rawStore(_ address: UInt32, size: UInt32, value: UInt32) {
        let p = memory.base + Int(address)
        switch size {
        case 1: p.storeBytes(of: UInt8(truncatingIfNeeded: value), as: UInt8.self)
        case 2: p.storeBytes(of: UInt16(truncatingIfNeeded: value).littleEndian, as: UInt16.self)
        default: p.storeBytes(of: value.littleEndian, as: UInt32.self)
        }
    }

    /// Fetches the instruction at `pc` (in the low bits of the word: a compressed one in the
    /// low halfword), or raises the fetch trap and returns nil. A 4-byte instruction whose second
    /// half lies on a page without execute permission faults with that half's address in `mtval`.
    public func fetch(_ pc: UInt32) -> UInt32? {
        if let debug { return debugFetch(pc, debug) }
        return fetchChecked(pc)
    }

    func fetchChecked(_ pc: UInt32) -> UInt32? {
        guard isa.isAligned(pc) else {
            raise(Trap(.misalignedFetch, pc: pc, value: pc))
            return nil
        }
        if fetchTranslation { return translatedFetch(pc) }
        if protectionActive {
            let word = memory.read32(pc)
            let size: UInt32 = word & 3 == 3 || !isa.contains(.c) ? 4 : 2
            guard protectionAllows(pc, size: size, perm: PageFlag.execute) else {
                let straddling = size == 4 && (pc &+ 2) >> GuestMemory.pageShift != pc >> GuestMemory.pageShift
                let secondHalf = straddling && protectionAllows(pc, size: 2, perm: PageFlag.execute)
                raise(Trap(.fetchAccess, pc: pc, value: secondHalf ? pc &+ 2 : pc))
                return nil
            }
            if triggerFires(Triggers.execute, at: pc, pc: pc) { return nil }
            return word
        }
        guard memory.pageFlags(pc) & PageFlag.execute != 0 else {
            raise(Trap(.fetchAccess, pc: pc, value: pc))
            return nil
        }
        let word = memory.read32(pc)
        if word & 3 == 3 && isa.contains(.c), (pc &+ 2) >> GuestMemory.pageShift != pc >> GuestMemory.pageShift {
            guard pc &+ 2 != 0, memory.pageFlags(pc &+ 2) & PageFlag.execute != 0 else {
                raise(Trap(.fetchAccess, pc: pc, value: pc &+ 2))
                return nil
            }
        }
        return word
    }

    /// Whether the instruction at `pc` can be fetched without a trap (nothing is raised).
    public func canFetch(_ pc: UInt32) -> Bool {
        if fetchTranslation { return canFetchTranslated(pc) }
        guard isa.isAligned(pc), memory.pageFlags(pc) & PageFlag.execute != 0 else { return false }
        if memory.read32(pc) & 3 == 3 && (pc &+ 2) >> GuestMemory.pageShift != pc >> GuestMemory.pageShift {
            return pc &+ 2 != 0 && memory.pageFlags(pc &+ 2) & PageFlag.execute != 0
        }
        return true
    }

    // MARK: Traps and environment calls

    /// Delivers a synchronous trap: into the guest's handler on bare metal, or as the end of
    /// the process in a Linux run (as the kernel would send a signal).
    public func raise(_ trap: Trap) {
        clearReservation()
        switch kind {
        case .linux:
            onTrap?(TrapRecord(interrupt: false, cause: trap.cause.rawValue, value: trap.value, pc: trap.pc, handler: nil,
                               from: privileged.privilege, to: privileged.privilege))
            halt(.fault(trap))
        case .bare:
            // A fetch fault at the trap vector itself would trap there again for ever, retiring
            // nothing and changing nothing (trap entry has masked interrupts): the guest has no
            // handler, and the run stops with the fault. Storms that do execute something (a
            // handler that traps) go on until a budget or --timeout ends them.
            if trap.cause == .fetchAccess || trap.cause == .misalignedFetch, trap.pc == privileged.mtvec & ~3 {
                halt(.fault(trap))
                return
            }
            trapsTaken &+= 1
            takeTrap(cause: trap.cause.rawValue, interrupt: false, pc: trap.pc, value: trap.value)
            // A trap steps an instruction without retiring it: the budget moves closer.
            if instructionBudget != nil || stopCheckInterval != nil { updateLimit() }
        }
    }

    /// `ecall` at `pc` (it has no compressed form). Afterwards `cpu.pc` says where execution goes on.
    public func environmentCall(pc: UInt32) {
        switch kind {
        case .linux:
            cpu.pointee.pc = Instruction(.ecall).next(pc)
            if let syscalls {
                syscalls.handleSyscall(self)
            } else {
                cpu.registers[10] = UInt32(bitPattern: -38)  // -ENOSYS
            }
        case .bare:
            let cause: TrapCause = privileged.privilege == .machine ? .ecallFromM : privileged.privilege == .supervisor ? .ecallFromS : .ecallFromU
            raise(Trap(cause, pc: pc))
        }
    }

    /// `ebreak` at `pc`: a semihosting call when it is one and a handler is installed (it then
    /// retires and execution goes on at pc + 4, the `srai`, a no-op), else a breakpoint.
    public func breakpoint(pc: UInt32) {
        if let semihosting, isSemihostingCall(pc) {
            semihosting.handleSemihosting(self, pc: pc)
            cpu.pointee.pc = pc &+ 4
            cpu.pointee.instret &+= 1
            return
        }
        raise(Trap(.breakpoint, pc: pc, value: pc))
    }

    /// The semihosting sequence's three words, `slli x0, x0, 0x1f`, `ebreak`, `srai x0, x0, 7`.
    public static let semihostingSequence: (UInt32, UInt32, UInt32) = (0x01f0_1013, 0x0010_0073, 0x4070_5013)

    /// Whether the `ebreak` at `pc` sits in the semihosting sequence: exactly the uncompressed
    /// words at pc - 4, pc and pc + 4, all in executable memory.
    public func isSemihostingCall(_ pc: UInt32) -> Bool {
        guard pc >= 4, UInt64(pc) + 8 <= 1 << 32, memory.check(pc &- 4, length: 12, perms: PageFlag.execute) else { return false }
        let (before, ebreak, after) = Machine.semihostingSequence
        return memory.read32(pc &- 4) == before && memory.read32(pc) == ebreak && memory.read32(pc &+ 4) == after
    }
}

// MARK: Host writes into guest memory

extension Machine {
    /// The one way the host writes guest memory (system call results, struct conversions, the
    /// loader, devices): checks that every page of `[address, address + length)` has all the
    /// bits of `perms` (0: no check, for the loader and mmap filling pages it is about to
    /// protect) and is not a device, tells the code cache that the range is about to change,
    /// and returns the host bytes to write. Nil (nothing notified) when the check fails.
    ///
    /// The caller writes the bytes before the guest runs again (a host function may fill them,
    /// as read(2) does); translations of the range are already gone by then.
    @_disfavoredOverload
    public func hostWritable(_ address: UInt32, length: UInt64, requiring perms: UInt8 = PageFlag.rw)
        -> UnsafeMutableRawBufferPointer?
    {
        guard UInt64(address) + length <= 1 << 32 else { return nil }
        let forbidden = perms == 0 ? 0 : PageFlag.device
        for page in GuestMemory.pages(address, length: length) {
            // Pages a debugger routes to the slow paths keep the rights they had.
            let f = debug?.physicalFlags(page, memory.flags[page]) ?? memory.flags[page]
            guard f & perms == perms, f & forbidden == 0 else { return nil }
        }
        hostWillWrite(address, length: length)
        return UnsafeMutableRawBufferPointer(start: memory.host(address), count: Int(length))
    }

    public func hostWritable(_ address: UInt32, length: UInt32, requiring perms: UInt8 = PageFlag.rw)
        -> UnsafeMutableRawBufferPointer?
    {
        hostWritable(address, length: UInt64(length), requiring: perms)
    }

    /// Copies `bytes` to `address` through `hostWritable`; false (nothing written) if the check fails.
    @discardableResult
    public func hostWrite(_ address: UInt32, _ bytes: UnsafeRawBufferPointer, requiring perms: UInt8 = PageFlag.rw) -> Bool {
        guard let out = hostWritable(address, length: UInt64(bytes.count), requiring: perms) else { return false }
        if let src = bytes.baseAddress, let dst = out.baseAddress { dst.copyMemory(from: src, byteCount: bytes.count) }
        return true
    }

    @discardableResult
    public func hostWrite(_ address: UInt32, _ bytes: [UInt8], requiring perms: UInt8 = PageFlag.rw) -> Bool {
        bytes.withUnsafeBytes { hostWrite(address, $0, requiring: perms) }
    }

    /// A little-endian 32- or 64-bit value through `hostWrite`.
    @discardableResult
    public func hostWrite<T: FixedWidthInteger>(_ address: UInt32, value: T, requiring perms: UInt8 = PageFlag.rw) -> Bool {
        withUnsafeBytes(of: value.littleEndian) { hostWrite(address, $0, requiring: perms) }
    }

    /// Tells the code cache that the host is about to change `[address, address + length)`
    /// (contents or rights): translations made from those pages must not run again.
    public func hostWillWrite(_ address: UInt32, length: UInt64) {
        guard length > 0, let observer = codeObserver else { return }
        let size = GuestMemory.pageSize
        for page in GuestMemory.pages(address, length: length) where memory.flags[page] & PageFlag.code != 0 {
            let pageStart = UInt32(truncatingIfNeeded: page << Int(GuestMemory.pageShift))
            observer.codeWritten(self, address: pageStart, size: size)
        }
    }
}

/// A request to stop a run, made from another thread (a wall-clock timer, a debugger's Ctrl-C)
/// or from a signal handler (`hostSignal`). The executors see it at their next limit check (see
/// `Machine.stopCheckInterval`).
public final class StopRequest: Sendable {
    private let requested = Atomic<Bool>(false)
    private let why = Mutex<StopReason?>(nil)

    public init() {}

    /// Asks the run to stop with `reason`; the first request wins.
    public func request(_ reason: StopReason) {
        why.withLock { if $0 == nil { $0 = reason } }
        requested.store(true, ordering: .releasing)
    }

    /// Forgets a request (the run was resumed after it).
    public func clear() {
        why.withLock { $0 = nil }
        requested.store(false, ordering: .releasing)
    }

    /// The requested stop, if any; a signal rvjit received (SIGINT, SIGTERM) counts as one.
    public var reason: StopReason? {
        let signal = StopRequest.hostSignal.load(ordering: .acquiring)
        if signal != 0 { return .signalled(signal) }
        guard requested.load(ordering: .acquiring) else { return nil }
        return why.withLock { $0 }
    }

    /// Set by a signal handler (an atomic store is all it may do): every run stops at its next
    /// limit check with `.signalled`.
    public static let hostSignal = Atomic<Int32>(0)
}
