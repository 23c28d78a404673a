/// Synchronous exception causes (privileged spec, `mcause` with the interrupt bit clear).
public enum TrapCause: UInt32, Sendable, CustomStringConvertible {
    case misalignedFetch = 0
    case fetchAccess = 1
    case illegalInstruction = 2
    case breakpoint = 3
    case misalignedLoad = 4
    case loadAccess = 5
    case misalignedStore = 6
    case storeAccess = 7
    case ecallFromU = 8
    case ecallFromS = 9
    case ecallFromM = 11
    case fetchPageFault = 12
    case loadPageFault = 13
    case storePageFault = 15

    public var description: String {
        switch self {
        case .misalignedFetch: return "instruction address misaligned"
        case .fetchAccess: return "instruction access fault"
        case .illegalInstruction: return "illegal instruction"
        case .breakpoint: return "breakpoint"
        case .misalignedLoad: return "load address misaligned"
        case .loadAccess: return "load access fault"
        case .misalignedStore: return "store address misaligned"
        case .storeAccess: return "store access fault"
        case .ecallFromU: return "environment call from U-mode"
        case .ecallFromS: return "environment call from S-mode"
        case .ecallFromM: return "environment call from M-mode"
        case .fetchPageFault: return "instruction page fault"
        case .loadPageFault: return "load page fault"
        case .storePageFault: return "store/AMO page fault"
        }
    }

    /// The Linux signal a user-mode process would die of, for the exit status `128 + signal`.
    public var signal: Int32 {
        switch self {
        case .illegalInstruction: return 4  // SIGILL
        case .breakpoint: return 5  // SIGTRAP
        case .misalignedFetch, .misalignedLoad, .misalignedStore: return 7  // SIGBUS
        default: return 11  // SIGSEGV
        }
    }
}

/// A trap raised by guest code at `pc`, with the value the spec puts in `mtval`.
public struct Trap: Error, Equatable, Sendable, CustomStringConvertible {
    public var cause: TrapCause
    public var pc: UInt32
    public var value: UInt32

    public init(_ cause: TrapCause, pc: UInt32, value: UInt32 = 0) {
        self.cause = cause
        self.pc = pc
        self.value = value
    }

    public var description: String {
        let hex = { (v: UInt32) in "0x" + String(v, radix: 16) }
        switch cause {
        case .illegalInstruction:
            return "\(cause) \(hexWord(value)) at pc \(hex(pc))"
        case .misalignedFetch:
            return "\(cause): jump to \(hex(value)) at pc \(hex(pc))"
        case .fetchAccess, .fetchPageFault:
            return "\(cause): cannot execute \(hex(value)) (pc \(hex(pc)))"
        case .loadAccess, .storeAccess, .misalignedLoad, .misalignedStore, .loadPageFault, .storePageFault:
            return "\(cause) at address \(hex(value)), pc \(hex(pc))"
        default:
            return "\(cause) at pc \(hex(pc))"
        }
    }
}

func hexWord(_ v: UInt32) -> String {
    let s = String(v, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - s.count)) + s
}

/// How a run ended.
public enum StopReason: Equatable, Sendable {
    /// The guest exited with this status.
    case exited(Int32)
    /// A trap the guest could not handle (user mode: the process would be killed by a signal).
    case fault(Trap)
    /// `--max-instructions` ran out, exactly at the budget.
    case budgetExhausted(UInt64)
    /// The run was stopped for another reason, e.g. an unknown syscall under `--strict-syscalls`.
    case aborted(String)
    /// `--timeout` ran out (seconds of wall-clock time).
    case timedOut(Double)
    /// rvjit itself got this signal (SIGINT, SIGTERM): stopped at a block boundary.
    case signalled(Int32)
    /// The debugger's stops: a breakpoint at this pc (before it runs), a watchpoint on an access
    /// (before it happens, pc at the accessing instruction), a single step done, an interrupt
    /// (Ctrl-C). A session may resume after any of these (`Machine.resume`).
    case breakpoint(UInt32)
    case watchpoint(WatchKind, UInt32)
    case stepped
    case interrupted

    /// The process exit status rvjit passes through.
    public var exitStatus: Int32 {
        switch self {
        case .exited(let code): return code & 0xff
        case .fault(let trap): return 128 + trap.cause.signal
        case .budgetExhausted: return StopReason.budgetExitStatus
        case .aborted: return 125
        case .timedOut: return StopReason.timeoutExitStatus
        case .signalled(let n): return 128 + n
        case .breakpoint, .watchpoint, .stepped: return 128 + 5  // SIGTRAP
        case .interrupted: return 128 + 2  // SIGINT
        }
    }

    /// Whether the run can go on from this stop: the debugger's stops only. The others end the
    /// run (a debugger still sees a Linux fault before the process dies of it).
    public var isResumable: Bool {
        switch self {
        case .breakpoint, .watchpoint, .stepped, .interrupted: return true
        case .exited, .fault, .budgetExhausted, .aborted, .timedOut, .signalled: return false
        }
    }

    /// Exit status of a run stopped by `--max-instructions` (as `timeout(1)` does for time).
    public static let budgetExitStatus: Int32 = 124
    /// Exit status of a run stopped by `--timeout`: 128 + SIGALRM, a signal no guest fault maps to.
    public static let timeoutExitStatus: Int32 = 142
}
