import RISCV
import RVMachine

/// Observes each instruction as it retires. The interpreter is generic over this so that the
/// untraced loop, specialised for `NoRetireHook`, contains no trace check at all.
public protocol RetireHook {
    /// The instruction at `pc` (its bits: `word`) retired; registers already hold its results.
    mutating func retired(pc: UInt32, word: UInt32, cpu: UnsafeMutablePointer<CPUState>)
}

public struct NoRetireHook: RetireHook {
    public init() {}
    @inline(__always)
    public mutating func retired(pc: UInt32, word: UInt32, cpu: UnsafeMutablePointer<CPUState>) {}
}
