import Foundation
import RVJITCommands
import Testing
import TestSupport

/// The gdb stub (`rvjit run --gdb`) driven by the real gdb-multiarch in batch mode, and by a
/// small client of our own for what gdb never sends (malformed packets, bad checksums, a client
/// that goes away mid-run). No assertion depends on time; every subprocess has a generous bound
/// after which it is killed and the test fails saying so.
@Suite("gdb stub")
struct GDBTests {
    static let gdbMissing: Comment = "gdb-multiarch is not installed (bash .ci/test installs gdb-multiarch)"

    /// guest-programs/debug/debugme.c, built with -O0 -g for rv32imac (compressed code) once.
    static let debugme: Result<String, Error> = {
        Result {
            guard let gcc = Toolchain.gcc else { throw GuestBuild.Failure.noCompiler }
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rvjit-gdb-\(ProcessInfo.processInfo.processIdentifier)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let elf = dir.appendingPathComponent("debugme.elf").path
            let source = Repository.guestPrograms.appendingPathComponent("debug/debugme.c").path
            let build = try runBounded(gcc, [
                "-march=rv32imac", "-mabi=ilp32", "-O0", "-g", "-static", "-nostdlib", "-ffreestanding",
                "-Wl,--build-id=none", "-Wl,--no-warn-rwx-segments", "-o", elf, source,
            ])
            guard build.status == 0 else { throw GuestBuild.Failure.compiler(build.output) }
            return elf
        }
    }()

    /// Runs gdb-multiarch in batch mode against a fresh stub; returns gdb's output, rvjit's
    /// status and rvjit's standard error.
    func session(_ engine: String, elf: String, commands: [String], rvjitArguments: [String] = [])
        throws -> (gdb: String, status: Int32, stderr: String)
    {
        let gdb = try #require(Toolchain.find("gdb-multiarch"), GDBTests.gdbMissing)
        let stub = try StubProcess(["--engine", engine] + rvjitArguments + [elf])
        var arguments = ["-batch", "-nx", "-ex", "set architecture riscv:rv32", "-ex", "target remote 127.0.0.1:\(stub.port)"]
        for c in commands { arguments += ["-ex", c] }
        let run = try runBounded(gdb, arguments + [elf])
        let status = try stub.wait()
        return (run.output, status, stub.stderr)
    }

    @Test("gdb breaks at a function, reads registers, an argument and a global, steps over 2- and 4-byte instructions, watches a global, and changes the exit status",
          arguments: ["interp", "jit"])
    func fullSession(_ engine: String) throws {
        let elf = try GDBTests.debugme.get()
        let r = try session(engine, elf: elf, commands: [
            "break square", "continue",
            "print x", "print $a0", "info registers sp", "print counter",
            "watch counter", "continue", "print counter",
            "delete", "break *guest_exit", "continue",
            "stepi", "print $pc", "stepi", "print $pc",
            "monitor engine",
            "set $a0 = 7", "continue",
        ])
        let out = r.gdb
        #expect(out.contains("Breakpoint 1, square (x=1)"), "\(out)")
        #expect(out.contains("$1 = 1"), "\(out)")
        #expect(out.contains("$2 = 1"), "\(out)")
        #expect(out.range(of: #"sp\s+0x[0-9a-f]+"#, options: .regularExpression) != nil, "\(out)")
        #expect(out.contains("$3 = 1"), "counter when square(1) runs: \(out)")
        #expect(out.contains("Old value = 1") && out.contains("New value = 2"), "\(out)")
        #expect(out.contains("$4 = 2"), "\(out)")
        #expect(out.contains("Breakpoint 3, 0x0001011e in guest_exit") || out.contains("Breakpoint 3, ") && out.contains("guest_exit"), "\(out)")
        // c.nop is 2 bytes, addi 4.
        #expect(out.contains("<guest_exit+2>"), "\(out)")
        #expect(out.contains("<guest_exit+6>"), "\(out)")
        #expect(out.contains("engine: \(engine)"), "\(out)")
        #expect(out.contains("exited with code 07"), "\(out)")
        #expect(r.status == 7, "rvjit: \(r.stderr)")
    }

