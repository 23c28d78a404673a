#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import RVMachine

/// RISC-V semihosting (the RISC-V Semihosting specification, which takes its operations from
/// Arm's): what picolibc's `libsemihost` and newlib's semihosting library call.
///
/// An operation's parameter block is a run of 32-bit words at a1; every word and every buffer it
/// names is checked against guest memory before it is used, and a bad one makes the call fail
/// (-1, `SYS_ERRNO` = EFAULT) instead of reaching the host. File operations go through a
/// `SyscallBridge` (its descriptor table, the `--dir`/`--dir-ro` sandbox and its pointer checks),
/// so a semihosting guest sees exactly the files a Linux guest would.
public final class Semihosting: SemihostingHandler {
    /// Operation numbers (a0).
    public enum Operation: UInt32, CaseIterable, Sendable {
        case open = 0x01, close = 0x02, writec = 0x03, write0 = 0x04, write = 0x05, read = 0x06, readc = 0x07
        case iserror = 0x08, istty = 0x09, seek = 0x0a, flen = 0x0c, tmpnam = 0x0d, remove = 0x0e, rename = 0x0f
        case clock = 0x10, time = 0x11, system = 0x12, errno = 0x13, getCmdline = 0x15, heapinfo = 0x16
        case exit = 0x18, exitExtended = 0x20, elapsed = 0x30, tickfreq = 0x31

        public var name: String {
            switch self {
            case .open: return "SYS_OPEN"
            case .close: return "SYS_CLOSE"
            case .writec: return "SYS_WRITEC"
            case .write0: return "SYS_WRITE0"
            case .write: return "SYS_WRITE"
            case .read: return "SYS_READ"
            case .readc: return "SYS_READC"
            case .iserror: return "SYS_ISERROR"
            case .istty: return "SYS_ISTTY"
            case .seek: return "SYS_SEEK"
            case .flen: return "SYS_FLEN"
            case .tmpnam: return "SYS_TMPNAM"
            case .remove: return "SYS_REMOVE"
            case .rename: return "SYS_RENAME"
            case .clock: return "SYS_CLOCK"
            case .time: return "SYS_TIME"
            case .system: return "SYS_SYSTEM"
            case .errno: return "SYS_ERRNO"
            case .getCmdline: return "SYS_GET_CMDLINE"
            case .heapinfo: return "SYS_HEAPINFO"
            case .exit: return "SYS_EXIT"
            case .exitExtended: return "SYS_EXIT_EXTENDED"
            case .elapsed: return "SYS_ELAPSED"
            case .tickfreq: return "SYS_TICKFREQ"
            }
        }
    }

    /// `SYS_EXIT` reason codes (Arm's ADP_Stopped_*) that mean "the application finished".
    public static let applicationExit: UInt32 = 0x20026
    /// The reason newlib and picolibc pass for `exit(nonzero)` when extended exit is unknown.
    public static let runTimeErrorUnknown: UInt32 = 0x20023
    /// The contents of the `:semihosting-features` pseudo-file: the magic and one feature byte
    /// (bit 0: SYS_EXIT_EXTENDED, bit 1: `:tt` opened for append is stderr).
    static let features: [UInt8] = [0x53, 0x48, 0x46, 0x42, 0x03]
    /// Longest file name accepted (PATH_MAX).
    static let maxPath: UInt32 = 4096
    /// Ticks per second of `SYS_ELAPSED` (and `SYS_TICKFREQ`'s answer).
    public static let tickFrequency: UInt64 = 1_000_000

    /// The four words `SYS_HEAPINFO` returns.
    public struct HeapInfo: Sendable, Equatable {
        public var heapBase: UInt32, heapLimit: UInt32, stackBase: UInt32, stackLimit: UInt32
        public init(heapBase: UInt32, heapLimit: UInt32, stackBase: UInt32, stackLimit: UInt32) {
            self.heapBase = heapBase
            self.heapLimit = heapLimit
            self.stackBase = stackBase
            self.stackLimit = stackLimit
        }

