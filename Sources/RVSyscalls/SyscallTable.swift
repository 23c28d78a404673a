#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLibFFI

/// A C type in a host function's signature (the libffi type of one argument or the result).
public enum HostType: Sendable {
    case sint32, uint32, sint64, uint64, pointer

    var ffi: UnsafeMutablePointer<ffi_type> {
        switch self {
        case .sint32: return rvjit_ffi_type_sint32()
        case .uint32: return rvjit_ffi_type_uint32()
        case .sint64: return rvjit_ffi_type_sint64()
        case .uint64: return rvjit_ffi_type_uint64()
        case .pointer: return rvjit_ffi_type_pointer()
        }
    }
}

/// Whether the last component of a path argument is followed when it is a symbolic link.
public enum FollowRule: Sendable {
    case always
    case never
    /// Followed unless guest argument `argument` has any bit of `mask` (AT_SYMLINK_NOFOLLOW, O_NOFOLLOW).
    case unlessFlag(argument: Int, mask: UInt32)
}

/// What a path argument is used for (decides read-only and virtual-directory answers).
public enum PathAccess: Sendable {
    /// Looked at only (statx).
    case lookup
    /// Opened with the open flags in guest argument `flags`.
    case open(flags: Int)
    /// Checked with the access mode in guest argument `mode` (faccessat).
    case access(mode: Int)
    /// Created, removed or renamed.
    case modify
}

/// How one argument crosses from the guest to the host function (in host argument order).
public enum ArgumentRule: Sendable {
    /// Guest register `index` as an integer of host type `type` (sign-extended for signed
    /// types), ORed with `or`.
    case value(Int, HostType, or: Int64 = 0)
    /// A 64-bit value split over two guest registers.
    case offset64(low: Int, high: Int)
    /// A guest file descriptor, passed as the host descriptor it stands for.
    case fd(Int)
    /// A directory descriptor (or AT_FDCWD) and a NUL-terminated guest path, resolved through the
    /// sandbox; becomes two host arguments (a parent directory descriptor and one name).
    /// `emptyPathFlag`: guest argument whose AT_EMPTY_PATH bit makes an empty path mean the fd itself.
    case path(dirfd: Int?, path: Int, follow: FollowRule, access: PathAccess, emptyPathFlag: Int? = nil)
    /// A guest buffer the host reads; its length is in guest register `length`.
    case bufferIn(Int, length: Int)
    /// A guest buffer the host writes; its length is in guest register `length`.
    case bufferOut(Int, length: Int)
    /// A guest `struct iovec` array (`count` entries); `write` when the host fills the buffers.
    case iovecs(Int, count: Int, write: Bool)
    /// A guest structure the host fills; converted from the host layout after the call.
    case structOut(Int, GuestStruct)
    /// A constant host argument.
    case constant(Int64, HostType)

    var hostTypes: [HostType] {
        switch self {
        case .value(_, let t, _), .constant(_, let t): return [t]
        case .offset64: return [.sint64]
        case .fd: return [.sint32]
        case .path: return [.sint32, .pointer]
        case .bufferIn, .bufferOut, .iovecs, .structOut: return [.pointer]
        }
    }
}

/// How a call that writes a file says where and how much (host argument 0 is the descriptor,
/// host argument 2 the length or iovec count, host argument 3 the offset).
public enum FileWrite: Sendable {
    /// write: at the file offset (the end with O_APPEND).
    case sequential
    /// pwrite: at the offset argument.
    case positioned
    /// writev: the iovec array (host argument 1) at the file offset.
    case vector
}

/// What the bridge does with the host result.
public enum ResultRule: Sendable {
    /// The value itself (or -errno).
    case value
    /// A new host descriptor: entered into the guest fd table; the guest gets its guest number.
    /// `path` is the index of the path rule it was opened from.
    case newFD
    /// The 64-bit result is stored at the guest address in register `index`; the guest gets 0.
    case store64(Int)
}