    @Test("stepping from the entry and continuing to the end under gdb gives the guest's own status", arguments: ["interp", "jit"])
    func runToEnd(_ engine: String) throws {
        let elf = try GDBTests.debugme.get()
        let r = try session(engine, elf: elf, commands: ["stepi", "stepi", "info registers pc", "continue"])
        #expect(r.gdb.contains("exited normally"), "\(r.gdb)")
        #expect(r.status == 0, "rvjit: \(r.stderr)")
    }

    @Test("a breakpoint in a hot loop of a committed guest is hit on every pass under both engines", arguments: ["interp", "jit"])
    func hotLoopBreakpoint(_ engine: String) throws {
        // fib.elf (rv32imac, no debug information): break at fib's entry, continue a few times.
        let elf = Repository.guestPrograms.appendingPathComponent("bin-rv32imac/fib.elf").path
        let r = try session(engine, elf: elf, commands: [
            "break *fib", "continue", "continue", "continue", "info registers pc", "delete", "continue",
        ], rvjitArguments: ["--jit-threshold", "0"])
        #expect(r.gdb.components(separatedBy: "Breakpoint 1, ").count == 4, "\(r.gdb)")
        #expect(r.gdb.contains("<fib>") || r.gdb.contains("in fib"), "\(r.gdb)")
        #expect(r.gdb.contains("exited normally"), "\(r.gdb)")
        #expect(r.status == 0, "rvjit: \(r.stderr)")
    }

    @Test("code written through the stub runs, not a stale translation of the old bytes", arguments: ["interp", "jit"])
    func codeWriteDropsTranslations(_ engine: String) throws {
        // With a threshold of 0, square is translated at its first call; then its first
        // instruction becomes c.ret (0x8082): square(x) returns x, the total is 6, not 14, and
        // main returns 1. A stale translation would still return squares (exit 0).
        let elf = try GDBTests.debugme.get()
        let r = try session(engine, elf: elf, commands: [
            "watch total", "continue", "set {short}square = 0x8082", "delete", "continue",
        ], rvjitArguments: ["--jit-threshold", "0"])
        #expect(r.gdb.contains("Old value = 0") && r.gdb.contains("New value = 1"), "\(r.gdb)")
        #expect(r.gdb.contains("exited with code 01"), "\(r.gdb)")
        #expect(r.status == 1, "rvjit: \(r.stderr)")
    }

    @Test("a bare-metal guest: a breakpoint in its trap handler, the trap CSRs, then detach and run to the end",
          arguments: ["interp", "jit"])
    func bareMetal(_ engine: String) throws {
        let elf = Repository.bareELF("priv-traps")
        let r = try session(engine, elf: elf, commands: [
            "break *trap_handler", "continue", "print/x $mcause", "print/x $mepc", "info registers mstatus", "detach",
        ], rvjitArguments: ["--machine", "bare", "--isa", "rv32i", "--priv", "mu"])
        #expect(r.gdb.contains("in trap_handler"), "\(r.gdb)")
        #expect(r.gdb.contains("$1 = 0xb"), "ecall from M: \(r.gdb)")
        #expect(r.gdb.contains("$2 = 0x8000002c"), "\(r.gdb)")
        #expect(r.gdb.contains("MPP:3"), "\(r.gdb)")
        #expect(r.gdb.contains("detached"), "\(r.gdb)")
        #expect(r.status == 0, "the guest ran on to its own end after the detach: \(r.stderr)")
    }

    @Test("under Sv32 gdb's addresses are virtual: a breakpoint in a user process, its code read where it maps",
          arguments: ["interp", "jit"])
    func pagedMemory(_ engine: String) throws {
        // svpager-small's user program runs at virtual 0x400000 (physically in the kernel's image).
        let r = try session(engine, elf: Repository.bareELF("svpager-small"), commands: [
            "break *0x400024", "continue", "x/2i $pc", "x/wx 0x400024", "x/wx 0x300000", "kill",
        ], rvjitArguments: ["--machine", "bare", "--isa", "rv32i", "--priv", "msu"])
        #expect(r.gdb.contains("Breakpoint 1, 0x00400024"), "\(r.gdb)")
        #expect(r.gdb.contains("lw\tt4,0(t3)"), "\(r.gdb)")
        #expect(r.gdb.contains("0x400024:\t0x000e2e83"), "\(r.gdb)")
        #expect(r.gdb.contains("Cannot access memory at address 0x300000"), "unmapped: \(r.gdb)")
    }

