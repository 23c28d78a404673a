import Foundation
import RISCV
import RVMachine
import RVSyscalls
import TestSupport
import Testing

/// Semihosting operations one by one, on a bare machine with one page of RAM at 0x1000 (the
/// parameter block at 0x1000, buffers from 0x1100) and the semihosting sequence at 0x2000.
final class SemihostingFixture {
    let machine = Machine(kind: .bare)
    let bridge: SyscallBridge
    let semihosting: Semihosting
    let out = OutputCollector()
    let sandbox: SandboxFixture
    static let block: UInt32 = 0x1000
    static let call: UInt32 = 0x2004

    init(arguments: [String] = ["one", "two"]) throws {
        sandbox = try SandboxFixture()
        bridge = SyscallBridge(console: Console(capture: out.append), directories: [DirectoryMapping(hostPath: sandbox.path, guestPath: "/work")])
        semihosting = Semihosting(bridge: bridge, arguments: arguments, heapInfo: .init(heapBase: 0x1800, heapLimit: 0x1c00, stackBase: 0x2000, stackLimit: 0x1c00))
        machine.memory.map(0x1000, length: 0x1000, perms: PageFlag.rw)
        machine.memory.map(0x2000, length: 0x1000, perms: PageFlag.rwx)
        let (a, b, c) = Machine.semihostingSequence
        machine.memory.write32(0x2000, a)
        machine.memory.write32(0x2004, b)
        machine.memory.write32(0x2008, c)
        machine.semihosting = semihosting
        bridge.sandbox.setCwd("/work")
    }

    func put(_ words: [UInt32], at address: UInt32 = block) {
        for (i, w) in words.enumerated() { machine.memory.write32(address &+ UInt32(i * 4), w) }
    }

    func put(string: String, at address: UInt32) -> UInt32 {
        machine.memory.writeBytes(address, Array(string.utf8) + [0])
        return UInt32(string.utf8.count)
    }

    /// Runs operation `op` with a1 = `a1` through the `ebreak` (as both executors do); returns a0.
    @discardableResult
    func call(_ op: Semihosting.Operation, _ a1: UInt32 = block) -> Int32 {
        machine[register: 10] = op.rawValue
        machine[register: 11] = a1
        machine.breakpoint(pc: SemihostingFixture.call)
        return Int32(bitPattern: machine[register: 10])
    }

    var errno: Int32 { call(.errno) }
}

final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: [Int32: [UInt8]] = [:]
    func append(_ fd: Int32, _ b: [UInt8]) { lock.withLock { bytes[fd, default: []] += b } }
    func text(_ fd: Int32) -> String { lock.withLock { String(decoding: bytes[fd] ?? [], as: UTF8.self) } }
}

@Suite("semihosting operations")
struct SemihostingTests {
    @Test("the ebreak is a call only between the exact uncompressed neighbours")
    func sequence() throws {
        let f = try SemihostingFixture()
        f.machine[register: 10] = Semihosting.Operation.tickfreq.rawValue
        f.machine.breakpoint(pc: SemihostingFixture.call)
        #expect(f.machine.pc == SemihostingFixture.call + 4)
        #expect(f.machine[register: 10] == 1_000_000)
        #expect(f.machine.instret == 1)
        for (address, word) in [(UInt32(0x2000), UInt32(0x0000_0013)), (0x2008, 0x4070_1013), (0x2000, 0x01f0_1013 | 1 << 7)] {
            let g = try SemihostingFixture()
            g.machine.privileged.mtvec = 0x2100
            g.machine.memory.write32(address, word)
            g.machine.breakpoint(pc: SemihostingFixture.call)
            #expect(g.machine.privileged.mcause == TrapCause.breakpoint.rawValue)
            #expect(g.machine.pc == 0x2100)
        }
        // Without a handler (--no-semihosting) the sequence is a plain breakpoint. (Not run as a
        // whole picolibc program: with no mtvec set its trap loops through address 0 for ever
        // without retiring an instruction, so no budget would end it.)
        let plain = try SemihostingFixture()
        plain.machine.semihosting = nil
        plain.machine.privileged.mtvec = 0x2100
        plain.machine.breakpoint(pc: SemihostingFixture.call)
        #expect(plain.machine.privileged.mcause == TrapCause.breakpoint.rawValue)
        #expect(plain.machine.privileged.mepc == SemihostingFixture.call)
        // At the bottom of the address space there is no word before the ebreak.
        let h = try SemihostingFixture()
        #expect(!h.machine.isSemihostingCall(0))
        #expect(!h.machine.isSemihostingCall(0xffff_fffc))
    }

