/// ABI names of the integer registers, as objdump prints them.
public enum RegisterName {
    public static let abi: [String] = [
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
        "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
        "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
        "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
    ]

    public static func name(_ r: UInt8) -> String { abi[Int(r & 31)] }

    /// ABI names of the floating-point registers.
    public static let floatABI: [String] = [
        "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7",
        "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
        "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7",
        "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
    ]

    public static func float(_ r: UInt8) -> String { floatABI[Int(r & 31)] }

    /// Parses `x5`, `t0`, `fp`.
    public static func parse(_ s: String) -> UInt8? {
        if s == "fp" { return 8 }
        if let i = abi.firstIndex(of: s) { return UInt8(i) }
        if s.hasPrefix("x"), let n = UInt8(s.dropFirst()), n < 32 { return n }
        return nil
    }
}
