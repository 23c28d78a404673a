import RISCV

/// Physical memory protection: 16 entries (`pmpcfg0–3`, `pmpaddr0–15`), granularity 4 bytes,
/// TOR, NA4 and NAPOT matching, locked entries that bind M-mode too.
///
/// At reset entry 0 is NAPOT over the whole address space with R, W and X, as Spike resets it,
/// so that software unaware of PMP (and U-mode code started by it) runs; a program that
/// configures PMP gets exactly what it asks for. Checks reach the executors through the page
/// flags (see `Machine.refreshProtection`), so an unrestricted machine pays nothing.
public struct PMP: Sendable, Equatable {
    public static let count = 16
    public static let R: UInt8 = 1, W: UInt8 = 2, X: UInt8 = 4, lock: UInt8 = 0x80
    /// Address-matching modes (the A field, bits 4:3).
    public static let off: UInt8 = 0, tor: UInt8 = 1, na4: UInt8 = 2, napot: UInt8 = 3

    public var cfg = [UInt8](repeating: 0, count: PMP.count)
    public var addr = [UInt32](repeating: 0, count: PMP.count)

    public init() {
        cfg[0] = PMP.napot << 3 | PMP.R | PMP.W | PMP.X
        addr[0] = 0xffff_ffff
    }

    static func mode(_ c: UInt8) -> UInt8 { (c >> 3) & 3 }

    /// The bytes entry `i` matches, as a half-open 64-bit range (empty when off).
    func range(_ i: Int) -> (start: UInt64, end: UInt64) {
        let a = UInt64(addr[i])
        switch PMP.mode(cfg[i]) {
        case PMP.tor:
            let lower = i == 0 ? 0 : UInt64(addr[i - 1]) << 2
            return (lower, max(lower, a << 2))
        case PMP.na4:
            return (a << 2, (a << 2) + 4)
        case PMP.napot:
            let ones = UInt64((~addr[i]).trailingZeroBitCount)  // trailing ones of addr
            let size = UInt64(1) << (ones + 3)
            let base = (a & ~((UInt64(1) << ones) - 1)) << 2
            return (base, base + size)
        default:
            return (0, 0)
        }
    }

    // MARK: CSRs

    /// `pmpcfgN` (N = 0…3) as the guest reads it.
    func readConfig(_ n: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(cfg[n * 4 + $1]) << (8 * UInt32($1)) }
    }

    /// Writes `pmpcfgN`: locked entries keep their byte; reserved bits read zero; R = 0 with
    /// W = 1 is reserved, so W is dropped (WARL).
    mutating func writeConfig(_ n: Int, _ value: UInt32) {
        for k in 0..<4 {
            let i = n * 4 + k
            guard cfg[i] & PMP.lock == 0 else { continue }
            var byte = UInt8(truncatingIfNeeded: value >> (8 * UInt32(k))) & 0x9f
            if byte & PMP.R == 0 { byte &= ~PMP.W }
            cfg[i] = byte
        }
    }

    /// Writes `pmpaddrI` (bits 33:2 of the address): ignored when entry I is locked, or when
    /// entry I + 1 is a locked TOR entry that uses it as its lower bound.
    mutating func writeAddress(_ i: Int, _ value: UInt32) {
        if cfg[i] & PMP.lock != 0 { return }
        if i + 1 < PMP.count, cfg[i + 1] & PMP.lock != 0, PMP.mode(cfg[i + 1]) == PMP.tor { return }
        addr[i] = value
    }

    // MARK: Checks

    /// Whether an access of `size` bytes at `address` needing `perm` (R, W or X) is allowed at
    /// `privilege`: the lowest-numbered entry matching any byte decides, and must match all of
    /// them; no match allows M-mode and denies U-mode.
    public func allows(_ address: UInt32, size: UInt32, perm: UInt8, privilege: Privilege) -> Bool {
        let lo = UInt64(address), hi = lo + UInt64(size)
        for i in 0..<PMP.count where PMP.mode(cfg[i]) != PMP.off {
            let r = range(i)
            if hi <= r.start || lo >= r.end { continue }
            guard lo >= r.start && hi <= r.end else { return false }
            if privilege == .machine && cfg[i] & PMP.lock == 0 { return true }
            return cfg[i] & perm != 0
        }
        return privilege == .machine
    }

    /// What a whole page allows at `privilege` (a mask of R, W, X), or nil when entries split
    /// it and each access must be checked on its own.
    func pagePermissions(_ page: UInt32, privilege: Privilege) -> UInt8? {
        let lo = UInt64(page) << 12, hi = lo + 4096
        for i in 0..<PMP.count where PMP.mode(cfg[i]) != PMP.off {
            let r = range(i)
            if hi <= r.start || lo >= r.end { continue }
            guard lo >= r.start && hi <= r.end else { return nil }
            if privilege == .machine && cfg[i] & PMP.lock == 0 { return PMP.R | PMP.W | PMP.X }
            return cfg[i] & (PMP.R | PMP.W | PMP.X)
        }
        return privilege == .machine ? PMP.R | PMP.W | PMP.X : 0
    }

    /// Whether PMP can deny anything at `privilege` (if not, the page flags need no help).
    func restricts(_ privilege: Privilege) -> Bool {
        for i in 0..<PMP.count where PMP.mode(cfg[i]) != PMP.off {
            let r = range(i)
            let all = r.start == 0 && r.end >= 1 << 32
            if privilege == .machine {
                if cfg[i] & PMP.lock != 0 { return true }
                if all { return false }
            } else {
                // The first active entry decides everything it covers; it must cover everything.
                return !(all && cfg[i] & (PMP.R | PMP.W | PMP.X) == PMP.R | PMP.W | PMP.X)
            }
        }
        return privilege != .machine
    }
}
