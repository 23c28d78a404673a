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

/// A range of guest memory, `[base, base + size)`; `--memory BASE:SIZE`.
public struct MemoryRegion: Sendable, Equatable, CustomStringConvertible {
    public var base: UInt32
    public var size: UInt32
    public init(base: UInt32, size: UInt32) {
        self.base = base
        self.size = size
    }

    /// One past the last byte (up to 2^32).
    public var end: UInt64 { UInt64(base) + UInt64(size) }

    public func contains(_ address: UInt32) -> Bool { address &- base < size }

    /// Parses `BASE:SIZE` (each decimal or 0x-hex; SIZE may end in K, M or G).
    public init?(argument: String) {
        let parts = argument.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let base = MemoryRegion.number(parts[0]), let size = MemoryRegion.number(parts[1]),
            size > 0, size < 1 << 32, base + size <= 1 << 32
        else { return nil }
        self.init(base: UInt32(truncatingIfNeeded: base), size: UInt32(truncatingIfNeeded: size))
    }

    static func number(_ text: Substring) -> UInt64? {
        var t = text.lowercased()
        var scale: UInt64 = 1
        if let last = t.last, let s = ["k": UInt64(1) << 10, "m": 1 << 20, "g": 1 << 30][String(last)] {
            scale = s
            t.removeLast()
        }
        let value: UInt64? = t.hasPrefix("0x") ? UInt64(t.dropFirst(2), radix: 16) : UInt64(t)
        guard let value, value <= 1 << 32 else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: scale)
        return overflow || product > 1 << 32 ? nil : product
    }

    public var description: String { "0x\(String(base, radix: 16))-0x\(String(end, radix: 16))" }
}

/// Bare-metal memory, as the HTIF/CLINT machine of `--machine bare` provides it: RAM at
/// 0x80000000 (where Spike, QEMU's virt machine and riscv-tests put it), every range the ELF's
/// segments cover at their virtual and their load addresses (bss and NOLOAD stack and heap
/// segments included), the heap and stack that picolibc's and newlib's linker scripts place
/// between `__heap_start` and `__stack` outside any segment, and `--memory` regions.
public enum BareMetal {
    public static let ramBase: UInt32 = 0x8000_0000
    public static let ramSize: UInt32 = 128 << 20
    /// A heap-and-stack span larger than this is not believed (a symbol that is not what it says).
    static let maxSymbolSpan: UInt32 = 1 << 30

    /// Every region of memory a bare machine running `elf` has, in address order (may overlap).
    public static func memoryRegions(_ elf: ELFFile, extra: [MemoryRegion] = []) -> [MemoryRegion] {
        var regions = [MemoryRegion(base: ramBase, size: ramSize)]
        for s in elf.segments {
            regions.append(MemoryRegion(base: s.vaddr, size: s.memorySize))
            if s.paddr != s.vaddr { regions.append(MemoryRegion(base: s.paddr, size: s.memorySize)) }
        }
        if let span = heapAndStack(elf) { regions.append(span) }
        regions += extra
        return regions.filter { $0.size > 0 }.sorted { $0.base < $1.base }
    }

    /// The heap and stack below `__stack` (picolibc's `picolibc.ld` sets the stack pointer there,
    /// at the top of its RAM, outside every segment): from `__heap_start` (or newlib's `_end`/`end`),
    /// or else from the end of the highest segment below `__stack`, up to `__stack`.
    public static func heapAndStack(_ elf: ELFFile) -> MemoryRegion? {
        guard let top = elf.symbols["__stack"]?.address else { return nil }
        let segmentEnd = elf.segments.map { UInt64($0.vaddr) + UInt64($0.memorySize) }.filter { $0 <= UInt64(top) }.max()
        let named = (elf.symbols["__heap_start"] ?? elf.symbols["_end"] ?? elf.symbols["end"])?.address
        let candidates = [named.map(UInt64.init), segmentEnd].compactMap { $0 }.filter { $0 < UInt64(top) }
        guard let start = candidates.min(), UInt64(top) - start <= UInt64(maxSymbolSpan) else { return nil }
        return MemoryRegion(base: UInt32(truncatingIfNeeded: start), size: UInt32(truncatingIfNeeded: UInt64(top) - start))
    }

    /// The region holding `address`, merged with the regions it touches or overlaps.
    public static func region(containing address: UInt32, in regions: [MemoryRegion]) -> MemoryRegion? {
        guard var current = regions.first(where: { $0.contains(address) }) else { return nil }
        var grew = true
        while grew {
            grew = false
            for r in regions where UInt64(r.base) <= current.end && r.end >= UInt64(current.base) {
                let lo = min(r.base, current.base), hi = max(r.end, current.end)
                if lo != current.base || hi != current.end {
                    current = MemoryRegion(base: lo, size: UInt32(truncatingIfNeeded: min(hi - UInt64(lo), UInt64(UInt32.max))))
                    grew = true
                }
            }
        }
        return current
    }
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
    ///
    /// A Linux process gets its segments at their virtual addresses; a bare machine loads them at
    /// their physical (load) addresses, as Spike and QEMU do, with memory wherever
    /// `BareMetal.memoryRegions` says (`memory`: the extra `--memory` regions).
    public func load(
        _ elf: ELFFile, arguments: [String], environment: [String] = [], memory extra: [MemoryRegion] = [],
        console: @escaping (UInt8) -> Void = { _ in }
    ) throws(LoadError) {
        symbols = elf.symbols
        if kind == .bare {
            for region in BareMetal.memoryRegions(elf, extra: extra) {
                memory.map(region.base, length: region.size, perms: PageFlag.rwx)
            }
        }
        for s in elf.segments {
            let at = kind == .bare ? s.paddr : s.vaddr
            if kind == .linux { memory.map(s.vaddr, length: s.memorySize, perms: s.pagePermissions) }
            guard s.fileSize > 0 else { continue }
            elf.bytes.withUnsafeBytes { raw in
                // The ELF's checks keep the segment's file bytes inside the file.
                let end = min(Int(s.offset) + Int(s.fileSize), raw.count)
                let bytes = UnsafeRawBufferPointer(rebasing: raw[min(Int(s.offset), end)..<end])
                hostWrite(at, bytes, requiring: 0)  // before the segment's rights apply
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
