#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLibFFI
import RVMachine

/// Serves a Linux run's system calls: each guest call is looked up in `SyscallTable`, its
/// arguments checked against guest memory and translated (descriptors, sandboxed paths,
/// structures), and the host C function called through libffi; or it is emulated here.
///
/// The guest sees only fds 0, 1, 2 and the directories mapped into the `Sandbox`; its current
/// directory starts as the first mapping's guest path ("/" without mappings).
public final class SyscallBridge: SyscallHandler {
    /// An entry in the guest's descriptor table.
    enum FDEntry {
        /// Guest fd 0 at start: the host's standard input.
        case stdin
        /// Guest fds 1 and 2 at start: written through the `Console`.
        case console(Int32)
        /// A host descriptor the bridge opened; `guest` is the guest path it was opened as.
        case host(Int32, guest: [String], directory: Bool)
    }

    public let console: Console
    public let sandbox: Sandbox
    /// Unknown syscalls stop the run instead of returning -ENOSYS.
    public var strict = false
    /// Called after every system call (`--trace syscalls`).
    public var onTrace: ((SyscallTraceEvent) -> Void)?

    var fds: [FDEntry?] = [.stdin, .console(1), .console(2)]
    static let maxFDs = 1024
    /// Regions handed out by mmap (page-aligned, [start, end)), including PROT_NONE ones whose
    /// page flags are empty.
    var mmapRegions: [(start: UInt32, end: UInt32)] = []

