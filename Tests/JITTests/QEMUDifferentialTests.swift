import Foundation
import RISCV
import RVInterpreter
import RVJIT
import RVMachine
import TestSupport
import Testing

/// Random programs as real ELF executables, run on both engines and on qemu-riscv32: each
/// program ends by dumping its registers and data area to stdout, and the three outputs (and
/// exit statuses) must be identical.
@Suite struct QEMUDifferentialTests {
    /// A static ELF for `program`: every register cleared first (the initial stacks of qemu and
    /// rvjit differ, so nothing may depend on them), then the program, then a dump of x1–x30
    /// and the data area through write(1, …) and exit(0).
    static func executable(_ program: RandomProgram) -> [UInt8] {
        // f0–f31 from a table of edge values past the printed range (NaNs, infinities,
        // subnormals, singles boxed and not), then the integer registers cleared.
        let table = RandomProgram.dataBase + RandomProgram.dataSize + floatTableOffset
        let tableLow = Int32(bitPattern: table << 20) >> 20
        var prologue: [UInt32] = [encode(Asm.u(.lui, 1, Int32(bitPattern: table &- UInt32(bitPattern: tableLow)))) ?? 0,
                                  encode(Asm.i(.addi, 1, 1, tableLow)) ?? 0]
        prologue += (0..<32).map { encode(Asm.i(.fld, UInt8($0), 1, Int32($0 * 8))) ?? 0 }
        prologue += (1...30).map { encode(Asm.i(.addi, UInt8($0), 0, 0)) ?? 0 }
        let pointer = RandomProgram.dataPointer
        let low = Int32(bitPattern: pointer << 20) >> 20
        prologue.append(encode(Asm.u(.lui, 31, Int32(bitPattern: pointer &- UInt32(bitPattern: low)))) ?? 0)
        prologue.append(encode(Asm.i(.addi, 31, 31, low)) ?? 0)
        // The program is assembled for codeBase; shift it by the prologue and put the dump where
        // its final ebreak is (the functions after it are reached only by calls).
        var shifted = program
        shifted.codeBase = ELFWriter.codeAddress + UInt32(prologue.count * 4)
        let assembly = shifted.assemble()
        var body = assembly.bytes
        let dumpBase = RandomProgram.dataBase + RandomProgram.dataSize
        var dump: [Instruction] = [Asm.u(.lui, 31, Int32(bitPattern: dumpBase))]
        dump += (1...30).map { Asm.s(.sw, UInt8($0), Int32($0 * 4), 31) }
        // fcsr after x30, then f0–f31.
        dump += [Asm.csr(.csrrs, 1, CSR.fcsr, 0), Asm.s(.sw, 1, 124, 31)]
        dump += (0..<32).map { Asm.s(.fsd, UInt8($0), Int32(128 + $0 * 8), 31) }
        dump += [
            Asm.i(.addi, 17, 0, 64), Asm.i(.addi, 10, 0, 1), Asm.u(.lui, 11, Int32(bitPattern: RandomProgram.dataBase)),
            Asm.u(.lui, 12, 0x1000), Asm.i(.addi, 12, 12, Int32(dumpSize)), Asm.ecall,
            Asm.i(.addi, 17, 0, 93), Asm.i(.addi, 10, 0, 0), Asm.ecall,
        ]
        // Jump over the functions to the dump: the ebreak becomes a jal to the end.
        if body.count % 4 != 0 { body += [0x01, 0x00] }  // c.nop: the dump starts word-aligned
        let jump = encode(Asm.jal(0, Int32(body.count - assembly.ebreakOffset))) ?? 0
        withUnsafeBytes(of: jump.littleEndian) { body.replaceSubrange(assembly.ebreakOffset..<(assembly.ebreakOffset + 4), with: $0) }
        let code = prologue.flatMap(littleEndianBytes) + body + dump.flatMap { littleEndianBytes(encode($0) ?? 0) }
        var data: [UInt8] = []
        for i in 0..<(RandomProgram.dataSize / 4) { withUnsafeBytes(of: (i &* 0x9E37_79B9).littleEndian) { data += $0 } }
        data += [UInt8](repeating: 0, count: Int(floatTableOffset))
        var g = SeededGenerator(seed: program.seed ^ 0xF1F1)
        for r in 0..<32 { withUnsafeBytes(of: FloatEdges.register(r, using: &g).littleEndian) { data += $0 } }
        return ELFWriter.executable(code: code, data: data, dataAddress: RandomProgram.dataBase,
                                    dataMemorySize: RandomProgram.dataSize + 0x1000)
    }

