import Foundation
import RVMachine
@testable import RVSyscalls
import TestSupport
import Testing

/// A hand-built Linux machine with the bridge installed: data page RW at 0x10000 (two pages),
/// a read-only page at 0x20000; 0x70000000 unmapped.
final class BridgeHarness {
    let machine = Machine(kind: .linux)
    let bridge: SyscallBridge
    let fixture: SandboxFixture
    var output: [Int32: [UInt8]] = [:]
    var events: [SyscallTraceEvent] = []

    static let data: UInt32 = 0x10000
    static let readOnly: UInt32 = 0x20000
    static let unmapped: UInt32 = 0x7000_0000

    init(readOnly: Bool = false, strict: Bool = false, map: Bool = true) throws {
        fixture = try SandboxFixture()
        let console = Console()
        bridge = SyscallBridge(
            console: console, directories: map ? [DirectoryMapping(hostPath: fixture.path, readOnly: readOnly)] : [], strict: strict)
        console.capture = { [unowned self] fd, bytes in self.output[fd, default: []] += bytes }
        bridge.onTrace = { [unowned self] e in self.events.append(e) }
        machine.syscalls = bridge
        machine.memory.map(Self.data, length: 0x2000, perms: PageFlag.rw)
        machine.memory.map(Self.readOnly, length: 0x1000, perms: PageFlag.read)
        machine.process.brkStart = 0x30000
        machine.process.brk = 0x30000
    }

    /// Runs syscall `n` as an `ecall` at 0x1000 would; returns a0 as a signed value.
    @discardableResult
    func call(_ n: UInt32, _ args: UInt32...) -> Int32 {
        for (i, a) in args.enumerated() { machine[register: 10 + i] = a }
        for i in args.count..<6 { machine[register: 10 + i] = 0 }
        machine[register: 17] = n
        machine.pc = 0x1000
        machine.environmentCall(pc: 0x1000)
        return Int32(bitPattern: machine[register: 10])
    }

    /// Puts a NUL-terminated string at `address` (in the data pages) and returns the address.
    func string(_ s: String, at address: UInt32 = BridgeHarness.data + 0x1800) -> UInt32 {
        machine.memory.writeBytes(address, Array(s.utf8) + [0])
        return address
    }

    func u64(_ address: UInt32) -> UInt64 {
        machine.memory.readBytes(address, count: 8).enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }
    func u32(_ address: UInt32) -> UInt32 { UInt32(truncatingIfNeeded: u64(address)) }
    func u16(_ address: UInt32) -> UInt16 { UInt16(truncatingIfNeeded: u64(address)) }
}

let AT_FDCWD = UInt32(bitPattern: -100)
let EFAULT: Int32 = -14

@Suite struct BridgeTests {
    // MARK: Struct conversion

