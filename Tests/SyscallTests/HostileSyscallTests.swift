import Foundation
import RVMachine
@testable import RVSyscalls
import TestSupport
import Testing

/// Guest values at the edges of the 32-bit space reach every system call; none may crash the
/// host (a Swift trap would end rvjit with the status of a guest's illegal instruction).
@Suite struct HostileSyscallTests {
    static let anonymous: UInt32 = 0x22  // MAP_PRIVATE | MAP_ANONYMOUS
    static let noFD = UInt32(bitPattern: -1)
    static let ENOMEM: Int32 = -12, EINVAL: Int32 = -22, EEXIST: Int32 = -17

    @Test func mmapOfNearlyFourGiBFails() throws {
        let h = try BridgeHarness()
        #expect(h.call(RV32Syscall.mmap, 0, 0xffff_f000, 3, Self.anonymous, Self.noFD, 0) == Self.ENOMEM)
        #expect(h.call(RV32Syscall.mmap, 0, 0xffff_ffff, 3, Self.anonymous, Self.noFD, 0) == Self.ENOMEM)
        for fixed: UInt32 in [0x10, 0x10_0000] {
            #expect(h.call(RV32Syscall.mmap, 0, 0xffff_f000, 3, Self.anonymous | fixed, Self.noFD, 0) == Self.EINVAL)
            #expect(h.call(RV32Syscall.mmap, 0x1000, 0xffff_f000, 3, Self.anonymous | fixed, Self.noFD, 0) == Self.EINVAL)
            #expect(h.call(RV32Syscall.mmap, 0xffff_f000, 0xffff_f000, 3, Self.anonymous | fixed, Self.noFD, 0) == Self.EINVAL)
        }
    }

    @Test func munmapAndMprotectOfTheWholeSpace() throws {
        let h = try BridgeHarness()
        // A rounded length of exactly 2^32.
        #expect(h.call(RV32Syscall.mprotect, 0, 0xffff_f001, 1) == Self.ENOMEM)
        #expect(h.call(RV32Syscall.mprotect, 0x1000, 0xffff_f001, 1) == Self.ENOMEM)
        #expect(h.call(RV32Syscall.munmap, 0x1000, 0xffff_f001) == Self.EINVAL)
        #expect(h.call(RV32Syscall.munmap, 0, 0xffff_f001) == 0)
        #expect(!h.machine.memory.check(BridgeHarness.data, length: 1, perms: PageFlag.read))
        #expect(h.machine.memory.mappedPages == 0)
    }

    @Test func fixedNoReplaceSeesProtNoneRegions() throws {
        let h = try BridgeHarness()
        let m = UInt32(bitPattern: h.call(RV32Syscall.mmap, 0, 0x2000, 0, Self.anonymous, Self.noFD, 0))
        #expect(m & 0xfff == 0 && m != 0)
        #expect(h.call(RV32Syscall.mmap, m, 0x1000, 3, Self.anonymous | 0x10_0000, Self.noFD, 0) == Self.EEXIST)
        #expect(h.call(RV32Syscall.mprotect, m, 0x2000, 3) == 0)
    }

    @Test func memoryLimitGivesENOMEM() throws {
        let h = try BridgeHarness()
        h.machine.memoryLimit = UInt64(h.machine.memory.mappedPages + 4) * 4096
        let m = h.call(RV32Syscall.mmap, 0, 0x4000, 3, Self.anonymous, Self.noFD, 0)
        #expect(m > 0)
        #expect(h.call(RV32Syscall.mmap, 0, 0x1000, 3, Self.anonymous, Self.noFD, 0) == Self.ENOMEM)
        // brk refuses to grow: the break stays where it was.
        #expect(h.call(RV32Syscall.brk, 0x40000) == 0x30000)
        #expect(h.call(RV32Syscall.munmap, UInt32(m), 0x4000) == 0)
        #expect(h.call(RV32Syscall.brk, 0x32000) == 0x32000)
        // Replacing mapped pages with MAP_FIXED adds nothing.
        #expect(h.call(RV32Syscall.mmap, BridgeHarness.data, 0x2000, 3, Self.anonymous | 0x10, Self.noFD, 0) == Int32(BridgeHarness.data))
    }

    /// Every row of the table with arguments drawn from the edges of the address space; the
    /// calls may fail in any guest-visible way, but the host must survive all of them.
    @Test func everyCallWithWildArguments() throws {
        let wild: [UInt32] = [
            0, 1, 0xfff, 0x1000, 0x7fff_ffff, 0x8000_0000, 0xffff_f000, 0xffff_f001, 0xffff_fffc, 0xffff_ffff,
            BridgeHarness.data, BridgeHarness.data + 0x1ffc, BridgeHarness.readOnly, BridgeHarness.unmapped, 3, 64, 4096,
        ]
        var random = SeededGenerator(seed: 12)
        for row in SyscallTable.rows where row.number != RV32Syscall.exit && row.number != RV32Syscall.exitGroup {
            let h = try BridgeHarness()
            h.call(RV32Syscall.close, 0)  // nothing may wait for the host's standard input
            for _ in 0..<200 {
                let args = (0..<6).map { _ in wild[Int(random.next() % UInt64(wild.count))] }
                _ = h.call(row.number, args[0], args[1], args[2], args[3], args[4], args[5])
                #expect(h.machine.stopReason == nil, "\(row.name)(\(args))")
            }
        }
    }

    /// `--file-size-limit`: writes are cut at the limit, and a write at or past it fails with
    /// EFBIG (RLIMIT_FSIZE without the signal), whether it is write, pwrite64 or writev.
    @Test func fileSizeLimitGivesEFBIG() throws {
        let h = try BridgeHarness()
        h.bridge.fileSizeLimit = 10
        let EFBIG: Int32 = -27
        let d = BridgeHarness.data
        h.machine.memory.writeBytes(d, Array("0123456789abcdef".utf8))
        let path = h.fixture.path + "/grown.bin"
        let fd = UInt32(bitPattern: h.call(RV32Syscall.openat, AT_FDCWD, h.string(path), 0o102, 0o644))  // O_RDWR | O_CREAT
        #expect(h.call(RV32Syscall.write, fd, d, 8) == 8)
        #expect(h.call(RV32Syscall.write, fd, d, 8) == 2)
        #expect(h.call(RV32Syscall.write, fd, d, 8) == EFBIG)
        #expect(h.call(RV32Syscall.write, fd, d, 0) == 0)
        // pwrite64 at a huge offset (the 9 GB file of the issue), and across the limit.
        #expect(h.call(RV32Syscall.pwrite64, fd, d, 4, 0, 2) == EFBIG)
        #expect(h.call(RV32Syscall.pwrite64, fd, d, 16, 4, 0) == 6)
        // writev: the vectors are cut to what fits.
        #expect(h.call(RV32Syscall.llseek, fd, 0, 6, d + 0x100, 0) == 0)  // SEEK_SET 6
        for (k, (base, length)) in [(d, UInt32(3)), (d + 3, UInt32(5))].enumerated() {
            h.machine.memory.write32(d + 0x200 + UInt32(k * 8), base)
            h.machine.memory.write32(d + 0x204 + UInt32(k * 8), length)
        }
        #expect(h.call(RV32Syscall.writev, fd, d + 0x200, 2) == 4)
        #expect(h.call(RV32Syscall.writev, fd, d + 0x200, 2) == EFBIG)
        var st = stat()
        #expect(stat(path, &st) == 0 && st.st_size == 10)
        // Without a limit the same file grows.
        h.bridge.fileSizeLimit = nil
        #expect(h.call(RV32Syscall.write, fd, d, 8) == 8)
    }
}