    private let table = PreparedTable.shared
    private let slots = UnsafeMutablePointer<UInt64>.allocate(capacity: 16)
    private let slotPointers = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: 16)

    public init(console: Console = Console(), directories: [DirectoryMapping] = [], strict: Bool = false) {
        self.console = console
        sandbox = Sandbox(mappings: directories)
        self.strict = strict
        for i in 0..<16 { slotPointers[i] = UnsafeMutableRawPointer(slots + i) }
    }

    deinit {
        closeAll()
        slots.deallocate()
        slotPointers.deallocate()
    }

    /// Closes every host descriptor the guest still holds.
    public func closeAll() {
        for case .host(let fd, _, _)? in fds { close(fd) }
        fds = [.stdin, .console(1), .console(2)]
    }

    /// The syscalls the table knows, by number (for documentation and tests).
    public static var knownSyscalls: [UInt32: String] {
        Dictionary(uniqueKeysWithValues: SyscallTable.rows.map { ($0.number, $0.name) })
    }

    // MARK: Dispatch

    public func handleSyscall(_ machine: Machine) {
        let r = machine.cpu.registers
        let number = r[17]
        let args = SyscallArguments(raw: (10...15).map { r[$0] })
        let pc = machine.pc &- 4
        let outcome = perform(machine, number: number, args: args, pc: pc)
        // A call that ended the run (exit, strict stop) leaves a0 as it was.
        if machine.stopReason == nil { r[10] = UInt32(truncatingIfNeeded: outcome.value) }
        if let onTrace {
            let row = table.rows[number]
            let value = Int64(Int32(truncatingIfNeeded: outcome.value))
            let isError = value < 0 && value >= -4095 && !(row?.name == "mmap" && outcome.value >= 0)
            onTrace(SyscallTraceEvent(
                number: number, name: row?.name ?? "syscall_\(number)",
                arguments: formatArguments(machine, row?.display ?? [.hex, .hex, .hex, .hex, .hex, .hex], args),
                result: isError ? value : outcome.value, errnoName: isError ? ErrnoName.name(Int32(-value)) : nil,
                denied: outcome.denied, pc: pc))
        }
    }

    /// Runs one system call and returns what the guest gets in a0.
    public func perform(_ machine: Machine, number: UInt32, args: SyscallArguments, pc: UInt32) -> Outcome {
        guard let row = table.rows[number] else {
            if strict {
                machine.halt(.aborted("unknown syscall \(number) at pc 0x\(String(pc, radix: 16))"))
            }
            return .errno(ENOSYS)
        }
        switch row.implementation {
        case .emulated(let body):
            return body(self, machine, args)
        case .host:
            if number == RV32Syscall.clockGettime64, machine.deterministic {
                return deterministicClock(machine, args)
            }
            guard let prepared = table.prepared[number] else { return .errno(ENOSYS) }
            return callHost(machine, prepared, args)
        }
    }

    // MARK: Descriptors

    func entry(_ guestFD: Int32) -> FDEntry? {
        guard guestFD >= 0, Int(guestFD) < fds.count else { return nil }
        return fds[Int(guestFD)]
    }

    func hostFD(_ e: FDEntry) -> Int32 {
        switch e {
        case .stdin: return 0
        case .console(let n): return n
        case .host(let fd, _, _): return fd
        }
    }

    /// Enters a host descriptor; returns the guest number (lowest free), or -EMFILE.
    func addFD(_ e: FDEntry) -> Int64 {
        if let i = fds.firstIndex(where: { $0 == nil }) {
            fds[i] = e
            return Int64(i)
        }
        guard fds.count < SyscallBridge.maxFDs else { return -Int64(EMFILE) }
        fds.append(e)
        return Int64(fds.count - 1)
    }

    func closeGuestFD(_ guestFD: Int32) -> Outcome {
        guard let e = entry(guestFD) else { return .errno(EBADF) }
        fds[Int(guestFD)] = nil
        if case .host(let fd, _, _) = e, close(fd) != 0 { return .errno(errno) }
        return Outcome(0)
    }

    /// Guest components of the directory a relative path starts from (AT_FDCWD: the cwd).
    func baseDirectory(_ dirfd: Int32?) -> Result<[String], SandboxError> {
        guard let dirfd, dirfd != -100 else { return .success(sandbox.cwd) }
        guard let e = entry(dirfd) else { return .failure(.errno(EBADF, denied: false)) }
        guard case .host(_, let guest, let directory) = e else { return .failure(.errno(ENOTDIR, denied: false)) }
        return directory ? .success(guest) : .failure(.errno(ENOTDIR, denied: false))
    }

    // MARK: Host calls

    /// A resolved path argument, ready to become (dirfd, name).
    private struct PathArgument {
        var dirfd: Int32
        var closeAfter: Bool
        var name: UnsafeMutablePointer<CChar>?
        var guest: [String]
    }

    private func callHost(_ machine: Machine, _ prepared: PreparedCall, _ args: SyscallArguments) -> Outcome {
        let call = prepared.call
        let memory = machine.memory
        guard let function = prepared.function else { return .errno(ENOSYS) }
        var slot = 0
        var cleanups: [() -> Void] = []
        defer { for c in cleanups { c() } }
        var conversions: [(GuestStruct, UnsafeMutableRawPointer, UnsafeMutableRawBufferPointer)] = []
        var consoleStream: Int32? = nil
        var consoleBytes: [UnsafeRawBufferPointer] = []
        var openedGuestPath: [String] = []

        func push(_ v: UInt64) { slots[slot] = v; slot += 1 }
        func push(_ v: Int64) { push(UInt64(bitPattern: v)) }
        func push(pointer p: UnsafeRawPointer?) { push(UInt64(UInt(bitPattern: p))) }

        for rule in call.arguments {
            switch rule {
            case .value(let i, let type, let or):
                switch type {
                case .sint32, .sint64: push(Int64(args.signed(i)) | or)
                case .uint32, .uint64, .pointer: push(UInt64(args[i]) | UInt64(bitPattern: or))
                }
            case .constant(let v, _):
                push(v)
            case .offset64(let low, let high):
                push(UInt64(args[high]) << 32 | UInt64(args[low]))
            case .fd(let i):
                guard let e = entry(args.signed(i)) else { return .errno(EBADF) }
                if case .console(let stream) = e {
                    guard call.consoleWrite else { return .errno(EBADF) }
                    consoleStream = stream
                }
                push(Int64(hostFD(e)))
            case .bufferIn(let i, let length), .bufferOut(let i, let length):
                var write = false
                if case .bufferOut = rule { write = true }
                guard let b = memory.buffer(args[i], length: args[length], perms: write ? PageFlag.rw : PageFlag.read) else {
                    return .errno(EFAULT)
                }
                if !write { consoleBytes.append(UnsafeRawBufferPointer(b)) }
                if write { notifyCodeWrite(machine, args[i], args[length]) }
                push(pointer: b.baseAddress)
            case .iovecs(let i, let countArg, let write):
                let count = args.signed(countArg)
                guard count >= 0, count <= 1024 else { return .errno(EINVAL) }
                guard let array = memory.buffer(args[i], length: UInt32(count) * 8, perms: PageFlag.read) else {
                    return .errno(EFAULT)
                }
                let host = UnsafeMutablePointer<iovec>.allocate(capacity: max(1, Int(count)))
                cleanups.append { host.deallocate() }
                for k in 0..<Int(count) {
                    let base = UInt32(littleEndian: array.loadUnaligned(fromByteOffset: k * 8, as: UInt32.self))
                    let length = UInt32(littleEndian: array.loadUnaligned(fromByteOffset: k * 8 + 4, as: UInt32.self))
                    guard let b = memory.buffer(base, length: length, perms: write ? PageFlag.rw : PageFlag.read) else {
                        return .errno(EFAULT)
                    }
                    if write { notifyCodeWrite(machine, base, length) } else { consoleBytes.append(UnsafeRawBufferPointer(b)) }
                    host[k] = iovec(iov_base: b.baseAddress, iov_len: Int(length))
                }
                push(pointer: host)
            case .structOut(let i, let kind):
                guard let out = memory.buffer(args[i], length: kind.guestSize, perms: PageFlag.rw) else { return .errno(EFAULT) }
                let scratch = UnsafeMutableRawPointer.allocate(byteCount: kind.hostSize, alignment: 16)
                scratch.initializeMemory(as: UInt8.self, repeating: 0, count: kind.hostSize)
                cleanups.append { scratch.deallocate() }
                conversions.append((kind, scratch, out))
                push(pointer: scratch)
            case .path(let dirfdArg, let pathArg, let follow, let access, let emptyPathFlag):
                switch resolvePath(machine, args, dirfd: dirfdArg, path: pathArg, follow: follow, access: access, emptyPathFlag: emptyPathFlag) {
                case .failure(let outcome):
                    if outcome.value == SyscallBridge.virtualLookup.value { return virtualStatx(machine, call, args) }
                    return outcome
                case .success(let p):
                    if p.closeAfter { cleanups.append { close(p.dirfd) } }
                    if let name = p.name { cleanups.append { free(name) } }
                    openedGuestPath = p.guest
                    push(Int64(p.dirfd))
                    push(pointer: p.name)
                }
            }
        }
        // llseek's result pointer is checked before anything happens.
        if case .store64(let i) = call.result {
            guard memory.check(args[i], length: 8, perms: PageFlag.rw) else { return .errno(EFAULT) }
        }
        if let stream = consoleStream {
            var total = 0
            for b in consoleBytes where b.count > 0 {
                let n = console.write(fd: stream, b)
                if n < 0 { return total > 0 ? Outcome(Int64(total)) : Outcome(Int64(n)) }
                total += n
            }
            return Outcome(Int64(total))
        }

        var result = UInt64(0)
        errno = 0
        ffi_call(prepared.cif, function, &result, slotPointers)
        let hostErrno = errno
        let value: Int64
        switch call.returns {
        case .sint32: value = Int64(Int32(truncatingIfNeeded: result))
        case .uint32: value = Int64(UInt32(truncatingIfNeeded: result))
        case .sint64, .uint64, .pointer: value = Int64(bitPattern: result)
        }
        if value < 0 && call.returns != .uint32 { return .errno(hostErrno == 0 ? EIO : hostErrno) }
        for (kind, scratch, out) in conversions { kind.convert(from: scratch, to: out) }
        switch call.result {
        case .value:
            return Outcome(value)
        case .store64(let i):
            memory.host(args[i]).storeBytes(of: UInt64(bitPattern: value).littleEndian, as: UInt64.self)
            return Outcome(0)
        case .newFD:
            let fd = Int32(truncatingIfNeeded: value)
            var st = stat()
            let isDirectory = fstat(fd, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR
            let g = addFD(.host(fd, guest: openedGuestPath, directory: isDirectory))
            if g < 0 { close(fd) }
            return Outcome(g)
        }
    }

    /// A guest write into memory that may hold translated code (read(2) into a code page).
    func notifyCodeWrite(_ machine: Machine, _ address: UInt32, _ length: UInt32) {
        guard length > 0, let observer = machine.codeObserver else { return }
        var page = address >> GuestMemory.pageShift
        let last = UInt32((UInt64(address) + UInt64(length) - 1) >> UInt64(GuestMemory.pageShift))
        while page <= last {
            if machine.memory.flags[Int(page)] & PageFlag.code != 0 {
                let start = max(address, page << GuestMemory.pageShift)
                observer.codeWritten(machine, address: start, size: GuestMemory.pageSize - (start & (GuestMemory.pageSize - 1)))
            }
            page += 1
        }
    }

    /// Resolves a (dirfd, path) pair through the sandbox into a host (dirfd, name).
    private func resolvePath(_ machine: Machine, _ args: SyscallArguments, dirfd dirfdArg: Int?, path pathArg: Int,
        follow: FollowRule, access: PathAccess, emptyPathFlag: Int?) -> Result<PathArgument, Outcome>
    {
        guard args[pathArg] != 0, let path = machine.memory.cString(args[pathArg]) else { return .failure(.errno(EFAULT)) }
        let dirfd = dirfdArg.map { args.signed($0) }
        if path.isEmpty {
            // AT_EMPTY_PATH: the descriptor itself.
            guard let f = emptyPathFlag, args[f] & 0x1000 != 0, let dirfd else { return .failure(.errno(ENOENT)) }
            if dirfd == -100 {
                return resolvePathString(".", dirfd: nil, follow: .always, access: access, args: args)
            }
            guard let e = entry(dirfd) else { return .failure(.errno(EBADF)) }
            var guest: [String] = []
            if case .host(_, let g, _) = e { guest = g }
            return .success(PathArgument(dirfd: hostFD(e), closeAfter: false, name: strdup(""), guest: guest))
        }
        let followFinal: Bool
        switch follow {
        case .always: followFinal = true
        case .never: followFinal = false
        case .unlessFlag(let i, let mask): followFinal = args[i] & mask == 0
        }
        return resolvePathString(path, dirfd: dirfd, follow: followFinal ? .always : .never, access: access, args: args)
    }

    private func resolvePathString(_ path: String, dirfd: Int32?, follow: FollowRule, access: PathAccess, args: SyscallArguments)
        -> Result<PathArgument, Outcome>
    {
        let base: [String]
        switch baseDirectory(path.hasPrefix("/") ? nil : dirfd) {
        case .success(let b): base = b
        case .failure(.errno(let e, let denied)): return .failure(.errno(e, denied: denied))
        }
        let creates: Bool
        let writes: Bool
        switch access {
        case .lookup: creates = false; writes = false
        case .modify: creates = true; writes = true
        case .open(let f):
            let flags = args.signed(f)
            creates = flags & O_CREAT != 0
            writes = flags & O_ACCMODE != O_RDONLY && flags & HostOpen.path == 0 || flags & (O_CREAT | O_TRUNC) != 0
        case .access(let m):
            creates = false
            writes = args[m] & UInt32(W_OK) != 0
        }
        var followFinal = true
        if case .never = follow { followFinal = false }
        switch sandbox.resolve(path, from: base, followFinal: followFinal) {
        case .failure(.errno(let e, let denied)):
            return .failure(.errno(e, denied: denied))
        case .success(.virtualMissing):
            return .failure(.errno(creates ? EACCES : ENOENT, denied: true))
        case .success(.virtualDirectory):
            // A virtual ancestor directory behaves as mode 0111.
            if case .access(let m) = access, args[m] & UInt32(R_OK | W_OK) == 0 { return .failure(Outcome(0)) }
            if case .lookup = access { return .failure(SyscallBridge.virtualLookup) }
            return .failure(.errno(EACCES, denied: true))
        case .success(.host(let m, let parent, let name, let guest, _)):
            if writes && sandbox.mappings[m].readOnly { return .failure(.errno(EROFS, denied: true)) }
            let pfd = sandbox.openParent(mapping: m, parent: parent)
            if pfd < 0 { return .failure(.errno(-pfd, denied: -pfd == EACCES)) }
            return .success(PathArgument(dirfd: pfd, closeAfter: true, name: strdup(name), guest: guest))
        }
    }

    /// Marks a lookup (statx) that reached a virtual ancestor directory.
    static let virtualLookup = Outcome(Int64.min)

    /// statx of a virtual directory: a synthesized d--x--x--x answer.
    private func virtualStatx(_ machine: Machine, _ call: HostCall, _ args: SyscallArguments) -> Outcome {
        for case .structOut(let i, .statx) in call.arguments {
            guard let out = machine.memory.buffer(args[i], length: GuestStruct.statx.guestSize, perms: PageFlag.rw) else {
                return .errno(EFAULT)
            }
            GuestStruct.virtualDirectoryStatx(out)
            return Outcome(0)
        }
        return .errno(EACCES, denied: true)
    }

    // MARK: Emulated calls

    func getcwd(_ machine: Machine, _ buffer: UInt32, _ size: UInt32) -> Outcome {
        let bytes = Array(sandbox.cwdPath.utf8) + [0]
        guard UInt64(size) >= UInt64(bytes.count) else { return .errno(ERANGE) }
        guard let out = machine.memory.buffer(buffer, length: UInt32(bytes.count), perms: PageFlag.rw) else { return .errno(EFAULT) }
        out.copyBytes(from: bytes)
        return Outcome(Int64(bytes.count))
    }

    func chdir(_ machine: Machine, _ pathAddress: UInt32) -> Outcome {
        guard pathAddress != 0, let path = machine.memory.cString(pathAddress) else { return .errno(EFAULT) }
        switch sandbox.resolve(path, from: sandbox.cwd, followFinal: true) {
        case .failure(.errno(let e, let denied)): return .errno(e, denied: denied)
        case .success(.virtualMissing): return .errno(ENOENT, denied: true)
        case .success(.virtualDirectory(let guest)):
            sandbox.setCwd(Sandbox.join(guest))
            return Outcome(0)
        case .success(.host(let m, let parent, let name, let guest, let exists)):
            guard exists else { return .errno(ENOENT) }
            let pfd = sandbox.openParent(mapping: m, parent: parent)
            guard pfd >= 0 else { return .errno(-pfd) }
            defer { close(pfd) }
            var st = stat()
            guard fstatat(pfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return .errno(errno) }
            guard st.st_mode & S_IFMT == S_IFDIR else { return .errno(ENOTDIR) }
            sandbox.setCwd(Sandbox.join(guest))
            return Outcome(0)
        }
    }

    /// For sigaction/sigprocmask: the old value reads as all zeros.
    func zeroOut(_ machine: Machine, _ address: UInt32, length: UInt32) -> Outcome {
        guard address != 0 else { return Outcome(0) }
        guard let out = machine.memory.buffer(address, length: length, perms: PageFlag.rw) else { return .errno(EFAULT) }
        out.initializeMemory(as: UInt8.self, repeating: 0)
        return Outcome(0)
    }

    func deterministicClock(_ machine: Machine, _ args: SyscallArguments) -> Outcome {
        guard let out = machine.memory.buffer(args[1], length: 16, perms: PageFlag.rw) else { return .errno(EFAULT) }
        // One nanosecond per instruction, from a fixed epoch (2023-11-14) for the real-time clock.
        let ns = machine.instret
        let epoch: UInt64 = args.signed(0) == CLOCK_REALTIME ? 1_700_000_000 : 1000
        let w = GuestWriter(out)
        w.u64(0, epoch + ns / 1_000_000_000)
        w.u64(8, ns % 1_000_000_000)
        return Outcome(0)
    }

    // MARK: Tracing

    func formatArguments(_ machine: Machine, _ display: [ArgumentDisplay], _ args: SyscallArguments) -> String {
        var parts: [String] = []
        for (i, d) in display.enumerated() {
            let v = args[i]
            switch d {
            case .int: parts.append(String(Int32(bitPattern: v)))
            case .unsigned: parts.append(String(v))
            case .hex: parts.append(v == 0 ? "NULL" : "0x" + String(v, radix: 16))
            case .fd: parts.append(String(Int32(bitPattern: v)))
            case .dirfd: parts.append(Int32(bitPattern: v) == -100 ? "AT_FDCWD" : String(Int32(bitPattern: v)))
            case .path:
                if v == 0 { parts.append("NULL") } else if let s = machine.memory.cString(v) {
                    parts.append(SyscallBridge.quote(s))
                } else { parts.append("0x" + String(v, radix: 16)) }
            case .openFlags: parts.append(SyscallBridge.openFlagsText(v))
            case .octal: parts.append("0" + String(v, radix: 8))
            case .atFlags: parts.append(SyscallBridge.atFlagsText(v))
            case .modeIfCreate(let f):
                if args[f] & UInt32(O_CREAT) != 0 { parts.append("0" + String(v, radix: 8)) }
            case .pair(let low, let high):
                parts.append(String(Int64(bitPattern: UInt64(args[high]) << 32 | UInt64(args[low]))))
            case .hidden: break
            }
        }
        return parts.joined(separator: ", ")
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    static func openFlagsText(_ v: UInt32) -> String {
        var parts = [["O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"][Int(v & 3)]]
        let names: [(UInt32, String)] = [
            (0o100, "O_CREAT"), (0o200, "O_EXCL"), (0o400, "O_NOCTTY"), (0o1000, "O_TRUNC"), (0o2000, "O_APPEND"),
            (0o4000, "O_NONBLOCK"), (0o200000, "O_DIRECTORY"), (0o400000, "O_NOFOLLOW"), (0o2000000, "O_CLOEXEC"),
            (0o10000000, "HostOpen.path"), (0o100000, "O_LARGEFILE"),
        ]
        var rest = v & ~3
        for (bit, name) in names where rest & bit != 0 {
            parts.append(name)
            rest &= ~bit
        }
        if rest != 0 { parts.append("0x" + String(rest, radix: 16)) }
        return parts.joined(separator: "|")
    }

    static func atFlagsText(_ v: UInt32) -> String {
        if v == 0 { return "0" }
        var parts: [String] = []
        let names: [(UInt32, String)] = [(0x100, "AT_SYMLINK_NOFOLLOW"), (0x200, "AT_REMOVEDIR"), (0x1000, "AT_EMPTY_PATH")]
        var rest = v
        for (bit, name) in names where rest & bit != 0 {
            parts.append(name)
            rest &= ~bit
        }
        if rest != 0 { parts.append("0x" + String(rest, radix: 16)) }
        return parts.joined(separator: "|")
    }
}