    @Test("console output: WRITEC, WRITE0, WRITE to :tt")
    func console() throws {
        let f = try SemihostingFixture()
        f.machine.memory.writeBytes(0x1100, [0x41])
        f.call(.writec, 0x1100)
        _ = f.put(string: "zero-terminated\n", at: 0x1200)
        f.call(.write0, 0x1200)
        let n = f.put(string: ":tt", at: 0x1300)
        f.put([0x1300, 4, n])  // "w": stdout
        let out = f.call(.open)
        #expect(out > 0)
        f.put([0x1300, 8, n])  // "a": stderr
        let err = f.call(.open)
        let m = f.put(string: "line\n", at: 0x1400)
        f.put([UInt32(out), 0x1400, m])
        #expect(f.call(.write) == 0)
        f.put([UInt32(err), 0x1400, 2])
        #expect(f.call(.write) == 0)
        f.put([UInt32(out)])
        #expect(f.call(.istty) == 1)
        #expect(f.call(.close) == 0)
        #expect(f.out.text(1) == "Azero-terminated\nline\n")
        #expect(f.out.text(2) == "li")
    }

    @Test("files: open, write, seek, flen, read, close, rename, remove, all in the sandbox")
    func files() throws {
        let f = try SemihostingFixture()
        let n = f.put(string: "new.txt", at: 0x1100)
        f.put([0x1100, 6, n])  // "w+"
        let h = f.call(.open)
        #expect(h > 0)
        let m = f.put(string: "0123456789", at: 0x1200)
        f.put([UInt32(h), 0x1200, m])
        #expect(f.call(.write) == 0)
        f.put([UInt32(h)])
        #expect(f.call(.flen) == 10)
        #expect(f.call(.istty) == 0)
        f.put([UInt32(h), 4])
        #expect(f.call(.seek) == 0)
        f.put([UInt32(h), 0x1300, 100])
        #expect(f.call(.read) == 94)  // 6 of 100 bytes read: 94 not read
        #expect(f.machine.memory.readBytes(0x1300, count: 6) == Array("456789".utf8))
        f.put([UInt32(h), 0x1300, 100])
        #expect(f.call(.read) == 100)  // at the end of the file
        f.put([UInt32(h)])
        #expect(f.call(.close) == 0)
        #expect(f.call(.close) == -1)
        #expect(f.errno == EBADF)
        #expect(try String(contentsOfFile: f.sandbox.path + "/new.txt", encoding: .utf8) == "0123456789")

        let k = f.put(string: "renamed.txt", at: 0x1400)
        f.put([0x1100, n, 0x1400, k])
        #expect(f.call(.rename) == 0)
        #expect(FileManager.default.fileExists(atPath: f.sandbox.path + "/renamed.txt"))
        f.put([0x1400, k])
        #expect(f.call(.remove) == 0)
        #expect(!FileManager.default.fileExists(atPath: f.sandbox.path + "/renamed.txt"))
        #expect(f.call(.remove) == -1)
        #expect(f.errno == ENOENT)
    }

    @Test("the sandbox holds: nothing outside the mapped directory opens", arguments: ["/etc/passwd", "../../etc/passwd", "link-out", "/work/../etc/hostname"])
    func sandbox(_ path: String) throws {
        let f = try SemihostingFixture()
        let n = f.put(string: path, at: 0x1100)
        f.put([0x1100, 0, n])
        #expect(f.call(.open) == -1)
        #expect(f.errno != 0)
    }

    @Test("open modes and a read-only file")
    func modes() throws {
        let f = try SemihostingFixture()
        let n = f.put(string: "inside.txt", at: 0x1100)
        f.put([0x1100, 1, n])  // "rb"
        let h = f.call(.open)
        #expect(h > 0)
        f.put([UInt32(h), 0x1200, 4])
        #expect(f.call(.write) == -1)  // opened for reading
        f.put([0x1100, 12, n])
        #expect(f.call(.open) == -1)  // no mode 12
        #expect(f.errno == EINVAL)
    }