/// How a guest argument is shown in `--trace syscalls`.
public enum ArgumentDisplay: Sendable {
    case int, unsigned, hex, fd, dirfd, path, openFlags, octal, atFlags
    /// Shown only when the open flags in `flags` have O_CREAT (openat's mode).
    case modeIfCreate(flags: Int)
    /// A 64-bit value in two registers (low, high).
    case pair(low: Int, high: Int)
    /// Consumes the register without showing it (the other half of a pair).
    case hidden
}

/// A host C function called through libffi.
public struct HostCall: Sendable {
    public var symbol: String
    public var returns: HostType
    public var arguments: [ArgumentRule]
    public var result: ResultRule = .value
    /// For variadic functions (openat): how many host arguments are fixed.
    public var fixedArguments: Int? = nil
    /// Guest fd 1/2 writes go to the `Console` instead (write, writev, pwrite64).
    public var consoleWrite = false
    /// The call writes a file and may grow it (bounded by `SyscallBridge.fileSizeLimit`).
    public var fileWrite: FileWrite? = nil

    public init(_ symbol: String, returns: HostType, _ arguments: [ArgumentRule], result: ResultRule = .value,
        fixedArguments: Int? = nil, consoleWrite: Bool = false, fileWrite: FileWrite? = nil)
    {
        self.fileWrite = fileWrite
        self.symbol = symbol
        self.returns = returns
        self.arguments = arguments
        self.result = result
        self.fixedArguments = fixedArguments
        self.consoleWrite = consoleWrite
    }
}

/// What an emulated call answers: a value for a0 (a negative errno on failure), or nothing when
/// the machine halted.
public struct Outcome: Sendable, Error {
    public var value: Int64
    public var denied = false
    public init(_ value: Int64, denied: Bool = false) {
        self.value = value
        self.denied = denied
    }
    static func errno(_ e: Int32, denied: Bool = false) -> Outcome { Outcome(-Int64(e), denied: denied) }
}

/// One row of the syscall table.
public struct SyscallRow: @unchecked Sendable {
    public enum Implementation {
        case host(HostCall)
        case emulated((SyscallBridge, Machine, SyscallArguments) -> Outcome)
    }
    public var number: UInt32
    public var name: String
    public var display: [ArgumentDisplay]
    public var implementation: Implementation
}

import RVMachine

/// The guest's six argument registers (a0..a5).
public struct SyscallArguments: Sendable {
    public var raw: [UInt32]
    public init(raw: [UInt32]) { self.raw = raw }
    public subscript(_ i: Int) -> UInt32 { i < raw.count ? raw[i] : 0 }
    public func signed(_ i: Int) -> Int32 { Int32(bitPattern: self[i]) }
}

/// Linux riscv32 syscall numbers (asm-generic, time64-only ABI; checked against qemu-riscv32).
public enum RV32Syscall {
    public static let getcwd: UInt32 = 17
    public static let chdir: UInt32 = 49
    public static let mkdirat: UInt32 = 34
    public static let unlinkat: UInt32 = 35
    public static let faccessat: UInt32 = 48
    public static let openat: UInt32 = 56
    public static let close: UInt32 = 57
    public static let getdents64: UInt32 = 61
    public static let llseek: UInt32 = 62
    public static let read: UInt32 = 63
    public static let write: UInt32 = 64
    public static let readv: UInt32 = 65
    public static let writev: UInt32 = 66
    public static let pread64: UInt32 = 67
    public static let pwrite64: UInt32 = 68
    public static let exit: UInt32 = 93
    public static let exitGroup: UInt32 = 94
    public static let setTidAddress: UInt32 = 96
    public static let setRobustList: UInt32 = 99
    public static let rtSigaction: UInt32 = 134
    public static let rtSigprocmask: UInt32 = 135
    public static let uname: UInt32 = 160
    public static let getpid: UInt32 = 172
    public static let getuid: UInt32 = 174
    public static let geteuid: UInt32 = 175
    public static let getgid: UInt32 = 176
    public static let getegid: UInt32 = 177
    public static let gettid: UInt32 = 178
    public static let brk: UInt32 = 214
    public static let munmap: UInt32 = 215
    public static let mmap: UInt32 = 222
    public static let mprotect: UInt32 = 226
    public static let renameat2: UInt32 = 276
    public static let statx: UInt32 = 291
    public static let clockGettime64: UInt32 = 403
    public static let faccessat2: UInt32 = 439
}