        /// From the ELF's layout: picolibc's `__heap_start`/`__heap_end`/`__stack` when present;
        /// otherwise the heap from the end of the highest segment to 64 KiB below the top of
        /// the memory region holding it, and the stack above.
        public static func from(_ elf: ELFFile, regions: [MemoryRegion]) -> HeapInfo {
            let stackSize: UInt32 = 64 << 10
            if let span = BareMetal.heapAndStack(elf) {
                let top = UInt32(truncatingIfNeeded: span.end)
                let heapEnd = elf.symbols["__heap_end"]?.address ?? (top &- min(stackSize, span.size))
                return HeapInfo(heapBase: span.base, heapLimit: heapEnd, stackBase: top, stackLimit: heapEnd)
            }
            let highest = elf.segments.max { UInt64($0.vaddr) + UInt64($0.memorySize) < UInt64($1.vaddr) + UInt64($1.memorySize) }
            let end = highest.map { UInt64($0.vaddr) + UInt64($0.memorySize) } ?? UInt64(BareMetal.ramBase)
            let heapBase = UInt32(truncatingIfNeeded: min((end + 15) & ~15, UInt64(UInt32.max)))
            guard let region = BareMetal.region(containing: heapBase, in: regions), region.end > UInt64(heapBase) + UInt64(stackSize)
            else { return HeapInfo(heapBase: heapBase, heapLimit: heapBase, stackBase: heapBase, stackLimit: heapBase) }
            let top = UInt32(truncatingIfNeeded: min(region.end, UInt64(UInt32.max)) & ~15)
            return HeapInfo(heapBase: heapBase, heapLimit: top &- stackSize, stackBase: top, stackLimit: top &- stackSize)
        }
    }

    /// An open semihosting handle.
    enum Handle {
        /// A descriptor of the bridge (0, 1, 2: the standard streams).
        case file(Int32)
        /// The `:semihosting-features` pseudo-file and the read position in it.
        case features(Int)
    }

    public let bridge: SyscallBridge
    /// The guest's command line, as `SYS_GET_CMDLINE` gives it: its arguments (not the ELF's
    /// path) joined by spaces, as QEMU's `-semihosting-config arg=…` gives them. picolibc's
    /// crt0-semihost puts them in argv[1…]; argv[0] is its own.
    public let commandLine: String
    public let heapInfo: HeapInfo
    /// Called after every semihosting call (`--trace syscalls`).
    public var onTrace: ((SyscallTraceEvent) -> Void)?

    var handles: [Handle?] = []
    /// `SYS_ERRNO`: the (Linux) errno of the last call that failed.
    public private(set) var lastErrno: Int32 = 0
    let started = DispatchTime.now().uptimeNanoseconds
    static let maxHandles = 1024

    public init(bridge: SyscallBridge, arguments: [String], heapInfo: HeapInfo) {
        self.bridge = bridge
        commandLine = arguments.joined(separator: " ")
        self.heapInfo = heapInfo
    }

    // MARK: Dispatch

    public func handleSemihosting(_ machine: Machine, pc: UInt32) {
        let number = machine[register: 10], block = machine[register: 11]
        var arguments = ""
        let result: Int64
        if let operation = Operation(rawValue: number) {
            result = perform(operation, machine, block: block, arguments: &arguments)
        } else {
            arguments = hex(block)
            lastErrno = ENOSYS
            result = -1
        }
        if machine.stopReason == nil { machine[register: 10] = UInt32(truncatingIfNeeded: result) }
        if let onTrace {
            let name = Operation(rawValue: number)?.name ?? "SYS_\(hex(number))"
            let failed = result == -1 && Operation(rawValue: number).map(Semihosting.returnsMinusOneOnError) == true
            onTrace(SyscallTraceEvent(
                number: number, name: "semihosting \(name)", arguments: arguments, result: result,
                errnoName: failed ? ErrnoName.name(lastErrno) : nil, denied: false, pc: pc))
        }
    }

    static func returnsMinusOneOnError(_ op: Operation) -> Bool {
        switch op {
        case .open, .close, .istty, .seek, .flen, .tmpnam, .remove, .rename, .clock, .time, .system, .getCmdline,
            .elapsed, .tickfreq:
            return true
        case .writec, .write0, .write, .read, .readc, .iserror, .errno, .heapinfo, .exit, .exitExtended:
            return false
        }
    }

