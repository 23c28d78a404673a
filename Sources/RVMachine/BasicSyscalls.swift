#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Linux RISC-V system call numbers (asm-generic) that the machine itself must understand.
public enum SyscallNumber {
    public static let write: UInt32 = 64
    public static let exit: UInt32 = 93
    public static let exitGroup: UInt32 = 94
    public static let brk: UInt32 = 214
}

/// Where guest output on the standard streams goes: the host's descriptors, or a capture (tests).
public final class Console: @unchecked Sendable {
    public var capture: ((Int32, [UInt8]) -> Void)?
    public init(capture: ((Int32, [UInt8]) -> Void)? = nil) { self.capture = capture }

    /// Writes to guest fd 1 or 2; returns the byte count or a negative errno.
    public func write(fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
        if let capture {
            capture(fd, Array(bytes))
            return bytes.count
        }
        var done = 0
        while done < bytes.count {
            guard let start = bytes.baseAddress else { break }
            let n = Glibc.write(fd, start + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                return -Int(errno)
            }
            done += n
        }
        return done
    }
}

extension Machine {
    /// `brk(addr)`: grows or shrinks the heap inside guest memory; returns the new break (the old
    /// one when the request is refused: out of range, in use, or over the memory limit).
    public func brk(_ requested: UInt32) -> UInt32 {
        let p = process
        guard requested >= p.brkStart, requested <= p.brkLimit else { return p.brk }
        let page = UInt64(GuestMemory.pageSize)
        let oldEnd = (UInt64(p.brk) + page - 1) & ~(page - 1)
        let newEnd = (UInt64(requested) + page - 1) & ~(page - 1)
        if newEnd > oldEnd {
            let start = UInt32(truncatingIfNeeded: oldEnd)
            let pages = GuestMemory.pages(start, length: newEnd - oldEnd)
            guard !pages.contains(where: { memory.flags[$0] & (PageFlag.rwx | PageFlag.mapped) != 0 }),
                mayMap(pages: pages.count)
            else { return p.brk }
            memory.map(start, length: newEnd - oldEnd, perms: PageFlag.rw)
        } else if newEnd < oldEnd {
            memory.unmap(UInt32(truncatingIfNeeded: newEnd), length: oldEnd - newEnd)
        }
        process.brk = requested
        return requested
    }
}

/// The minimal system-call set the machine serves itself (write to the standard streams, exit,
/// brk); everything else is -ENOSYS. The libffi bridge in `RVSyscalls` replaces it.
public final class BasicSyscalls: SyscallHandler {
    public let console: Console
    public init(console: Console) { self.console = console }

    public func handleSyscall(_ machine: Machine) {
        let r = machine.cpu.registers
        let number = r[17], a0 = r[10], a1 = r[11], a2 = r[12]
        var result: Int32
        switch number {
        case SyscallNumber.exit, SyscallNumber.exitGroup:
            machine.halt(.exited(Int32(bitPattern: a0)))
            return
        case SyscallNumber.write:
            guard a0 == 1 || a0 == 2 else { result = -9; break }  // EBADF
            guard let buffer = machine.memory.buffer(a1, length: a2, perms: PageFlag.read) else { result = -14; break }
            result = Int32(truncatingIfNeeded: console.write(fd: Int32(a0), UnsafeRawBufferPointer(buffer)))
        case SyscallNumber.brk:
            result = Int32(bitPattern: machine.brk(a0))
        default:
            result = -38  // ENOSYS
        }
        r[10] = UInt32(bitPattern: result)
    }
}
