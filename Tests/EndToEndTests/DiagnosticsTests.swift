import Foundation
import Testing
import TestSupport

/// Fault reports and the `cpu` and `traps` trace kinds, through the executable.
@Suite("Fault reports and diagnostic traces")
struct DiagnosticsTests {
    func rvjit(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        try spawn(try #require(rvjitExecutable, "the rvjit executable is not built beside the test bundle"), arguments)
    }

    @Test("a guest fault prints the pc as symbol+offset, the instruction, the registers by ABI name and the last blocks entered",
          arguments: ["interp", "jit"])
    func faultReport(_ engine: String) throws {
        let r = try rvjit(["run", "--engine", engine, Repository.elf("segv")])
        #expect(r.status == 139)
        let lines = r.err.split(separator: "\n").map(String.init)
        #expect(lines.first == "rvjit: guest fault: load access fault at address 0x70000000, pc 0x1008c", "\(r.err)")
        #expect(r.err.contains("rvjit:   at 0x1008c <main+0x18>: 0007a583  lw a1,0(a5)"), "\(r.err)")
        #expect(r.err.contains("a5   0x70000000"), "\(r.err)")
        #expect(r.err.contains("zero 0x00000000  ra   0x00010088"), "\(r.err)")
        #expect(r.err.contains("last blocks entered (oldest first):"), "\(r.err)")
        #expect(lines.last?.contains("<main") == true, "the last block entered is main's: \(r.err)")
        #expect(lines.allSatisfy { $0.hasPrefix("rvjit: ") }, "\(r.err)")
    }

    @Test("a bare-metal trap storm stopped by the budget reports the last trap", arguments: ["interp", "jit"])
    func trapStormReport(_ engine: String) throws {
        // trapself: the handler's first instruction is illegal; 3 instructions retire, 997 trap.
        let r = try rvjit(["run", "--engine", engine, "--machine", "bare", "--max-instructions", "1000",
                           Repository.guestPrograms.appendingPathComponent("hostile/bin/trapself.elf").path])
        #expect(r.status == 124)
        #expect(r.err.contains("last trap (997 taken): exception illegal instruction, mepc 0x80000010"), "\(r.err)")
        #expect(r.err.contains("registers:"), "\(r.err)")
    }

    @Test("cpu and traps traces are the same under both engines, in text and JSONL", arguments: ["text", "jsonl"])
    func cpuAndTrapTraces(_ format: String) throws {
        var outputs: [String] = []
        for engine in ["interp", "jit"] {
            let r = try rvjit(["run", "--engine", engine, "--trace", "cpu,traps", "--trace-format", format, "--trace-file", "-",
                               Repository.guestPrograms.appendingPathComponent("bin-rv32imac/fib.elf").path, "8"])
            #expect(r.status == 0)
            outputs.append(r.out)
        }
        #expect(outputs[0] == outputs[1])
        if format == "jsonl" {
            let first = try #require(outputs[0].split(separator: "\n").first { $0.contains("\"kind\":\"cpu\"") })
            #expect(first.contains("\"symbol\":\"_start\"") && first.contains("\"regs\":{\"zero\":0,\"ra\":0,\"sp\":"), "\(first)")
        } else {
            #expect(outputs[0].contains("cpu 0x000100b8 <_start> priv U icount 0") || outputs[0].contains("<_start> priv U icount 0"), "\(outputs[0].prefix(300))")
            #expect(outputs[0].contains(" sp   7ffe"), "\(outputs[0].prefix(600))")
        }
    }

    @Test("traps: a bare-metal kernel's timer interrupts and ecalls, the same under both engines; a Linux fault has no handler")
    func trapTraces() throws {
        var outputs: [String] = []
        for engine in ["interp", "jit"] {
            let r = try rvjit(["run", "--engine", engine, "--machine", "bare", "--deterministic", "--trace", "traps", "--trace-file", "-",
                               Repository.bareELF("minikernel")])
            outputs.append(r.out.split(separator: "\n").filter { $0.hasPrefix("trap ") }.joined(separator: "\n"))
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0].contains("trap interrupt 7 (machine timer interrupt)"))
        #expect(outputs[0].contains("priv U->M"))
        #expect(outputs[0].contains("(environment call from U-mode)"))
        let segv = try rvjit(["run", "--trace", "traps", "--trace-format", "jsonl", Repository.elf("segv")])
        #expect(segv.err.contains(#""kind":"traps""#) && segv.err.contains(#""handler":null"#) && segv.err.contains(#""tval":1879048192"#), "\(segv.err)")
    }

    @Test("--trace's help is generated from the table of kinds, cpu and traps included")
    func helpListsKinds() throws {
        let r = try rvjit(["run", "--help"])
        let flat = r.out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(flat.contains("cpu (the register file at each block entry"), "\(r.out)")
        #expect(flat.contains("traps (each exception and interrupt"), "\(r.out)")
    }
}