    /// Runs one operation; returns a0. `arguments` gets the call's arguments for the trace.
    func perform(_ op: Operation, _ m: Machine, block: UInt32, arguments: inout String) -> Int64 {
        /// Word `i` of the parameter block, nil when it is not readable guest memory.
        func word(_ i: UInt32) -> UInt32? {
            let a = block &+ i &* 4
            guard a >= block, m.memory.check(a, length: 4, perms: PageFlag.read) else { return nil }
            return m.memory.read32(a)
        }
        func fail(_ e: Int32) -> Int64 {
            lastErrno = e
            return -1
        }
        switch op {
        case .open:
            guard let name = word(0), let mode = word(1), let length = word(2) else { return fail(EFAULT) }
            guard let path = string(m, name, length: length) else { arguments = "\(hex(name)), \(mode), \(length)"; return fail(EFAULT) }
            arguments = "\(SyscallBridge.quote(path)), \(Semihosting.modeText(mode)), \(length)"
            return open(m, path: path, pathAddress: name, mode: mode)
        case .close:
            guard let h = word(0) else { return fail(EFAULT) }
            arguments = "\(h)"
            return close(m, h)
        case .writec:
            arguments = hex(block)
            guard m.memory.check(block, length: 1, perms: PageFlag.read) else { return fail(EFAULT) }
            _ = bridge.perform(m, number: RV32Syscall.write, args: SyscallArguments(raw: [1, block, 1]), pc: m.pc)
            return 0
        case .write0:
            arguments = hex(block)
            guard let length = cStringLength(m, block) else { return fail(EFAULT) }
            _ = bridge.perform(m, number: RV32Syscall.write, args: SyscallArguments(raw: [1, block, length]), pc: m.pc)
            return 0
        case .write, .read:
            guard let h = word(0), let buffer = word(1), let length = word(2) else { return fail(EFAULT) }
            arguments = "\(h), \(hex(buffer)), \(length)"
            return transfer(m, op == .write, handle: h, buffer: buffer, length: length)
        case .readc:
            var byte: UInt8 = 0
            let n = Glibc.read(0, &byte, 1)
            return n == 1 ? Int64(byte) : fail(n < 0 ? Glibc.errno : EIO)
        case .iserror:
            guard let status = word(0) else { return fail(EFAULT) }
            arguments = "\(Int32(bitPattern: status))"
            return Int32(bitPattern: status) < 0 ? 1 : 0
        case .istty:
            guard let h = word(0) else { return fail(EFAULT) }
            arguments = "\(h)"
            switch handle(h) {
            case .file(let fd)?: return fd <= 2 || Glibc.isatty(hostFD(fd) ?? -1) == 1 ? 1 : 0
            case .features?: return 0
            case nil: return fail(EBADF)
            }
        case .seek:
            guard let h = word(0), let position = word(1) else { return fail(EFAULT) }
            arguments = "\(h), \(position)"
            switch handle(h) {
            case .file(let fd)?:
                guard let host = hostFD(fd), fd > 2 else { return fail(ESPIPE) }
                return Glibc.lseek(host, off_t(position), SEEK_SET) < 0 ? fail(Glibc.errno) : 0
            case .features?:
                guard position <= UInt32(Semihosting.features.count) else { return fail(EINVAL) }
                setHandle(h, .features(Int(position)))
                return 0
            case nil: return fail(EBADF)
            }
        case .flen:
            guard let h = word(0) else { return fail(EFAULT) }
            arguments = "\(h)"
            switch handle(h) {
            case .file(let fd)?:
                var st = stat()
                guard let host = hostFD(fd), Glibc.fstat(host, &st) == 0 else { return fail(hostFD(fd) == nil ? EBADF : Glibc.errno) }
                return (st.st_mode & S_IFMT) == S_IFREG ? Int64(st.st_size) : fail(EINVAL)
            case .features?: return Int64(Semihosting.features.count)
            case nil: return fail(EBADF)
            }
        case .tmpnam:
            guard let buffer = word(0), let id = word(1), let length = word(2) else { return fail(EFAULT) }
            arguments = "\(hex(buffer)), \(id), \(length)"
            let name = Array("/tmp/rvjit-semihost-\(getpid())-\(id & 0xff)".utf8) + [0]
            guard UInt32(name.count) <= length else { return fail(ENAMETOOLONG) }
            return copyOut(m, name, to: buffer) ? 0 : fail(EFAULT)
        case .remove:
            guard let name = word(0), let length = word(1) else { return fail(EFAULT) }
            guard let path = string(m, name, length: length) else { return fail(EFAULT) }
            arguments = "\(SyscallBridge.quote(path)), \(length)"
            return bridgeResult(bridge.perform(m, number: RV32Syscall.unlinkat, args: SyscallArguments(raw: [UInt32(bitPattern: -100), name, 0]), pc: m.pc))
        case .rename:
            guard let from = word(0), let fromLength = word(1), let to = word(2), let toLength = word(3) else { return fail(EFAULT) }
            guard let a = string(m, from, length: fromLength), let b = string(m, to, length: toLength) else { return fail(EFAULT) }
            arguments = "\(SyscallBridge.quote(a)), \(SyscallBridge.quote(b))"
            let cwd = UInt32(bitPattern: -100)
            return bridgeResult(bridge.perform(m, number: RV32Syscall.renameat2, args: SyscallArguments(raw: [cwd, from, cwd, to, 0]), pc: m.pc))
        case .clock:
            return Int64(elapsedTicks(m) / (Semihosting.tickFrequency / 100))
        case .time:
            return m.deterministic ? Int64(elapsedTicks(m) / Semihosting.tickFrequency) : Int64(Glibc.time(nil))
        case .system:
            arguments = hex(block)
            return fail(ENOSYS)  // running host commands is not something a sandboxed guest may do
        case .errno:
            return Int64(lastErrno)
        case .getCmdline:
            guard let buffer = word(0), let length = word(1) else { return fail(EFAULT) }
            arguments = "\(hex(buffer)), \(length)"
            let text = Array(commandLine.utf8) + [0]
            guard UInt32(text.count) <= length else { return fail(E2BIG) }
            guard copyOut(m, text, to: buffer), copyOut(m, word32Bytes(UInt32(text.count - 1)), to: block &+ 4) else { return fail(EFAULT) }
            return 0
        case .heapinfo:
            arguments = hex(block)
            // a1 points at a word that points at the four-word result block.
            guard let result = word(0) else { return fail(EFAULT) }
            let h = heapInfo
            let bytes = [h.heapBase, h.heapLimit, h.stackBase, h.stackLimit].flatMap(word32Bytes)
            return copyOut(m, bytes, to: result) ? 0 : fail(EFAULT)
        case .exit:
            // On a 32-bit target a1 holds the reason itself, not a block.
            arguments = hex(block)
            m.halt(.exited(block == Semihosting.applicationExit ? 0 : 1))
            return 0
        case .exitExtended:
            guard let reason = word(0), let code = word(1) else { return fail(EFAULT) }
            arguments = "\(hex(reason)), \(Int32(bitPattern: code))"
            m.halt(.exited(reason == Semihosting.applicationExit ? Int32(bitPattern: code) : 1))
            return 0
        case .elapsed:
            arguments = hex(block)
            let ticks = elapsedTicks(m)
            let bytes = word32Bytes(UInt32(truncatingIfNeeded: ticks)) + word32Bytes(UInt32(truncatingIfNeeded: ticks >> 32))
            return copyOut(m, bytes, to: block) ? 0 : fail(EFAULT)
        case .tickfreq:
            return Int64(Semihosting.tickFrequency)
        }
    }

