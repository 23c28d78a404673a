/// Where a Linux process's stack and heap are, and the brk state.
public struct ProcessLayout: Sendable {
    public var stackTop: UInt32 = 0x7fff_0000
    public var stackSize: UInt32 = 8 << 20
    /// First address of the heap: the page after the highest segment.
    public var brkStart: UInt32 = 0
    public var brk: UInt32 = 0
    /// The heap may not grow past this (it would run into the mmap area).
    public var brkLimit: UInt32 = 0x4000_0000
    /// Anonymous mmap regions are handed out downward from here.
    public var mmapTop: UInt32 = 0x7000_0000
    public init() {}
}

/// Bare-metal RAM, as the HTIF/CLINT machine of `--machine bare` provides it.
public enum BareMetal {
    public static let ramBase: UInt32 = 0x8000_0000
    public static let ramSize: UInt32 = 128 << 20
}

public enum LoadError: Error, CustomStringConvertible {
    case elf(ELFError)
    case layout(String)

    public var description: String {
        switch self {
        case .elf(let e): return e.description
        case .layout(let s): return s
        }
    }
}

extension Machine {
    /// Loads a parsed ELF and prepares the machine to start at its entry: a Linux process image
    /// (stack with argc/argv/envp/auxv) or a bare-metal reset state.
    public func load(_ elf: ELFFile, arguments: [String], environment: [String] = [], console: @escaping (UInt8) -> Void = { _ in })
        throws(LoadError)
    {
        symbols = elf.symbols
        for s in elf.segments {
            memory.map(s.vaddr, length: s.memorySize, perms: kind == .bare ? PageFlag.rwx : s.pagePermissions)
            elf.bytes.withUnsafeBytes { raw in
                // The ELF's checks keep the segment's file bytes inside the file.
                let end = min(Int(s.offset) + Int(s.fileSize), raw.count)
                let bytes = UnsafeRawBufferPointer(rebasing: raw[min(Int(s.offset), end)..<end])
                hostWrite(s.vaddr, bytes, requiring: 0)  // before the segment's rights apply
            }
        }
        cpu.pointee.pc = elf.entry
        switch kind {
        case .linux:
            let end = elf.highestAddress
            let heap = UInt32(truncatingIfNeeded: (end + UInt64(GuestMemory.pageSize) - 1) & ~UInt64(GuestMemory.pageSize - 1))
            guard end < UInt64(process.brkLimit) else {
                throw .layout("the program's segments reach 0x\(String(end, radix: 16)), past the heap limit")
            }
            process.brkStart = heap
            process.brk = heap
            try buildStack(elf, arguments: arguments, environment: environment)
        case .bare:
            memory.map(BareMetal.ramBase, length: BareMetal.ramSize, perms: PageFlag.rwx)
            let clint = CLINT()
            memory.map(clint.base, length: 0x10000, perms: PageFlag.device)
            devices.append(clint)
            if let tohost = elf.symbols["tohost"] {
                let htif = HTIF(tohost: tohost.address, fromhost: elf.symbols["fromhost"]?.address, output: console)
                memory.map(tohost.address, length: 8, perms: PageFlag.device)
                if let f = htif.fromhost { memory.map(f, length: 8, perms: PageFlag.device) }
                devices.append(htif)
            }
            updateLimit()
        }
        guard mayMap(pages: 0) else {
            let mib = { (b: UInt64) in "\((b + (1 << 20) - 1) >> 20) MiB" }
            throw .layout(
                "the program needs \(mib(UInt64(memory.mappedPages) << 12)) of guest memory, more than the memory limit of "
                    + "\(mib(memoryLimit ?? 0)) (--memory-limit)")
        }
    }

    /// Lays out the initial stack as Linux does for a static binary:
    /// `sp -> argc, argv[0..n], NULL, envp[0..m], NULL, auxv pairs, AT_NULL`, then the strings.
    private func buildStack(_ elf: ELFFile, arguments: [String], environment: [String]) throws(LoadError) {
        let top = process.stackTop
        let bottom = top &- process.stackSize
        memory.map(bottom, length: process.stackSize, perms: PageFlag.rw)
        var sp = top

        func pushBytes(_ bytes: [UInt8]) throws(LoadError) -> UInt32 {
            guard UInt32(bytes.count) < sp &- bottom &- 4096 else { throw .layout("arguments and environment do not fit on the stack") }
            sp &-= UInt32(bytes.count)
            hostWrite(sp, bytes)
            return sp
        }
        let execfn = try pushBytes(Array((arguments.first ?? "").utf8) + [0])
        var envPointers: [UInt32] = []
        for e in environment.reversed() { envPointers.insert(try pushBytes(Array(e.utf8) + [0]), at: 0) }
        var argPointers: [UInt32] = []
        for a in arguments.reversed() { argPointers.insert(try pushBytes(Array(a.utf8) + [0]), at: 0) }
        sp &= ~15
        // AT_RANDOM: 16 fixed bytes, so runs are reproducible.
        let random = try pushBytes((0..<16).map { UInt8(0x5a ^ ($0 &* 17)) })
        sp &= ~15

        let auxv: [(UInt32, UInt32)] = [
            (3, elf.programHeaderAddress ?? 0),  // AT_PHDR
            (4, UInt32(elf.programHeaderSize)),  // AT_PHENT
            (5, UInt32(elf.programHeaderCount)),  // AT_PHNUM
            (6, GuestMemory.pageSize),  // AT_PAGESZ
            (7, 0),  // AT_BASE: no interpreter
            (8, 0),  // AT_FLAGS
            (9, elf.entry),  // AT_ENTRY
            (11, 0), (12, 0), (13, 0), (14, 0),  // AT_UID, AT_EUID, AT_GID, AT_EGID
            (16, isa.hwcap),  // AT_HWCAP: the single-letter extensions this hart has, as Linux reports them
            (17, 100),  // AT_CLKTCK
            (23, 0),  // AT_SECURE
            (25, random),  // AT_RANDOM
            (31, execfn),  // AT_EXECFN
            (0, 0),  // AT_NULL
        ]
        var words: [UInt32] = [UInt32(arguments.count)]
        words += argPointers + [0]
        words += envPointers + [0]
        for (k, v) in auxv { words += [k, v] }
        let size = UInt32(words.count * 4)
        sp = (sp &- size) & ~15
        for (i, w) in words.enumerated() { hostWrite(sp &+ UInt32(i * 4), value: w) }
        cpu.registers[2] = sp
    }
}