    /// Where the table of initial f register values lies after the data area (past the dump).
    static let floatTableOffset: UInt32 = 0x800
    /// What the dump prints after the data area: x1–x30, fcsr, f0–f31.
    static let dumpSize = 128 + 32 * 8

    static func littleEndianBytes(_ w: UInt32) -> [UInt8] { withUnsafeBytes(of: w.littleEndian) { Array($0) } }

    final class Output: @unchecked Sendable { var bytes: [UInt8] = [] }

    /// F/D instructions the last interpreter run retired (the comparison must see some).
    nonisolated(unsafe) static var lastFloatCount: UInt64 = 0

    static func run(_ elf: [UInt8], jit: Bool) throws -> (status: Int32, stdout: [UInt8]) {
        let machine = Machine(kind: .linux)
        let out = Output()
        let syscalls = BasicSyscalls(console: Console(capture: { _, b in out.bytes += b }))
        machine.syscalls = syscalls
        try machine.load(try ELFFile(bytes: elf), arguments: ["random"])
        machine.instructionBudget = 10_000_000
        machine.updateLimit()
        if jit { JIT(machine: machine).run() } else { Interpreter().run(machine) }
        withExtendedLifetime(syscalls) {}
        lastFloatCount = machine.cpu.pointee.floatInstructions
        return (machine.stopReason?.exitStatus ?? -1, out.bytes)
    }

    @Test func randomProgramsMatchQEMU() throws {
        let qemu = try #require(Toolchain.qemu, Toolchain.qemuMissing)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rvjit-qemu-diff-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var failures = 0
        defer { if failures == 0 { try? FileManager.default.removeItem(at: dir) } }  // keep failing ELFs
        let count = ProcessInfo.processInfo.environment["RVJIT_QEMU_PROGRAMS"].flatMap(UInt64.init) ?? 150
        var withFloat = 0
        defer { #expect(withFloat * 2 > Int(count), "most programs run F/D instructions beyond the prologue") }
        for seed in UInt64(1)...count {
            var generator = ProgramGenerator(seed: seed &* 7919)
            generator.wildPointers = false
            generator.selfModifying = false  // the ELF's code segment is read-only
            generator.environmentInstructions = false  // host counters; a7 would name a real system call
            generator.reservations = false
            generator.reservedRoundingModes = false  // they end the run (the dump needs it to finish)
            let elf = Self.executable(generator.program())
            let path = dir.appendingPathComponent("p\(seed).elf").path
            _ = FileManager.default.createFile(atPath: path, contents: Data(elf), attributes: [.posixPermissions: 0o755])  // qemu-user runs only executable files
            let reference = try spawn(qemu, Toolchain.qemuCPU + [path])
            let interp = try Self.run(elf, jit: false)
            if Self.lastFloatCount > 32 { withFloat += 1 }
            let jit = try Self.run(elf, jit: true)
            #expect(reference.status == 0, "seed \(seed): qemu status \(reference.status)")
            #expect(reference.stdout.count == 4096 + Self.dumpSize, "seed \(seed)")
            if interp.stdout != reference.stdout || jit.stdout != reference.stdout || interp.status != reference.status
                || jit.status != reference.status
            {
                failures += 1
                Issue.record("seed \(seed &* 7919): qemu, interpreter and JIT disagree (statuses \(reference.status), \(interp.status), \(jit.status)); ELF kept at \(path)")
                if failures >= 3 { return }
            }
        }
    }

    func spawn(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stdout: [UInt8]) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationReason == .uncaughtSignal ? 128 + p.terminationStatus : p.terminationStatus, [UInt8](data))
    }
}

