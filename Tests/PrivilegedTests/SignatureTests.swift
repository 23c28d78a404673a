import Foundation
import RISCV
import RVJITCommands
import RVMachine
import TestSupport
import Testing

/// An arch-test-style program: its own RVMODEL_* macros, results stored into the signature
/// area, halting through tohost.
let archTestSource = """
    .file "sig.S"
    #define RVMODEL_HALT            li t0, 1; la t1, tohost; sw zero, 4(t1); sw t0, 0(t1); 1: j 1b
    #define RVMODEL_DATA_BEGIN      .align 4; .global begin_signature; begin_signature:
    #define RVMODEL_DATA_END        .align 4; .global end_signature; end_signature:
    #define TEST_RR(op, a, b)       li a1, a; li a2, b; op a3, a1, a2; sw a3, 0(s0); addi s0, s0, 4
        .section .text.init
        .global _start
    _start:
        la s0, begin_signature
        TEST_RR(add, 0x7fffffff, 1)
        TEST_RR(sub, 0, 1)
        TEST_RR(xor, 0x12345678, 0xffff0000)
        TEST_RR(sltu, 1, 2)
        TEST_RR(sll, 0x81, 28)
        li a1, 0xa5; sb a1, 0(s0)
        RVMODEL_HALT
        .section .tohost, "aw", @progbits
        .align 6
        .global tohost
    tohost: .dword 0
        .global fromhost
    fromhost: .dword 0
        .data
    RVMODEL_DATA_BEGIN
        .fill 6, 4, 0xdeadbeef
    RVMODEL_DATA_END
    """

@Suite("arch-test signatures")
struct SignatureTests {
    @Test("a signature equals the one computed by hand, under both engines",
          .enabled(if: Toolchain.gcc != nil, "needs riscv64-unknown-elf-gcc"), arguments: EngineKind.allCases)
    func signature(_ engine: EngineKind) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rvjit-sig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = dir.appendingPathComponent("sig.S").path, elf = dir.appendingPathComponent("sig.elf").path
        try archTestSource.write(toFile: source, atomically: true, encoding: .utf8)
        let gcc = Process()
        gcc.executableURL = URL(fileURLWithPath: try #require(Toolchain.gcc))
        gcc.arguments = ["-march=rv32i", "-mabi=ilp32", "-nostdlib", "-static", "-Wl,-Ttext=0x80000000", "-Wl,--no-warn-rwx-segments", "-o", elf, source]
        try gcc.run()
        gcc.waitUntilExit()
        try #require(gcc.terminationStatus == 0)

        var config = RunConfiguration(elfPath: elf, engine: engine)
        config.machine = .bare
        config.isa = try ISA(parsing: "rv32i")
        config.maxInstructions = 10_000
        config.signaturePath = dir.appendingPathComponent("sig.txt").path
        let run = try GuestRunner.run(config)
        #expect(run.result.stop == .exited(0))
        // By hand: 0x7fffffff + 1, 0 - 1, 0x12345678 ^ 0xffff0000, 1 <u 2, 0x81 << 28 (bits past
        // 31 gone), then the byte 0xa5 stored over the low byte of the sixth 0xdeadbeef; then
        // two words of alignment padding to the 16-byte aligned end_signature.
        let expected = ["80000000", "ffffffff", "edcb5678", "00000001", "10000000", "deadbea5", "00000000", "00000000"]
        let text = try String(contentsOfFile: config.signaturePath!, encoding: .utf8)
        #expect(text == expected.joined(separator: "\n") + "\n")

        config.signatureGranularity = 8  // two words a line, the higher-addressed one first
        _ = try GuestRunner.run(config)
        let wide = try String(contentsOfFile: config.signaturePath!, encoding: .utf8)
        #expect(wide == "ffffffff80000000\n00000001edcb5678\ndeadbea510000000\n0000000000000000\n")
    }

    @Test("no signature symbols is an error, not a crash")
    func missing() throws {
        let machine = Machine(kind: .bare)
        #expect(throws: RunError.self) { try Signature.dump(machine, granularity: 4) }
        machine.symbols = SymbolTable([
            .init(name: "begin_signature", address: 0x9000_0000, isFunction: false),
            .init(name: "end_signature", address: 0x9000_0010, isFunction: false),
        ])
        #expect(throws: RunError.self) { try Signature.dump(machine, granularity: 4) }  // not memory
        machine.memory.map(0x9000_0000, length: 0x1000, perms: PageFlag.rw)
        machine.memory.writeBytes(0x9000_0000, [1, 2, 3, 4, 5, 6])
        #expect(try Signature.dump(machine, granularity: 1).hasPrefix("01\n02\n03\n"))
        #expect(try Signature.dump(machine, granularity: 4) == "04030201\n00000605\n00000000\n00000000\n")
    }
}
