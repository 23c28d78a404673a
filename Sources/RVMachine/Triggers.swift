import RISCV

/// The trigger module (Sdtrig): two address-match triggers (`mcontrol`, type 2) selected by
/// `tselect`, each matching an execute, load or store address exactly (`match` = 0) in M-mode
/// and/or U-mode, and raising a breakpoint exception (`action` = 0) before the instruction or
/// access happens, with the address in `mtval`. Without `tcontrol`, an M-mode trigger fires
/// only while `mstatus.MIE` is set, as the debug specification requires (so a handler cannot
/// retrigger itself forever). The debugger's hardware breakpoints and watchpoints sit on these.
public struct Triggers: Sendable, Equatable {
    public static let count = 2
    /// `tdata1` bits of type 2 (`mcontrol`) that rvjit implements.
    public static let load: UInt32 = 1 << 0, store: UInt32 = 1 << 1, execute: UInt32 = 1 << 2
    public static let u: UInt32 = 1 << 3, m: UInt32 = 1 << 6, hit: UInt32 = 1 << 20
    static let typeMcontrol: UInt32 = 2 << 28
    static let writable: UInt32 = load | store | execute | u | m | hit

    public var select = 0
    public var control = [UInt32](repeating: Triggers.typeMcontrol, count: Triggers.count)
    public var address = [UInt32](repeating: 0, count: Triggers.count)

    public init() {}

    /// Whether any trigger can fire at all.
    var armed: Bool { control.contains { $0 & (Triggers.load | Triggers.store | Triggers.execute) != 0 && $0 & (Triggers.u | Triggers.m) != 0 } }

    // MARK: CSRs

    func read(_ number: UInt16) -> UInt32 {
        switch number {
        case CSR.tselect: return UInt32(select)
        case CSR.tdata1: return control[select]
        case CSR.tdata2: return address[select]
        case CSR.tinfo: return 1 << 2  // type 2 only
        default: return 0  // tdata3: no textra
        }
    }

    /// WARL writes: `tselect` ignores unimplemented triggers; `tdata1` keeps its type and only the
    /// bits above (match, action, chain, timing, size and select read as zero).
    mutating func write(_ number: UInt16, _ value: UInt32) {
        switch number {
        case CSR.tselect: if value < UInt32(Triggers.count) { select = Int(value) }
        case CSR.tdata1: control[select] = Triggers.typeMcontrol | value & Triggers.writable
        case CSR.tdata2: address[select] = value
        default: break
        }
    }

    /// The trigger that fires for an access of `kind` (load, store or execute bit) at `address`.
    func firing(_ kind: UInt32, at address: UInt32, privilege: Privilege, mie: Bool) -> Int? {
        let mode = privilege == .machine ? Triggers.m : Triggers.u
        if privilege == .machine && !mie { return nil }
        for i in 0..<Triggers.count where control[i] & kind != 0 && control[i] & mode != 0 && self.address[i] == address {
            return i
        }
        return nil
    }
}

extension CSR {
    public static let tselect: UInt16 = 0x7A0, tdata1: UInt16 = 0x7A1, tdata2: UInt16 = 0x7A2
    public static let tdata3: UInt16 = 0x7A3, tinfo: UInt16 = 0x7A4
    public static let pmpcfg0: UInt16 = 0x3A0, pmpaddr0: UInt16 = 0x3B0
}