    // MARK: Files

    /// `SYS_OPEN`: `:tt` is the console (modes r* stdin, w* stdout, a* stderr),
    /// `:semihosting-features` the feature pseudo-file; anything else a file in the sandbox.
    func open(_ m: Machine, path: String, pathAddress: UInt32, mode: UInt32) -> Int64 {
        guard mode <= 11 else { lastErrno = EINVAL; return -1 }
        if path == ":tt" { return addHandle(.file(mode < 4 ? 0 : mode < 8 ? 1 : 2)) }
        if path == ":semihosting-features" {
            guard mode < 4 else { lastErrno = EACCES; return -1 }
            return addHandle(.features(0))
        }
        // r, r+, w, w+, a, a+ (each also with b) as fopen(3) maps them; Linux's asm-generic values.
        let flags: UInt32
        switch mode / 2 {
        case 0: flags = 0  // O_RDONLY
        case 1: flags = 2  // O_RDWR
        case 2: flags = 0o1 | 0o100 | 0o1000  // O_WRONLY | O_CREAT | O_TRUNC
        case 3: flags = 0o2 | 0o100 | 0o1000  // O_RDWR | O_CREAT | O_TRUNC
        case 4: flags = 0o1 | 0o100 | 0o2000  // O_WRONLY | O_CREAT | O_APPEND
        default: flags = 0o2 | 0o100 | 0o2000  // O_RDWR | O_CREAT | O_APPEND
        }
        let outcome = bridge.perform(
            m, number: RV32Syscall.openat, args: SyscallArguments(raw: [UInt32(bitPattern: -100), pathAddress, flags, 0o644]), pc: m.pc)
        guard outcome.value >= 0 else { lastErrno = Int32(truncatingIfNeeded: -outcome.value); return -1 }
        return addHandle(.file(Int32(truncatingIfNeeded: outcome.value)))
    }

    func close(_ m: Machine, _ h: UInt32) -> Int64 {
        guard let entry = handle(h) else { lastErrno = EBADF; return -1 }
        setHandle(h, nil)
        // The standard streams stay open for the next `:tt`.
        if case .file(let fd) = entry, fd > 2, !handles.contains(where: { if case .file(fd)? = $0 { return true } else { return false } }) {
            return bridgeResult(bridge.perform(m, number: RV32Syscall.close, args: SyscallArguments(raw: [UInt32(bitPattern: fd)]), pc: m.pc))
        }
        return 0
    }

