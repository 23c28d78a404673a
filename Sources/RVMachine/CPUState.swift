/// The hot CPU state both executors work on, in one flat block of unsafe memory.
///
/// The register file comes first so that an executor holding a pointer to this struct reaches
/// `x[i]` at byte offset `4 * i` without loading anything else. Entries 32 to 63 are scratch
/// temporaries for the JIT's IR; guest code can never name them. `x0` is kept zero by never
/// writing it: each executor handles that in exactly one place.
public struct CPUState {
    public typealias FloatRegisterFile = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
    public typealias RegisterFile = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    /// Guest registers `x0`…`x31`, then JIT temporaries.
    public var x: RegisterFile = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    /// The F/D registers `f0`…`f31`, 64 bits each (a single NaN-boxed in the upper half).
    public var f: FloatRegisterFile = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    /// `fcsr`: the accrued exception flags (`fflags`) in bits 4:0, the rounding mode (`frm`) in 7:5.
    public var fcsr: UInt32 = 0
    /// `mstatus.FS`: 0 Off (every F/D instruction and F/D CSR is illegal), 1 Initial, 2 Clean,
    /// 3 Dirty. Kept here, not in `PrivilegedState`, because both executors check and set it per
    /// instruction; `mstatus` reads and writes go through it.
    public var fs: UInt32 = 0
    /// F/D instructions retired (for `--stats`).
    public var floatInstructions: UInt64 = 0
    public var pc: UInt32 = 0
    /// Current privilege: 3 = machine, 0 = user.
    public var privilege: UInt32 = 0
    /// Guest instructions retired so far.
    public var instret: UInt64 = 0
    /// Executors run freely while `instret < limit`. The monitor lowers it for an instruction
    /// budget, the next timer deadline or a stop request; blocks never run past it.
    public var limit: UInt64 = .max
    /// Why an executor handed control back to the monitor (an `ExitReason` raw value).
    public var exitReason: UInt32 = 0
    /// A detail of the exit: the faulting address, the illegal word, a jump target.
    public var exitValue: UInt32 = 0
    /// Guest address space (see `GuestMemory`).
    public var memory: UnsafeMutableRawPointer
    public var pageFlags: UnsafeMutablePointer<UInt8>
    /// The owning `Machine`, unretained, for slow paths that need it.
    public var machine: UnsafeMutableRawPointer? = nil
    /// Owned by the running engine (the JIT keeps its jump cache and exit bookkeeping here).
    public var engine: UnsafeMutableRawPointer? = nil
    public var engineScratch: UnsafeMutableRawPointer? = nil
    /// How many more chained blocks the JIT may enter by direct tail calls before returning to
    /// its trampoline (which bounds the native stack even where calls are not turned into jumps).
    public var chainBudget: UInt32 = 0
    /// The running engine object, unretained, for its cold paths (tracing hooks).
    public var engineOwner: UnsafeMutableRawPointer? = nil
    /// Sv32's data fast path while data accesses are translated (nil otherwise): translations
    /// the TLB holds and the current privilege, SUM and MXR permit, by virtual page, valid
    /// where an entry's tag is `dataTLBTag | vpn` (see `TLB.FastEntry`). The physical page
    /// itself is then checked in `memoryFlags` as any fast access checks its page.
    public var dataTLB: UnsafeMutablePointer<TLB.FastEntry>? = nil
    public var dataTLBTag: UInt32 = 0
    /// The page flags of physical memory (`pageFlags` is the empty table while Sv32 is on).
    public var memoryFlags: UnsafeMutablePointer<UInt8>

    public init(memory: GuestMemory) {
        self.memory = memory.base
        self.pageFlags = memory.flags
        self.memoryFlags = memory.flags
    }
}

extension CPUState {
    /// A scratch entry (the last temporary) that takes writes to `x0`: executors redirect an
    /// `x0` destination here when they decode or translate, so `x0` is never written and needs no
    /// resetting after each instruction.
    public static let discardRegister = 63
    /// Byte offset of `f` in the struct: right after the 64 words of `x` (checked by `Machine.init`).
    @inlinable public static var floatOffset: Int { 256 }
}

/// Register access on a pointer to the CPU state, with no bounds checks: indices come from
/// 5-bit instruction fields or from the JIT's own temporaries (< 64).
extension UnsafeMutablePointer where Pointee == CPUState {
    @inlinable
    public var registers: UnsafeMutablePointer<UInt32> {
        UnsafeMutableRawPointer(self).assumingMemoryBound(to: UInt32.self)
    }

    /// `f0`…`f31` (indices from 5-bit instruction fields).
    @inlinable
    public var floatRegisters: UnsafeMutablePointer<UInt64> {
        (UnsafeMutableRawPointer(self) + CPUState.floatOffset).assumingMemoryBound(to: UInt64.self)
    }

    @inlinable
    public subscript(register index: UInt8) -> UInt32 {
        get { registers[Int(index)] }
        nonmutating set { registers[Int(index)] = newValue }
    }
}

/// Why an executor stopped running guest code and returned to the monitor.
public enum ExitReason: UInt32, Sendable {
    case none = 0
    /// `limit` was reached: a budget, a timer deadline or a stop request.
    case limit
    /// A synchronous trap; `Machine.pendingTrap` holds it.
    case trap
    /// The guest ended (exit syscall or HTIF exit).
    case halted
    /// The JIT found no translation for `pc` (or a chain was not linked yet).
    case lookup
    /// A privileged instruction the JIT chose to leave to the monitor.
    case monitor
}
