import RISCV
import RVMachine

/// Small guest programs built with the encoder, for tests that need a specific instruction
/// sequence at a specific address.
public enum TestCode {
    /// `li rd, value` as lui + addi.
    public static func li(_ rd: UInt8, _ value: UInt32) -> [Instruction] {
        let low = Int32(bitPattern: value << 20) >> 20
        let high = Int32(bitPattern: value &- UInt32(bitPattern: low))
        return [Asm.u(.lui, rd, high), Asm.i(.addi, rd, rd, low)]
    }

    /// The words of `program` (every instruction must encode).
    public static func words(_ program: [Instruction]) -> [UInt32] {
        program.map { encode($0) ?? 0 }
    }

    /// Maps `[address, address + size)` with `perms` and writes `program` at `address`.
    public static func place(_ program: [Instruction], at address: UInt32, in machine: Machine,
        size: UInt32 = 0x1000, perms: UInt8 = PageFlag.rx)
    {
        machine.memory.map(address, length: size, perms: perms)
        for (i, w) in words(program).enumerated() { machine.memory.write32(address &+ UInt32(i * 4), w) }
    }

    /// `exit(a0)` for a Linux guest.
    public static let exit: [Instruction] = [Asm.i(.addi, 17, 0, 93), Asm.ecall]
}