/// The table. Adding a bridged syscall is one row: number, name, how its arguments show in a
/// trace, and the host function with how each argument crosses.
///
/// Not here on purpose: rv32 (time64-only) has no fstat/newfstatat/stat64 (statx replaces them),
/// no gettimeofday or time32 clock_gettime (113), and slot 62 is `_llseek`.
public enum SyscallTable {
    static let AT_SYMLINK_NOFOLLOW: Int64 = 0x100
    static let nofollowCloexec: Int64 = Int64(O_NOFOLLOW | O_CLOEXEC)

    public static let rows: [SyscallRow] = [
        // MARK: Files through the sandbox
        row(RV32Syscall.openat, "openat", [.dirfd, .path, .openFlags, .modeIfCreate(flags: 2)],
            HostCall("openat", returns: .sint32, [
                .path(dirfd: 0, path: 1, follow: .unlessFlag(argument: 2, mask: UInt32(O_NOFOLLOW)), access: .open(flags: 2)),
                .value(2, .sint32, or: nofollowCloexec), .value(3, .uint32),
            ], result: .newFD, fixedArguments: 3)),
        row(RV32Syscall.mkdirat, "mkdirat", [.dirfd, .path, .octal],
            HostCall("mkdirat", returns: .sint32, [
                .path(dirfd: 0, path: 1, follow: .never, access: .modify), .value(2, .uint32),
            ])),
        row(RV32Syscall.unlinkat, "unlinkat", [.dirfd, .path, .atFlags],
            HostCall("unlinkat", returns: .sint32, [
                .path(dirfd: 0, path: 1, follow: .never, access: .modify), .value(2, .sint32),
            ])),
        row(RV32Syscall.renameat2, "renameat2", [.dirfd, .path, .dirfd, .path, .unsigned],
            HostCall("renameat2", returns: .sint32, [
                .path(dirfd: 0, path: 1, follow: .never, access: .modify),
                .path(dirfd: 2, path: 3, follow: .never, access: .modify), .value(4, .uint32),
            ])),
        row(RV32Syscall.faccessat, "faccessat", [.dirfd, .path, .int],
            HostCall("faccessat", returns: .sint32, [
                .path(dirfd: 0, path: 1, follow: .always, access: .access(mode: 2)), .value(2, .sint32),
                .constant(AT_SYMLINK_NOFOLLOW, .sint32),
            ])),
        row(RV32Syscall.faccessat2, "faccessat2", [.dirfd, .path, .int, .atFlags],
            HostCall("faccessat", returns: .sint32, [
                .path(dirfd: 0, path: 1, follow: .unlessFlag(argument: 3, mask: 0x100), access: .access(mode: 2)),
                .value(2, .sint32), .value(3, .sint32, or: AT_SYMLINK_NOFOLLOW),
            ])),
        row(RV32Syscall.statx, "statx", [.dirfd, .path, .atFlags, .hex, .hex],
            HostCall("statx", returns: .sint32, [
                .path(dirfd: 0, path: 1, follow: .unlessFlag(argument: 2, mask: 0x100), access: .lookup, emptyPathFlag: 2),
                .value(2, .sint32, or: AT_SYMLINK_NOFOLLOW), .value(3, .uint32), .structOut(4, .statx),
            ])),

        // MARK: Descriptors
        row(RV32Syscall.read, "read", [.fd, .hex, .unsigned],
            HostCall("read", returns: .sint64, [.fd(0), .bufferOut(1, length: 2), .value(2, .uint64)])),
        row(RV32Syscall.write, "write", [.fd, .hex, .unsigned],
            HostCall("write", returns: .sint64, [.fd(0), .bufferIn(1, length: 2), .value(2, .uint64)], consoleWrite: true,
                fileWrite: .sequential)),
        row(RV32Syscall.readv, "readv", [.fd, .hex, .int],
            HostCall("readv", returns: .sint64, [.fd(0), .iovecs(1, count: 2, write: true), .value(2, .sint32)])),
        row(RV32Syscall.writev, "writev", [.fd, .hex, .int],
            HostCall("writev", returns: .sint64, [.fd(0), .iovecs(1, count: 2, write: false), .value(2, .sint32)], consoleWrite: true,
                fileWrite: .vector)),
        row(RV32Syscall.pread64, "pread64", [.fd, .hex, .unsigned, .pair(low: 3, high: 4), .hidden],
            HostCall("pread", returns: .sint64, [.fd(0), .bufferOut(1, length: 2), .value(2, .uint64), .offset64(low: 3, high: 4)])),
        row(RV32Syscall.pwrite64, "pwrite64", [.fd, .hex, .unsigned, .pair(low: 3, high: 4), .hidden],
            HostCall("pwrite", returns: .sint64, [.fd(0), .bufferIn(1, length: 2), .value(2, .uint64), .offset64(low: 3, high: 4)],
                consoleWrite: true, fileWrite: .positioned)),
        row(RV32Syscall.llseek, "_llseek", [.fd, .pair(low: 2, high: 1), .hidden, .hex, .int],
            HostCall("lseek", returns: .sint64, [.fd(0), .offset64(low: 2, high: 1), .value(4, .sint32)], result: .store64(3))),
        row(RV32Syscall.getdents64, "getdents64", [.fd, .hex, .unsigned],
            HostCall("getdents64", returns: .sint64, [.fd(0), .bufferOut(1, length: 2), .value(2, .uint64)])),

        // MARK: Process and time
        row(RV32Syscall.getpid, "getpid", [], HostCall("getpid", returns: .sint32, [])),
        row(RV32Syscall.getuid, "getuid", [], HostCall("getuid", returns: .uint32, [])),
        row(RV32Syscall.geteuid, "geteuid", [], HostCall("geteuid", returns: .uint32, [])),
        row(RV32Syscall.getgid, "getgid", [], HostCall("getgid", returns: .uint32, [])),
        row(RV32Syscall.getegid, "getegid", [], HostCall("getegid", returns: .uint32, [])),
        row(RV32Syscall.uname, "uname", [.hex], HostCall("uname", returns: .sint32, [.structOut(0, .utsname)])),
        row(RV32Syscall.clockGettime64, "clock_gettime64", [.int, .hex],
            HostCall("clock_gettime", returns: .sint32, [.value(0, .sint32), .structOut(1, .timespec64)])),

        // MARK: Emulated
        emulated(RV32Syscall.close, "close", [.fd]) { b, _, a in b.closeGuestFD(a.signed(0)) },
        emulated(RV32Syscall.getcwd, "getcwd", [.hex, .unsigned]) { b, m, a in b.getcwd(m, a[0], a[1]) },
        emulated(RV32Syscall.chdir, "chdir", [.path]) { b, m, a in b.chdir(m, a[0]) },
        emulated(RV32Syscall.exit, "exit", [.int]) { _, m, a in
            m.halt(.exited(a.signed(0)))
            return Outcome(0)
        },
        emulated(RV32Syscall.exitGroup, "exit_group", [.int]) { _, m, a in
            m.halt(.exited(a.signed(0)))
            return Outcome(0)
        },
        emulated(RV32Syscall.setTidAddress, "set_tid_address", [.hex]) { _, _, _ in Outcome(Int64(Glibc.getpid())) },
        emulated(RV32Syscall.gettid, "gettid", []) { _, _, _ in Outcome(Int64(Glibc.getpid())) },
        emulated(RV32Syscall.setRobustList, "set_robust_list", [.hex, .unsigned]) { _, _, _ in Outcome(0) },
        emulated(RV32Syscall.rtSigaction, "rt_sigaction", [.int, .hex, .hex, .unsigned]) { b, m, a in
            b.zeroOut(m, a[2], length: 16)
        },
        emulated(RV32Syscall.rtSigprocmask, "rt_sigprocmask", [.int, .hex, .hex, .unsigned]) { b, m, a in
            b.zeroOut(m, a[2], length: 8)
        },
        emulated(RV32Syscall.brk, "brk", [.hex]) { _, m, a in Outcome(Int64(m.brk(a[0]))) },
        emulated(RV32Syscall.mmap, "mmap", [.hex, .unsigned, .int, .hex, .fd, .int]) { b, m, a in b.mmap(m, a) },
        emulated(RV32Syscall.munmap, "munmap", [.hex, .unsigned]) { b, m, a in b.munmap(m, a[0], a[1]) },
        emulated(RV32Syscall.mprotect, "mprotect", [.hex, .unsigned, .int]) { b, m, a in b.mprotect(m, a[0], a[1], a[2]) },
    ]