    @Test("hostile pointers and lengths are error returns", arguments: [
        // (operation, block words): each names memory that is not there or too long.
        (Semihosting.Operation.open, [UInt32(0x1100), 0, 0xffff_ffff]),
        (.open, [0x9000_0000, 0, 4]),
        (.write, [1, 0x2f00, 0x1000]),
        (.write, [1, 0xffff_fff0, 0x100]),
        (.write, [1, 0x1100, 0xffff_ffff]),
        (.remove, [0x1ff8, 0x10]),
        (.rename, [0x1100, 0xffff_ffff, 0x1100, 1]),
        (.getCmdline, [0x2ffc, 100]),
        (.tmpnam, [0x3000, 1, 100]),
    ])
    func hostile(_ op: Semihosting.Operation, _ words: [UInt32]) throws {
        let f = try SemihostingFixture()
        let n = f.put(string: ":tt", at: 0x1100)
        f.put([0x1100, 4, n])
        #expect(f.call(.open) == 1)  // handle 1: stdout
        f.put(words)
        #expect(f.call(op) == -1)
        #expect(f.errno == EFAULT || f.errno == ENAMETOOLONG || f.errno == E2BIG)
        #expect(f.machine.stopReason == nil)
        #expect(f.out.text(1) == "")
    }

    @Test("a parameter block that is not memory", arguments: Semihosting.Operation.allCases.filter {
        ![.writec, .write0, .readc, .clock, .time, .errno, .exit, .tickfreq, .system].contains($0)
    })
    func badBlock(_ op: Semihosting.Operation) throws {
        let f = try SemihostingFixture()
        #expect(f.call(op, 0xffff_fffe) == -1)
        #expect(f.errno == EFAULT)
        #expect(f.machine.stopReason == nil)
    }

    @Test("GET_CMDLINE, HEAPINFO, ISERROR, TMPNAM, the features file")
    func information() throws {
        let f = try SemihostingFixture(arguments: ["one", "two"])
        f.put([0x1100, 64])
        #expect(f.call(.getCmdline) == 0)
        #expect(f.machine.memory.readBytes(0x1100, count: 8) == Array("one two\0".utf8))
        #expect(f.machine.memory.read32(0x1004) == 7)
        f.put([0x1100, 7])
        #expect(f.call(.getCmdline) == -1)  // no room for the NUL

        f.put([0x1200])
        #expect(f.call(.heapinfo) == 0)
        #expect((0..<4).map { f.machine.memory.read32(0x1200 + $0 * 4) } == [0x1800, 0x1c00, 0x2000, 0x1c00])

        f.put([UInt32(bitPattern: -5)])
        #expect(f.call(.iserror) == 1)
        f.put([0])
        #expect(f.call(.iserror) == 0)

        f.put([0x1300, 7, 100])
        #expect(f.call(.tmpnam) == 0)
        #expect(f.machine.memory.readBytes(0x1300, count: 5) == Array("/tmp/".utf8))

        let n = f.put(string: ":semihosting-features", at: 0x1400)
        f.put([0x1400, 0, n])
        let h = f.call(.open)
        f.put([UInt32(h)])
        #expect(f.call(.flen) == 5)
        f.put([UInt32(h), 0x1500, 5])
        #expect(f.call(.read) == 0)
        #expect(f.machine.memory.readBytes(0x1500, count: 5) == [0x53, 0x48, 0x46, 0x42, 0x03])
    }

    @Test("clocks under --deterministic follow the instruction count")
    func clocks() throws {
        let f = try SemihostingFixture()
        f.machine.deterministic = true
        f.machine.cpu.pointee.instret = 2_000_000
        #expect(f.call(.clock) == 200)
        #expect(f.call(.time) == 2)
        #expect(f.call(.elapsed, 0x1100) == 0)
        #expect(f.machine.memory.read32(0x1100) == 2_000_002)  // two calls retired before it
        #expect(f.machine.memory.read32(0x1104) == 0)
    }

    @Test("EXIT and EXIT_EXTENDED set the exit status", arguments: [
        (Semihosting.Operation.exit, [UInt32]([]), UInt32(0x20026), Int32(0)),
        (.exit, [], 0x20023, 1),
        (.exitExtended, [0x20026, 3], 0x1000, 3),
        (.exitExtended, [0x20026, 0], 0x1000, 0),
        (.exitExtended, [0x20023, 7], 0x1000, 1),
    ])
    func exit(_ op: Semihosting.Operation, _ words: [UInt32], _ a1: UInt32, _ status: Int32) throws {
        let f = try SemihostingFixture()
        f.put(words)
        f.call(op, a1)
        #expect(f.machine.stopReason == .exited(status))
    }
}
