/// ABI names of the integer registers, as objdump prints them.
public enum RegisterName {
    public static let abi: [String] = [
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
        "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
        "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
        "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
    ]

    public static func name(_ r: UInt8) -> String { abi[Int(r & 31)] }

    /// Parses `x5`, `t0`, `fp`.
    public static func parse(_ s: String) -> UInt8? {
        if s == "fp" { return 8 }
        if let i = abi.firstIndex(of: s) { return UInt8(i) }
        if s.hasPrefix("x"), let n = UInt8(s.dropFirst()), n < 32 { return n }
        return nil
    }
}
