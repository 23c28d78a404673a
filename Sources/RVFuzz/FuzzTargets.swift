import Foundation
import RISCV
import RVInterpreter
import RVJIT
import RVMachine
import RVJITCommands
import RVSyscalls

/// The fuzz targets: each takes arbitrary bytes and must neither crash nor hang; the differential
/// target also traps when the interpreter and the JIT disagree. `rvjit-fuzz` runs them under
/// libFuzzer (`.ci/fuzz`), and the test suite replays the inputs kept in `Tests/Fuzz/corpus/`.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The ELF parser and loader (Linux and bare machines).
    case elf
    /// The decoder, the compressed expansion, the encoder and the disassembler.
    case decode
    /// The system-call bridge's argument marshalling: calls and arguments drawn from the input.
    case syscalls
    /// Instruction streams run on the interpreter and the JIT, which must agree.
    case differential
    /// The gdb stub's packet parser and handlers (registers, memory, breakpoints, queries).
    case gdb
    /// Semihosting calls with operations and parameter blocks drawn from the input.
    case semihosting

    public func run(_ data: UnsafeRawBufferPointer) {
        switch self {
        case .elf: FuzzTargets.elf(data)
        case .decode: FuzzTargets.decode(data)
        case .syscalls: FuzzTargets.syscalls(data)
        case .differential: FuzzTargets.differential(data)
        case .gdb: GDBPacketFuzzing.run(data)
        case .semihosting: FuzzTargets.semihosting(data)
        }
    }
}

/// Reads the input as a little-endian stream of values.
struct FuzzInput {
    let bytes: UnsafeRawBufferPointer
    var at = 0

    mutating func u8() -> UInt8 {
        guard at < bytes.count else { return 0 }
        defer { at += 1 }
        return bytes[at]
    }

    mutating func u16() -> UInt16 { UInt16(u8()) | UInt16(u8()) << 8 }
    mutating func u32() -> UInt32 { UInt32(u16()) | UInt32(u16()) << 16 }
    var isEmpty: Bool { at >= bytes.count }
}

public enum FuzzTargets {
    static func elf(_ data: UnsafeRawBufferPointer) {
        guard let elf = try? ELFFile(bytes: [UInt8](data)) else { return }
        for kind in MachineKind.allCases {
            let m = Machine(kind: kind)
            m.memoryLimit = 64 << 20
            try? m.load(elf, arguments: ["fuzz", "a"], environment: ["X=1"])
        }
        _ = elf.disassembler(aliases: true)
        _ = elf.declaredISA
    }

    static func decode(_ data: UnsafeRawBufferPointer) {
        var input = FuzzInput(bytes: data)
        let isas: [ISA] = [.implemented, .rv32i, .everything]
        let disassemblers = [Disassembler(aliases: true), Disassembler(aliases: false), Disassembler(isa: .rv32i)]
        while !input.isEmpty {
            let word = input.u32()
            for isa in isas {
                let inst = RISCV.decode(word, isa: isa)
                // A decoded 32-bit instruction re-encodes to a word of its own row.
                if inst.length == 4, let spec = inst.spec, let back = encode(inst), back & spec.mask != spec.match {
                    fatalError("0x\(String(word, radix: 16)) decodes to \(inst), which encodes outside its row")
                }
            }
            for d in disassemblers { _ = d.text(word: word, pc: word & ~1) }
            _ = CompressedTable.expand(UInt16(truncatingIfNeeded: word))
        }
    }