    /// `SYS_WRITE`/`SYS_READ`: returns the number of bytes NOT transferred (0: all of them).
    func transfer(_ m: Machine, _ write: Bool, handle h: UInt32, buffer: UInt32, length: UInt32) -> Int64 {
        switch handle(h) {
        case .file(let fd)?:
            let number = write ? RV32Syscall.write : RV32Syscall.read
            let outcome = bridge.perform(m, number: number, args: SyscallArguments(raw: [UInt32(bitPattern: fd), buffer, length]), pc: m.pc)
            guard outcome.value >= 0 else { lastErrno = Int32(truncatingIfNeeded: -outcome.value); return -1 }
            return Int64(length) - min(outcome.value, Int64(length))
        case .features(let position)?:
            guard !write else { lastErrno = EBADF; return -1 }
            let available = Semihosting.features.dropFirst(position).prefix(Int(min(length, 64)))
            guard copyOut(m, Array(available), to: buffer) else { lastErrno = EFAULT; return -1 }
            setHandle(h, .features(position + available.count))
            return Int64(length) - Int64(available.count)
        case nil:
            lastErrno = EBADF
            return -1
        }
    }

    func handle(_ h: UInt32) -> Handle? {
        guard h >= 1, h <= UInt32(handles.count) else { return nil }
        return handles[Int(h - 1)]
    }

    func setHandle(_ h: UInt32, _ value: Handle?) {
        guard h >= 1, h <= UInt32(handles.count) else { return }
        handles[Int(h - 1)] = value
    }

    /// Handles are 1-based (0 is never a valid handle), the lowest free first.
    func addHandle(_ value: Handle) -> Int64 {
        if let i = handles.firstIndex(where: { $0 == nil }) {
            handles[i] = value
            return Int64(i + 1)
        }
        guard handles.count < Semihosting.maxHandles else { lastErrno = EMFILE; return -1 }
        handles.append(value)
        return Int64(handles.count)
    }

    func hostFD(_ fd: Int32) -> Int32? { bridge.entry(fd).map(bridge.hostFD) }

    func bridgeResult(_ outcome: Outcome) -> Int64 {
        guard outcome.value >= 0 else { lastErrno = Int32(truncatingIfNeeded: -outcome.value); return -1 }
        return 0
    }

    // MARK: Guest memory

    /// The `length`-byte string at `address`, which the specification also NUL-terminates
    /// (the bridge reads names up to that NUL, so it must be there).
    func string(_ m: Machine, _ address: UInt32, length: UInt32) -> String? {
        guard length <= Semihosting.maxPath, m.memory.check(address, length: length &+ 1, perms: PageFlag.read) else { return nil }
        let bytes = m.memory.readBytes(address, count: Int(length) + 1)
        guard bytes.last == 0, !bytes.dropLast().contains(0) else { return nil }
        return String(decoding: bytes.dropLast(), as: UTF8.self)
    }

    /// Length of the NUL-terminated string at `address` (at most 1 MiB), nil if unreadable.
    func cStringLength(_ m: Machine, _ address: UInt32) -> UInt32? {
        var n: UInt32 = 0
        while n < 1 << 20 {
            let a = address &+ n
            guard a >= address, m.memory.check(a, length: 1, perms: PageFlag.read) else { return nil }
            if m.memory.readBytes(a, count: 1)[0] == 0 { return n }
            n += 1
        }
        return nil
    }

    /// Writes host bytes into writable guest memory through the machine's one host-write path
    /// (permissions checked, translations kept coherent).
    func copyOut(_ m: Machine, _ bytes: [UInt8], to address: UInt32) -> Bool {
        m.hostWrite(address, bytes, requiring: PageFlag.write)
    }

    func word32Bytes(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> ($0 * 8)) } }

    /// Ticks (1 µs) since the run began; instructions retired under `--deterministic`.
    func elapsedTicks(_ m: Machine) -> UInt64 {
        m.deterministic ? m.instret : (DispatchTime.now().uptimeNanoseconds &- started) / 1000
    }

    func hex(_ v: UInt32) -> String { "0x" + String(v, radix: 16) }

    static func modeText(_ mode: UInt32) -> String {
        let names = ["\"r\"", "\"rb\"", "\"r+\"", "\"r+b\"", "\"w\"", "\"wb\"", "\"w+\"", "\"w+b\"", "\"a\"", "\"ab\"", "\"a+\"", "\"a+b\""]
        return mode < 12 ? names[Int(mode)] : "\(mode)"
    }
}