    @Test("a read watchpoint stops before the load, then the run goes on", arguments: ["interp", "jit"])
    func readWatchpoint(_ engine: String) throws {
        let elf = try GDBTests.debugme.get()
        let r = try session(engine, elf: elf, commands: ["rwatch total", "continue", "print i", "delete", "continue"])
        #expect(r.gdb.contains("Hardware read watchpoint 1: total"), "\(r.gdb)")
        #expect(r.gdb.contains("Value = 0"), "\(r.gdb)")
        #expect(r.gdb.contains("$1 = 1"), "the first pass of the loop: \(r.gdb)")
        #expect(r.gdb.contains("exited normally"), "\(r.gdb)")
        #expect(r.status == 0, "\(r.stderr)")
    }

    // MARK: Our own client

    @Test("bad checksums are NAKed, malformed packets get an error, unknown ones an empty reply")
    func malformedInput() throws {
        let elf = try GDBTests.debugme.get()
        let stub = try StubProcess(["--engine", "jit", elf])
        let c = try RemoteClient(port: stub.port)
        c.sendRaw("$g#00")  // wrong checksum
        #expect(c.byte() == UInt8(ascii: "-"))
        #expect(c.request("qNoSuchThing") == "")
        #expect(c.request("m") == "E01")
        #expect(c.request("m10000,zz") == "E01")
        #expect(c.request("m123456789,4") == "E01")  // more than 32 bits
        #expect(c.request("m0,4") == "E14")  // unmapped
        #expect(c.request("p999") == "E01")
        #expect(c.request("P20=12") == "E01")
        #expect(c.request("Z0,10000,3") == "E22")
        #expect(c.request("Z9,10000,4") == "")
        #expect(c.request("G00") == "E01")
        #expect(c.request("Xzz") == "E01")
        #expect(c.request("vCont;q") == "E01")
        #expect(c.request("qRcmd,zz") == "E01")
        let regs = try #require(c.request("g"))
        #expect(regs.count == 33 * 8)
        let xml = try #require(c.request("qXfer:features:read:target.xml:0,3fff"))
        #expect(xml.hasPrefix("l") && xml.contains("riscv:rv32") && xml.contains("org.gnu.gdb.riscv.cpu"))
        #expect(c.request("qXfer:features:read:other.xml:0,10") == "E00")
        // The FP registers (64 bits with D), after the core's 33 and the 7 CSRs: f0 is register 40 (0x28), fa0 50 (0x32).
        #expect(xml.contains("org.gnu.gdb.riscv.fpu") && xml.contains(#"<reg name="fa0" bitsize="64""#))
        #expect(c.request("P32=0000000000000840") == "OK")  // fa0 = 3.0
        #expect(c.request("p32") == "0000000000000840")
        #expect(c.request("P32=00") == "E01", "a 64-bit register takes 16 digits")
        // Garbage outside packets and a packet cut by a new one are survived.
        c.sendRaw("garbage$m10")
        #expect(c.request("?") == "S05")
        // A write through the stub (below the stack pointer) and a read back.
        let spBytes = Array(regs.utf8)[16..<24]
        let sp = spBytes.chunks().reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1, radix: 16)! }
        let scratch = String(sp - 16, radix: 16)
        #expect(c.request("M\(scratch),4:01020304") == "OK")
        #expect(c.request("m\(scratch),4") == "01020304")
        #expect(c.request("X\(scratch),2:\u{7d}\u{03}a") == "OK")  // escaped '#' (0x23) and 'a'
        #expect(c.request("m\(scratch),4") == "23610304")
        c.send("k")
        c.close()
        #expect(try stub.wait() == 125, "\(stub.stderr)")
        #expect(stub.stderr.contains("killed by the debugger"))
    }

    @Test("random bytes and random well-framed packets never crash or hang the stub")
    func randomInput() throws {
        let elf = try GDBTests.debugme.get()
        let stub = try StubProcess(["--engine", "jit", elf])
        let c = try RemoteClient(port: stub.port)
        var rng = SeededGenerator(seed: 13)
        // Raw noise (no '$' so that no packet is left open, no 0x03 which means nothing here anyway).
        c.sendRaw((0..<4000).map { _ in UInt8.random(in: 0...255, using: &rng) }.filter { $0 != UInt8(ascii: "$") })
        // Well-framed packets with random bodies of the letters that mean something (no resumes).
        let letters = Array("gGpPmMXZzqQvHT?0123456789abcdef,:;=#}*".utf8)
        for _ in 0..<300 {
            let body = (0..<Int.random(in: 1...40, using: &rng)).map { _ in letters[Int.random(in: 0..<letters.count, using: &rng)] }
            var payload = String(decoding: body, as: UTF8.self)
            if let first = payload.first, "cCsSkDv".contains(first) { payload.removeFirst() }
            payload = payload.replacingOccurrences(of: "#", with: "").replacingOccurrences(of: "}", with: "")
                .replacingOccurrences(of: "*", with: "")
            if payload.hasPrefix("v") || payload.isEmpty { continue }
            #expect(c.request(payload) != nil, "no reply to \(payload)")
        }
        #expect(c.request("?") == "S05")
        c.send("k")
        c.close()
        #expect(try stub.wait() == 125, "\(stub.stderr)")
    }

    @Test("Ctrl-C stops a running guest, which can then be continued or killed", arguments: ["interp", "jit"])
    func interrupt(_ engine: String) throws {
        let sieve = Repository.elf("sieve")
        let stub = try StubProcess(["--engine", engine, sieve, "4000000", "100000"])
        let c = try RemoteClient(port: stub.port)
        // Ctrl-C while the guest runs (after the stub acknowledged the continue).
        c.send("c")
        #expect(c.byte() == UInt8(ascii: "+"))
        c.sendRaw([0x03])
        let reply = c.packet()
        #expect(reply == "T02", "\(String(describing: reply))")
        #expect(c.request("g")?.count == 33 * 8)
        // Ctrl-C right behind the packet that resumes.
        c.sendRaw("$vCont;c#a8\u{03}")
        #expect(c.packet() == "T02")
        #expect(c.request("vKill;1") == "OK")
        c.close()
        #expect(try stub.wait() == 125, "\(stub.stderr)")
    }

    @Test("a client that disconnects while the guest runs ends the run cleanly", arguments: ["interp", "jit"])
    func disconnectWhileRunning(_ engine: String) throws {
        let stub = try StubProcess(["--engine", engine, Repository.elf("sieve"), "4000000", "100000"])
        let c = try RemoteClient(port: stub.port)
        c.send("c")
        #expect(c.byte() == UInt8(ascii: "+"))
        c.close()
        #expect(try stub.wait() == 125, "\(stub.stderr)")
        #expect(stub.stderr.contains("the debugger disconnected"))
    }

    @Test("a client that disconnects while the guest is stopped ends the run cleanly")
    func disconnectWhileStopped() throws {
        let stub = try StubProcess([Repository.elf("hello")])
        let c = try RemoteClient(port: stub.port)
        c.sendRaw("$qSupp")  // half a packet
        c.close()
        #expect(try stub.wait() == 125, "\(stub.stderr)")
        #expect(stub.stderr.contains("the debugger disconnected"))
    }

    @Test("--gdb rejects what it cannot listen on")
    func badEndpoints() throws {
        let rvjit = try #require(rvjitExecutable)
        for bad in ["nope", "1.2.3:99999", "example.com:1234", "70000"] {
            let r = try runBounded(rvjit, ["run", "--gdb", bad, Repository.elf("hello")])
            #expect(r.status == 64, "\(bad): \(r.output)")
            #expect(r.output.contains("--gdb"), "\(bad): \(r.output)")
        }
    }
}

extension Array where Element == UInt8 {
    /// Pairs of hex digits as strings.
    func chunks() -> [String] {
        stride(from: 0, to: count, by: 2).map { String(decoding: self[$0..<Swift.min($0 + 2, count)], as: UTF8.self) }
    }
}

extension ArraySlice where Element == UInt8 {
    func chunks() -> [String] { Array(self).chunks() }
}