    /// A machine with a sandbox of its own (an empty temporary directory) and a data page.
    static let sandbox: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rvjit-fuzz-sandbox-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.path
    }()

    /// System calls that touch only the sandbox, the guest and the process's own state (no
    /// signals, no process control): each drawn from the input with six arguments pointing
    /// anywhere, mostly into guest memory.
    static let syscallNumbers: [UInt32] = [
        17, 23, 24, 25, 29, 34, 35, 37, 38, 46, 48, 49, 56, 57, 61, 62, 63, 64, 65, 66, 67, 68, 78, 79, 80,
        113, 160, 169, 172, 173, 174, 175, 176, 177, 178, 179, 214, 215, 222, 226, 233, 276, 278, 291,
    ]

    static func syscalls(_ data: UnsafeRawBufferPointer) {
        var input = FuzzInput(bytes: data)
        let m = Machine(kind: .linux)
        m.memoryLimit = 64 << 20
        let bridge = SyscallBridge(console: Console(capture: { _, _ in }), directories: [DirectoryMapping(hostPath: sandbox)])
        m.syscalls = bridge
        let page: UInt32 = 0x1000_0000
        m.memory.map(page, length: 0x4000, perms: PageFlag.rw)
        var calls = 0
        while !input.isEmpty && calls < 32 && m.stopReason == nil {
            let number = syscallNumbers[Int(input.u8()) % syscallNumbers.count]
            for r in 10...15 {
                let kind = input.u8()
                let raw = input.u32()
                // Mostly pointers into the mapped page, sometimes anything at all.
                m[register: r] = kind & 3 == 0 ? raw : kind & 3 == 1 ? page &+ (raw & 0x3fff) : raw & 0xff
            }
            m[register: 17] = number
            bridge.handleSyscall(m)
            calls += 1
        }
        withExtendedLifetime(bridge) {}
    }

    /// Up to 16 semihosting calls on a bare machine whose parameter blocks and strings come from
    /// the input (copied into a data page), with pointers into that page or anywhere; files
    /// only in the fuzzers' sandbox.
    static func semihosting(_ data: UnsafeRawBufferPointer) {
        var input = FuzzInput(bytes: data)
        let m = Machine(kind: .bare)
        let page: UInt32 = 0x8010_0000
        m.memory.map(page, length: 0x2000, perms: PageFlag.rw)
        m.memory.writeBytes(page, UnsafeRawBufferPointer(rebasing: data.prefix(0x2000)))
        let bridge = SyscallBridge(console: Console(capture: { _, _ in }), directories: [DirectoryMapping(hostPath: sandbox)])
        let host = Semihosting(
            bridge: bridge, arguments: ["fuzz", "a b"],
            heapInfo: .init(heapBase: page, heapLimit: page + 0x1000, stackBase: page + 0x2000, stackLimit: page + 0x1000))
        var calls = 0
        while !input.isEmpty && calls < 16 && m.stopReason == nil {
            let op = input.u8()
            let kind = input.u8()
            let raw = input.u32()
            m[register: 10] = UInt32(op & 0x3f)
            m[register: 11] = kind & 1 == 0 ? page &+ (raw & 0x1fff) : raw
            host.handleSemihosting(m, pc: 0x8000_0004)
            calls += 1
        }
        withExtendedLifetime(bridge) {}
    }

    static let codeBase: UInt32 = 0x10000
    static let dataBase: UInt32 = 0x2000_0000

    static func machine(code: [UInt8], jit: Bool) -> Machine {
        let m = Machine(kind: .linux)
        m.deterministic = true
        m.memory.map(codeBase, length: 0x2000, perms: PageFlag.rwx)
        m.memory.writeBytes(codeBase, code)
        m.memory.map(dataBase, length: 0x1000, perms: PageFlag.rw)
        for i in UInt32(0)..<0x400 { m.memory.write32(dataBase + i * 4, i &* 0x9E37_79B9) }
        for r in 1..<31 { m[register: r] = UInt32(r) &* 0x0101_0101 }
        m[register: 31] = dataBase + 0x800
        m.pc = codeBase
        m.instructionBudget = 20_000
        m.updateLimit()
        return m
    }

    static func differential(_ data: UnsafeRawBufferPointer) {
        let code = [UInt8](data.prefix(0x2000))
        let reference = machine(code: code, jit: false)
        Interpreter().run(reference)
        let translated = machine(code: code, jit: true)
        var options = JITOptions()
        options.threshold = 0
        JIT(machine: translated, options: options).run()
        let regs = { (m: Machine) in (0..<32).map { m[register: $0] } }
        let same = reference.pc == translated.pc && reference.instret == translated.instret
            && regs(reference) == regs(translated) && reference.stopReason == translated.stopReason
            && reference.memory.readBytes(dataBase, count: 0x1000) == translated.memory.readBytes(dataBase, count: 0x1000)
        if !same {
            fatalError("""
                interpreter and JIT disagree: pc \(reference.pc) / \(translated.pc), instret \(reference.instret) / \(translated.instret), \
                stop \(String(describing: reference.stopReason)) / \(String(describing: translated.stopReason))
                """)
        }
    }
}
