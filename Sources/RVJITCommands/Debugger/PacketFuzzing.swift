import RISCV
import RVJIT
import RVMachine

/// The gdb stub's packet handling, for the fuzzers: each piece of the input between `$`s (or 0
/// bytes) is handed to a session as a packet, against a small Linux machine. Packets that would
/// resume or end the run are answered but not acted on, so every input finishes at once.
public enum GDBPacketFuzzing {
    public static func run(_ data: UnsafeRawBufferPointer) {
        let m = Machine(kind: .linux)
        m.memory.map(0x10000, length: 0x2000, perms: PageFlag.rx)
        m.memory.map(0x20000, length: 0x1000, perms: PageFlag.rw)
        m.memory.write32(0x10000, encode(Asm.i(.addi, 10, 10, 1)) ?? 0)
        m.pc = 0x10000
        m[register: 2] = 0x20800
        let session = GDBSession(
            machine: m, engine: DebugEngine(machine: m, kind: .interp, jitOptions: JITOptions()), connection: GDBConnection(fd: -1))
        var packet: [UInt8] = []
        for byte in data {
            if byte == UInt8(ascii: "$") || byte == 0 {
                if !packet.isEmpty { _ = session.handle(packet) }
                packet.removeAll(keepingCapacity: true)
            } else if packet.count < 4096 {
                packet.append(byte)
            }
        }
        if !packet.isEmpty { _ = session.handle(packet) }
    }
}
