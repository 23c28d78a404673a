/// CSR numbers and their names as objdump prints them.
public enum CSR {
    public static let fflags: UInt16 = 0x001, frm: UInt16 = 0x002, fcsr: UInt16 = 0x003
    public static let cycle: UInt16 = 0xC00, time: UInt16 = 0xC01, instret: UInt16 = 0xC02
    public static let cycleh: UInt16 = 0xC80, timeh: UInt16 = 0xC81, instreth: UInt16 = 0xC82
    public static let sstatus: UInt16 = 0x100, sie: UInt16 = 0x104, stvec: UInt16 = 0x105
    public static let scounteren: UInt16 = 0x106, sscratch: UInt16 = 0x140, sepc: UInt16 = 0x141
    public static let scause: UInt16 = 0x142, stval: UInt16 = 0x143, sip: UInt16 = 0x144, satp: UInt16 = 0x180
    public static let mstatus: UInt16 = 0x300, misa: UInt16 = 0x301, medeleg: UInt16 = 0x302
    public static let mideleg: UInt16 = 0x303, mie: UInt16 = 0x304, mtvec: UInt16 = 0x305
    public static let mcounteren: UInt16 = 0x306, mstatush: UInt16 = 0x310
    public static let mscratch: UInt16 = 0x340, mepc: UInt16 = 0x341, mcause: UInt16 = 0x342
    public static let mtval: UInt16 = 0x343, mip: UInt16 = 0x344
    public static let mcycle: UInt16 = 0xB00, minstret: UInt16 = 0xB02
    public static let mcycleh: UInt16 = 0xB80, minstreth: UInt16 = 0xB82
    public static let mvendorid: UInt16 = 0xF11, marchid: UInt16 = 0xF12, mimpid: UInt16 = 0xF13
    public static let mhartid: UInt16 = 0xF14

    /// Names objdump knows for the CSRs a RV32 machine-mode program is likely to touch.
    public static let names: [UInt16: String] = {
        var n: [UInt16: String] = [
            0x001: "fflags", 0x002: "frm", 0x003: "fcsr",
            0xC00: "cycle", 0xC01: "time", 0xC02: "instret",
            0xC80: "cycleh", 0xC81: "timeh", 0xC82: "instreth",
            0x100: "sstatus", 0x104: "sie", 0x105: "stvec", 0x106: "scounteren",
            0x140: "sscratch", 0x141: "sepc", 0x142: "scause", 0x143: "stval", 0x144: "sip",
            0x180: "satp",
            0x300: "mstatus", 0x301: "misa", 0x302: "medeleg", 0x303: "mideleg", 0x304: "mie",
            0x305: "mtvec", 0x306: "mcounteren", 0x310: "mstatush", 0x320: "mcountinhibit",
            0x340: "mscratch", 0x341: "mepc", 0x342: "mcause", 0x343: "mtval", 0x344: "mip",
            0x34A: "mtinst", 0x34B: "mtval2",
            0xB00: "mcycle", 0xB02: "minstret", 0xB80: "mcycleh", 0xB82: "minstreth",
            0xF11: "mvendorid", 0xF12: "marchid", 0xF13: "mimpid", 0xF14: "mhartid", 0xF15: "mconfigptr",
            0x7A0: "tselect", 0x7A1: "tdata1", 0x7A2: "tdata2", 0x7A3: "tdata3",
            0x7B0: "dcsr", 0x7B1: "dpc", 0x7B2: "dscratch0", 0x7B3: "dscratch1",
        ]
        for i in 3...31 {
            n[0xC00 + UInt16(i)] = "hpmcounter\(i)"
            n[0xC80 + UInt16(i)] = "hpmcounter\(i)h"
            n[0xB00 + UInt16(i)] = "mhpmcounter\(i)"
            n[0xB80 + UInt16(i)] = "mhpmcounter\(i)h"
            n[0x320 + UInt16(i)] = "mhpmevent\(i)"
        }
        for i in 0..<16 {
            n[0x3A0 + UInt16(i)] = "pmpcfg\(i)"
        }
        for i in 0..<64 { n[0x3B0 + UInt16(i)] = "pmpaddr\(i)" }
        return n
    }()

    public static func name(_ number: UInt16) -> String {
        names[number] ?? "0x" + String(number, radix: 16)
    }
}