    static func row(_ n: UInt32, _ name: String, _ display: [ArgumentDisplay], _ call: HostCall) -> SyscallRow {
        SyscallRow(number: n, name: name, display: display, implementation: .host(call))
    }

    static func emulated(_ n: UInt32, _ name: String, _ display: [ArgumentDisplay],
        _ body: @escaping (SyscallBridge, Machine, SyscallArguments) -> Outcome) -> SyscallRow
    {
        SyscallRow(number: n, name: name, display: display, implementation: .emulated(body))
    }
}

/// A row's host side, prepared once: the function pointer from `dlsym` and its `ffi_cif`.
final class PreparedCall: @unchecked Sendable {
    let call: HostCall
    let function: (@convention(c) () -> Void)?
    let cif: UnsafeMutablePointer<ffi_cif>
    let types: UnsafeMutablePointer<UnsafeMutablePointer<ffi_type>?>
    let hostArgumentCount: Int

    init(_ call: HostCall) {
        self.call = call
        let hostTypes = call.arguments.flatMap(\.hostTypes)
        hostArgumentCount = hostTypes.count
        types = .allocate(capacity: max(1, hostTypes.count))
        for (i, t) in hostTypes.enumerated() { types[i] = t.ffi }
        cif = .allocate(capacity: 1)
        let handle = dlopen(nil, RTLD_NOW)
        let symbol = dlsym(handle, call.symbol)
        var status: ffi_status
        if let fixed = call.fixedArguments {
            status = ffi_prep_cif_var(cif, rvjit_ffi_default_abi(), UInt32(fixed), UInt32(hostTypes.count), call.returns.ffi, types)
        } else {
            status = ffi_prep_cif(cif, rvjit_ffi_default_abi(), UInt32(hostTypes.count), call.returns.ffi, types)
        }
        if let symbol, status == FFI_OK {
            function = unsafeBitCast(symbol, to: (@convention(c) () -> Void).self)
        } else {
            function = nil
        }
    }
}

/// Every row by number, host rows prepared once per process.
final class PreparedTable: @unchecked Sendable {
    static let shared = PreparedTable()
    let rows: [UInt32: SyscallRow]
    let prepared: [UInt32: PreparedCall]

    init() {
        var rows: [UInt32: SyscallRow] = [:]
        var prepared: [UInt32: PreparedCall] = [:]
        for row in SyscallTable.rows {
            rows[row.number] = row
            if case .host(let call) = row.implementation { prepared[row.number] = PreparedCall(call) }
        }
        self.rows = rows
        self.prepared = prepared
    }
}
