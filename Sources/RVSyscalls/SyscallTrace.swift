/// One guest system call as the bridge saw it, for `--trace syscalls`.
public struct SyscallTraceEvent: Sendable, Equatable {
    public var number: UInt32
    /// The Linux name ("openat"), or "syscall_N" for numbers the table does not know.
    public var name: String
    /// The arguments formatted as strace does (`AT_FDCWD, "/x/inside.txt", O_RDONLY`).
    public var arguments: String
    /// The value the guest got in a0 (sign-extended).
    public var result: Int64
    /// The errno name when the result is a negative errno ("ENOENT"), else nil.
    public var errnoName: String?
    /// The sandbox refused the access (as opposed to the host reporting an error).
    public var denied: Bool
    /// Address of the `ecall`.
    public var pc: UInt32

    public init(number: UInt32, name: String, arguments: String, result: Int64, errnoName: String?, denied: Bool, pc: UInt32) {
        self.number = number
        self.name = name
        self.arguments = arguments
        self.result = result
        self.errnoName = errnoName
        self.denied = denied
        self.pc = pc
    }

    /// The strace-style line: `openat(AT_FDCWD, "/x/inside.txt", O_RDONLY) = 3`,
    /// `... = -2 ENOENT`, `... = -13 EACCES (sandbox)`.
    public var text: String {
        var s = "\(name)(\(arguments)) = "
        if name == "exit" || name == "exit_group" {
            s += "?"  // the process is gone; there is no result
        } else if let errnoName {
            s += "\(result) \(errnoName)"
            if denied { s += " (sandbox)" }
        } else if result > 0xffff || result < -0xffff {
            s += "0x" + String(UInt32(truncatingIfNeeded: result), radix: 16)
        } else {
            s += "\(result)"
        }
        return s
    }
}

/// Linux errno names (the asm-generic numbers, the same on riscv32 and x86-64).
public enum ErrnoName {
    static let names: [Int32: String] = [
        1: "EPERM", 2: "ENOENT", 3: "ESRCH", 4: "EINTR", 5: "EIO", 6: "ENXIO", 7: "E2BIG", 8: "ENOEXEC",
        9: "EBADF", 10: "ECHILD", 11: "EAGAIN", 12: "ENOMEM", 13: "EACCES", 14: "EFAULT", 15: "ENOTBLK",
        16: "EBUSY", 17: "EEXIST", 18: "EXDEV", 19: "ENODEV", 20: "ENOTDIR", 21: "EISDIR", 22: "EINVAL",
        23: "ENFILE", 24: "EMFILE", 25: "ENOTTY", 26: "ETXTBSY", 27: "EFBIG", 28: "ENOSPC", 29: "ESPIPE",
        30: "EROFS", 31: "EMLINK", 32: "EPIPE", 33: "EDOM", 34: "ERANGE", 36: "ENAMETOOLONG", 38: "ENOSYS",
        39: "ENOTEMPTY", 40: "ELOOP", 75: "EOVERFLOW", 95: "EOPNOTSUPP",
    ]

    public static func name(_ errno: Int32) -> String { names[errno] ?? "E\(errno)" }
}