    @Test func statxLayoutMatchesHostFile() throws {
        let h = try BridgeHarness()
        let path = h.fixture.path + "/sized.bin"
        try Data(repeating: 7, count: 1234).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o640)
        let out = BridgeHarness.data
        #expect(h.call(RV32Syscall.statx, AT_FDCWD, h.string(path), 0, 0x7ff, out) == 0)
        var st = stat()
        #expect(stat(path, &st) == 0)
        #expect(h.u64(out + 40) == 1234)  // stx_size
        #expect(UInt32(h.u16(out + 28)) == UInt32(st.st_mode))  // stx_mode: S_IFREG | 0640
        #expect(UInt32(h.u16(out + 28)) == UInt32(S_IFREG) | 0o640)
        #expect(h.u64(out + 32) == UInt64(st.st_ino))  // stx_ino
        #expect(h.u32(out + 16) == UInt32(st.st_nlink))  // stx_nlink
        #expect(h.u32(out + 0) & 0x201 == 0x201)  // stx_mask has TYPE and SIZE
        #expect(Int64(bitPattern: h.u64(out + 112)) == Int64(st.st_mtim.tv_sec))  // stx_mtime.tv_sec
    }

    @Test func statxOfSymlinkWithoutFollowing() throws {
        let h = try BridgeHarness()
        let out = BridgeHarness.data
        #expect(h.call(RV32Syscall.statx, AT_FDCWD, h.string(h.fixture.path + "/link-out"), 0x100, 0x7ff, out) == 0)
        #expect(UInt32(h.u16(out + 28)) & UInt32(S_IFMT) == UInt32(S_IFLNK))
        #expect(h.u64(out + 40) == 11)  // "/etc/passwd"
        // Following it leaves the sandbox.
        #expect(h.call(RV32Syscall.statx, AT_FDCWD, h.string(h.fixture.path + "/link-out"), 0, 0x7ff, out) < 0)
    }

    @Test func unameAndClock() throws {
        let h = try BridgeHarness()
        let out = BridgeHarness.data
        #expect(h.call(RV32Syscall.uname, out) == 0)
        #expect(h.machine.memory.cString(out) == "Linux")
        #expect(h.machine.memory.cString(out + 4 * 65) == "riscv32")
        #expect(h.call(RV32Syscall.clockGettime64, 0, out) == 0)
        #expect(h.u64(out) > 1_600_000_000)
        #expect(h.u64(out + 8) < 1_000_000_000)
        h.machine.deterministic = true
        #expect(h.call(RV32Syscall.clockGettime64, 1, out) == 0)
        #expect(h.u64(out) == 1000)
    }

    // MARK: Bad pointers

    @Test func badPointersGiveEFAULT() throws {
        let h = try BridgeHarness()
        let d = BridgeHarness.data
        #expect(h.call(RV32Syscall.write, 1, 0, 5) == EFAULT)  // NULL
        #expect(h.call(RV32Syscall.write, 1, BridgeHarness.unmapped, 16) == EFAULT)  // unmapped
        #expect(h.call(RV32Syscall.write, 1, d + 0x2000 - 8, 16) == EFAULT)  // length past the end
        #expect(h.call(RV32Syscall.write, 1, d, 0xffff_fff0) == EFAULT)  // wraps the address space
        #expect(h.call(RV32Syscall.write, 1, 0, 0) == 0)
        #expect(h.output[1, default: []].isEmpty)
        let fd = h.call(RV32Syscall.openat, AT_FDCWD, h.string(h.fixture.path + "/inside.txt"), 0, 0)
        #expect(fd >= 3)
        #expect(h.call(RV32Syscall.read, UInt32(fd), BridgeHarness.readOnly, 4) == EFAULT)  // read-only output
        #expect(h.call(RV32Syscall.read, UInt32(fd), BridgeHarness.unmapped, 4) == EFAULT)
        #expect(h.call(RV32Syscall.pread64, UInt32(fd), BridgeHarness.readOnly, 4, 0, 0) == EFAULT)
        #expect(h.call(RV32Syscall.read, UInt32(fd), d, 7) == 7)  // nothing was consumed before
        #expect(h.call(RV32Syscall.llseek, UInt32(fd), 0, 0, BridgeHarness.readOnly, 0) == EFAULT)
        #expect(h.call(RV32Syscall.getdents64, UInt32(fd), 0, 100) == EFAULT)
        #expect(h.call(RV32Syscall.openat, AT_FDCWD, 0, 0, 0) == EFAULT)
        #expect(h.call(RV32Syscall.openat, AT_FDCWD, BridgeHarness.unmapped, 0, 0) == EFAULT)
        #expect(h.call(RV32Syscall.statx, AT_FDCWD, h.string(h.fixture.path), 0, 0x7ff, BridgeHarness.readOnly) == EFAULT)
        #expect(h.call(RV32Syscall.clockGettime64, 0, 0) == EFAULT)
        #expect(h.call(RV32Syscall.uname, BridgeHarness.readOnly) == EFAULT)
        #expect(h.call(RV32Syscall.getcwd, BridgeHarness.readOnly, 100) == EFAULT)
        // iovec array itself, and one bad buffer inside a good array
        #expect(h.call(RV32Syscall.writev, 1, 0, 1) == EFAULT)
        h.machine.memory.write32(d, d + 0x100)
        h.machine.memory.write32(d + 4, 4)
        h.machine.memory.write32(d + 8, BridgeHarness.unmapped)
        h.machine.memory.write32(d + 12, 4)
        #expect(h.call(RV32Syscall.writev, 1, d, 2) == EFAULT)
        #expect(h.call(RV32Syscall.readv, UInt32(fd), d, 2) == EFAULT)
        #expect(h.output[1, default: []].isEmpty)
        #expect(h.call(RV32Syscall.close, UInt32(fd)) == 0)
    }

    // MARK: Sandbox

    @Test func escapeAttemptsAreDenied() throws {
        let h = try BridgeHarness()
        let sb = h.fixture.path
        func open(_ dirfd: UInt32, _ p: String, _ flags: UInt32 = 0) -> Int32 {
            let r = h.call(RV32Syscall.openat, dirfd, h.string(p), flags, 0o644)
            if r >= 0 { h.call(RV32Syscall.close, UInt32(r)) }
            return r
        }
        #expect(open(AT_FDCWD, "/etc/passwd") < 0)
        #expect(open(AT_FDCWD, sb + "/../../../etc/passwd") < 0)
        #expect(open(AT_FDCWD, sb + "/sub/../../..", 0o200000) < 0)
        #expect(open(AT_FDCWD, sb + "/link-out") < 0)
        #expect(open(AT_FDCWD, "../../../../etc/passwd") < 0)  // relative to the cwd (the sandbox)
        let dfd = h.call(RV32Syscall.openat, AT_FDCWD, h.string(sb), 0o10000000 | 0o200000, 0)
        #expect(dfd >= 3)
        #expect(open(UInt32(dfd), "../../../etc/passwd") < 0)
        #expect(open(UInt32(dfd), "..", 0o200000) < 0)
        #expect(open(UInt32(dfd), "link-out") < 0)
        #expect(open(UInt32(dfd), "sub/../inside.txt") >= 0)  // `..` inside the sandbox is fine

        // Changes outside: nothing may appear or move.
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("rvjit-escape-test-\(UUID().uuidString)").path
        #expect(h.call(RV32Syscall.mkdirat, AT_FDCWD, h.string(outside), 0o700) < 0)
        #expect(!FileManager.default.fileExists(atPath: outside))
        #expect(h.call(RV32Syscall.mkdirat, UInt32(dfd), h.string("../rvjit-escape-\(UUID().uuidString)"), 0o700) < 0)
        #expect(h.call(RV32Syscall.unlinkat, AT_FDCWD, h.string(outside), 0) < 0)
        let moved = sb + "/../rvjit-moved-\(UUID().uuidString)"
        h.machine.memory.writeBytes(BridgeHarness.data + 0x1000, Array(moved.utf8) + [0])
        #expect(h.call(RV32Syscall.renameat2, AT_FDCWD, h.string(sb + "/inside.txt"), AT_FDCWD, BridgeHarness.data + 0x1000, 0) < 0)
        #expect(FileManager.default.fileExists(atPath: sb + "/inside.txt"))
        #expect(h.call(RV32Syscall.renameat2, UInt32(dfd), h.string("inside.txt"), UInt32(dfd), BridgeHarness.data + 0x1000, 0) < 0)
        #expect(FileManager.default.fileExists(atPath: sb + "/inside.txt"))
        #expect(h.call(RV32Syscall.close, UInt32(dfd)) == 0)
        // Every denial above came from the sandbox, and says so in the trace.
        #expect(h.events.contains { $0.denied && $0.text.hasSuffix("(sandbox)") })
    }

    @Test func symlinkInsideTheSandboxIsFollowed() throws {
        let h = try BridgeHarness()
        try FileManager.default.createSymbolicLink(atPath: h.fixture.path + "/sub/back", withDestinationPath: "../inside.txt")
        let fd = h.call(RV32Syscall.openat, AT_FDCWD, h.string(h.fixture.path + "/sub/back"), 0, 0)
        #expect(fd >= 3)
        #expect(h.call(RV32Syscall.read, UInt32(fd), BridgeHarness.data, 100) == 7)
    }

    @Test func readOnlyMapping() throws {
        let h = try BridgeHarness(readOnly: true)
        let sb = h.fixture.path
        #expect(h.call(RV32Syscall.openat, AT_FDCWD, h.string(sb + "/new.txt"), 0o101, 0o644) == -30)  // O_WRONLY|O_CREAT
        #expect(h.call(RV32Syscall.openat, AT_FDCWD, h.string(sb + "/inside.txt"), 2, 0) == -30)  // O_RDWR
        #expect(h.call(RV32Syscall.mkdirat, AT_FDCWD, h.string(sb + "/d"), 0o755) == -30)
        #expect(h.call(RV32Syscall.unlinkat, AT_FDCWD, h.string(sb + "/inside.txt"), 0) == -30)
        #expect(h.call(RV32Syscall.faccessat, AT_FDCWD, h.string(sb + "/inside.txt"), 2) == -30)
        #expect(h.call(RV32Syscall.faccessat, AT_FDCWD, h.string(sb + "/inside.txt"), 4) == 0)
        let fd = h.call(RV32Syscall.openat, AT_FDCWD, h.string(sb + "/inside.txt"), 0, 0)
        #expect(fd >= 3)
        #expect(h.call(RV32Syscall.write, UInt32(fd), BridgeHarness.data, 1) == -9)  // EBADF: opened read-only
        #expect(FileManager.default.fileExists(atPath: sb + "/inside.txt"))
    }

    @Test func virtualAncestorsAreStatableButClosed() throws {
        let h = try BridgeHarness()
        let out = BridgeHarness.data
        #expect(h.call(RV32Syscall.statx, AT_FDCWD, h.string("/"), 0, 0x7ff, out) == 0)
        #expect(UInt32(h.u16(out + 28)) == UInt32(S_IFDIR) | 0o111)
        #expect(h.call(RV32Syscall.openat, AT_FDCWD, h.string("/"), 0o200000, 0) == -13)
        #expect(h.call(RV32Syscall.faccessat, AT_FDCWD, h.string("/"), 1) == 0)  // X_OK
        #expect(h.call(RV32Syscall.faccessat, AT_FDCWD, h.string("/"), 4) == -13)  // R_OK
        #expect(h.call(RV32Syscall.statx, AT_FDCWD, h.string("/etc/passwd"), 0, 0x7ff, out) == -2)
    }

    @Test func noMappingsMeansNoFiles() throws {
        let h = try BridgeHarness(map: false)
        #expect(h.call(RV32Syscall.openat, AT_FDCWD, h.string(h.fixture.path + "/inside.txt"), 0, 0) < 0)
        #expect(h.call(RV32Syscall.getcwd, BridgeHarness.data, 100) == 2)
        #expect(h.machine.memory.cString(BridgeHarness.data) == "/")
    }

    // MARK: errno, unknown calls, the rest of the table

    @Test func errnoPassesThrough() throws {
        let h = try BridgeHarness()
        #expect(h.call(RV32Syscall.openat, AT_FDCWD, h.string(h.fixture.path + "/missing"), 0, 0) == -2)
        #expect(h.events.last?.text == "openat(AT_FDCWD, \"\(h.fixture.path)/missing\", O_RDONLY) = -2 ENOENT")
        #expect(h.events.last?.denied == false)
        #expect(h.call(RV32Syscall.mkdirat, AT_FDCWD, h.string(h.fixture.path + "/sub"), 0o755) == -17)
        #expect(h.call(RV32Syscall.close, 77) == -9)
        #expect(h.call(RV32Syscall.read, 1, BridgeHarness.data, 1) == -9)  // stdout is not readable here
        let fd = h.call(RV32Syscall.openat, AT_FDCWD, h.string(h.fixture.path + "/inside.txt"), 0, 0)
        #expect(h.events.last?.text == "openat(AT_FDCWD, \"\(h.fixture.path)/inside.txt\", O_RDONLY) = \(fd)")
    }

    @Test func unknownSyscall() throws {
        let h = try BridgeHarness()
        #expect(h.call(999, 1, 2, 3) == -38)
        #expect(h.machine.stopReason == nil)
        #expect(h.events.last?.text.hasSuffix("= -38 ENOSYS") == true)
        let strict = try BridgeHarness(strict: true)
        strict.call(999)
        #expect(strict.machine.stopReason == .aborted("unknown syscall 999 at pc 0x1000"))
        #expect(strict.machine.stopReason?.exitStatus == 125)
    }

    @Test func consoleAndDescriptors() throws {
        let h = try BridgeHarness()
        h.machine.memory.writeBytes(BridgeHarness.data, Array("hello".utf8))
        #expect(h.call(RV32Syscall.write, 1, BridgeHarness.data, 5) == 5)
        #expect(h.call(RV32Syscall.pwrite64, 2, BridgeHarness.data, 2, 0, 0) == 2)
        #expect(h.output[1] == Array("hello".utf8))
        #expect(h.output[2] == Array("he".utf8))
        // Closing stdout frees guest fd 1; the next open gets it, and writes then go to the file.
        #expect(h.call(RV32Syscall.close, 1) == 0)
        let fd = h.call(RV32Syscall.openat, AT_FDCWD, h.string(h.fixture.path + "/out.txt"), 0o1101, 0o644)
        #expect(fd == 1)
        #expect(h.call(RV32Syscall.write, 1, BridgeHarness.data, 5) == 5)
        #expect(h.call(RV32Syscall.close, 1) == 0)
        #expect(try String(contentsOfFile: h.fixture.path + "/out.txt", encoding: .utf8) == "hello")
        #expect(h.output[1] == Array("hello".utf8))
    }

    @Test func memoryCalls() throws {
        let h = try BridgeHarness()
        let m = UInt32(bitPattern: h.call(RV32Syscall.mmap, 0, 0x3000, 3, 0x22, UInt32(bitPattern: -1), 0))
        #expect(m & 0xfff == 0)
        #expect(m < 0x7000_0000 && m >= h.machine.process.brkLimit)
        #expect(h.machine.memory.check(m, length: 0x3000, perms: PageFlag.rw))
        #expect(h.machine.memory.pageFlags(0x7000_0000) == 0)
        let n = UInt32(bitPattern: h.call(RV32Syscall.mmap, 0, 0x1000, 0, 0x22, UInt32(bitPattern: -1), 0))
        #expect(n != m && (n >= m + 0x3000 || n + 0x1000 <= m))
        #expect(h.call(RV32Syscall.mprotect, m + 0x1000, 0x1000, 1) == 0)
        #expect(!h.machine.memory.check(m + 0x1000, length: 1, perms: PageFlag.write))
        #expect(h.call(RV32Syscall.mprotect, m + 1, 0x1000, 1) == -22)
        #expect(h.call(RV32Syscall.mprotect, 0x5000_0000, 0x1000, 1) == -12)
        #expect(h.call(RV32Syscall.munmap, m, 0x3000) == 0)
        #expect(!h.machine.memory.check(m, length: 1, perms: PageFlag.read))
        #expect(h.call(RV32Syscall.mmap, 0, 0, 3, 0x22, UInt32(bitPattern: -1), 0) == -22)
        // brk grows inside guest memory
        #expect(h.call(RV32Syscall.brk, 0) == 0x30000)
        #expect(h.call(RV32Syscall.brk, 0x32000) == 0x32000)
        #expect(h.machine.memory.check(0x30000, length: 0x2000, perms: PageFlag.rw))
        // A private file mapping reads the file's bytes.
        let fd = h.call(RV32Syscall.openat, AT_FDCWD, h.string(h.fixture.path + "/inside.txt"), 0, 0)
        let f = UInt32(bitPattern: h.call(RV32Syscall.mmap, 0, 0x1000, 1, 2, UInt32(fd), 0))
        #expect(h.machine.memory.readBytes(f, count: 7) == Array("inside\n".utf8))
    }

    @Test func remainingRows() throws {
        let h = try BridgeHarness()
        let d = BridgeHarness.data
        #expect(h.call(RV32Syscall.getpid) == getpid())
        #expect(h.call(RV32Syscall.gettid) > 0)
        #expect(h.call(RV32Syscall.setTidAddress, d) > 0)
        #expect(h.call(RV32Syscall.getuid) == Int32(bitPattern: getuid()))
        #expect(h.call(RV32Syscall.geteuid) == Int32(bitPattern: geteuid()))
        #expect(h.call(RV32Syscall.getgid) == Int32(bitPattern: getgid()))
        #expect(h.call(RV32Syscall.getegid) == Int32(bitPattern: getegid()))
        #expect(h.call(RV32Syscall.setRobustList, d, 12) == 0)
        #expect(h.call(RV32Syscall.rtSigaction, 2, 0, d, 8) == 0)
        #expect(h.call(RV32Syscall.rtSigprocmask, 0, 0, BridgeHarness.readOnly, 8) == EFAULT)
        #expect(h.call(RV32Syscall.faccessat2, AT_FDCWD, h.string(h.fixture.path + "/link-out"), 0, 0x100) == 0)
        #expect(h.call(RV32Syscall.faccessat2, AT_FDCWD, h.string(h.fixture.path + "/link-out"), 0, 0) < 0)
        #expect(h.call(RV32Syscall.chdir, h.string(h.fixture.path + "/sub")) == 0)
        #expect(h.call(RV32Syscall.getcwd, d, 512) == Int32(h.fixture.path.utf8.count + 5))
        #expect(h.machine.memory.cString(d) == h.fixture.path + "/sub")
        #expect(h.call(RV32Syscall.getcwd, d, 4) == -34)  // ERANGE
        let fd = h.call(RV32Syscall.openat, AT_FDCWD, h.string("../inside.txt"), 0, 0)
        #expect(fd >= 3)
        #expect(h.call(RV32Syscall.llseek, UInt32(fd), 0, 3, d, 0) == 0)
        #expect(h.u64(d) == 3)
        #expect(h.call(RV32Syscall.exitGroup, 3) == 3)
        #expect(h.machine.stopReason == .exited(3))
        let e = try BridgeHarness()
        e.call(RV32Syscall.exit, 4)
        #expect(e.machine.stopReason == .exited(4))
    }

    @Test func tableRowsAreUniqueAndResolved() {
        var seen = Set<UInt32>()
        for row in SyscallTable.rows {
            #expect(seen.insert(row.number).inserted, "duplicate row \(row.number)")
            if case .host(let call) = row.implementation {
                #expect(PreparedTable.shared.prepared[row.number]?.function != nil, "\(call.symbol) not found")
            }
        }
    }
}

@Suite struct TraceEventTests {
    @Test func straceStyleLines() {
        let ok = SyscallTraceEvent(number: 56, name: "openat", arguments: "AT_FDCWD, \"/x/inside.txt\", O_RDONLY", result: 3,
            errnoName: nil, denied: false, pc: 0x1000)
        #expect(ok.text == "openat(AT_FDCWD, \"/x/inside.txt\", O_RDONLY) = 3")
        let denied = SyscallTraceEvent(number: 56, name: "openat", arguments: "AT_FDCWD, \"/etc/passwd\", O_RDONLY", result: -13,
            errnoName: "EACCES", denied: true, pc: 0x1000)
        #expect(denied.text == "openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY) = -13 EACCES (sandbox)")
        let exit = SyscallTraceEvent(number: 93, name: "exit", arguments: "1", result: 0, errnoName: nil, denied: false, pc: 0)
        #expect(exit.text == "exit(1) = ?")
    }
}
