import RISCV

/// A parsed ELF32 RISC-V static executable. Parsing checks everything the loader relies on, so
/// a bad file gives one clear `ELFError` and never a crash.
public struct ELFFile: Sendable {
    public struct Segment: Sendable, Equatable {
        public var offset: UInt32
        public var vaddr: UInt32
        /// The load (physical) address, p_paddr: where a bare-metal machine puts the file's bytes.
        /// It differs from `vaddr` for initialised data kept in flash and copied to RAM at start-up.
        public var paddr: UInt32
        public var fileSize: UInt32
        public var memorySize: UInt32
        /// PF_X = 1, PF_W = 2, PF_R = 4.
        public var flags: UInt32

        public var pagePermissions: UInt8 {
            (flags & 4 != 0 ? PageFlag.read : 0) | (flags & 2 != 0 ? PageFlag.write : 0)
                | (flags & 1 != 0 ? PageFlag.execute : 0)
        }
    }

    public let bytes: [UInt8]
    public let entry: UInt32
    public let flags: UInt32
    public let segments: [Segment]
    public let programHeaderOffset: UInt32
    public let programHeaderCount: Int
    public let programHeaderSize: Int
    public let symbols: SymbolTable
    /// The `Tag_RISCV_arch` string of `.riscv.attributes` (e.g. `rv32i2p1`), if the ELF has one.
    public let architecture: String?

    public init(bytes: [UInt8]) throws(ELFError) {
        self.bytes = bytes
        let r = ByteReader(bytes)
        guard bytes.count >= 4, bytes[0] == 0x7f, bytes[1] == 0x45, bytes[2] == 0x4c, bytes[3] == 0x46 else {
            throw .notELF
        }
        guard bytes.count >= 52 else { throw .truncated("the ELF header") }
        switch bytes[4] {
        case 1: break
        case 2: throw .unsupported("a 64-bit ELF; rvjit runs RV32 programs only")
        default: throw .corrupt("unknown ELF class \(bytes[4])")
        }
        guard bytes[5] == 1 else { throw .unsupported("a big-endian ELF; RISC-V is little-endian") }
        let type = r.u16(16), machine = r.u16(18)
        guard machine == 243 else {
            throw .unsupported("not a RISC-V ELF (e_machine \(machine)\(ELFFile.machineName(machine)))")
        }
        let flags = r.u32(36)
        // EF_RISCV_RVC (bit 0) permits compressed code; it does not prove there is any.
        if flags & 0x8 != 0 { throw .unsupported("the RV32E ABI") }
        switch type {
        case 2: break
        case 3: throw .unsupported("a position-independent or shared object (ET_DYN); rvjit runs static executables")
        default: throw .unsupported("not an executable (e_type \(type))")
        }
        entry = r.u32(24)
        self.flags = flags
        programHeaderOffset = r.u32(28)
        programHeaderSize = Int(r.u16(42))
        programHeaderCount = Int(r.u16(44))
        guard programHeaderCount > 0 else { throw .corrupt("no program headers") }
        guard programHeaderSize == 32 else { throw .corrupt("program header size \(programHeaderSize), expected 32") }
        let tableEnd = UInt64(programHeaderOffset) + UInt64(programHeaderCount * programHeaderSize)
        guard tableEnd <= UInt64(bytes.count) else { throw .truncated("the program header table") }

        var segments: [Segment] = []
        for i in 0..<programHeaderCount {
            let h = Int(programHeaderOffset) + i * programHeaderSize
            let pType = r.u32(h)
            switch pType {
            case 1:
                let s = Segment(
                    offset: r.u32(h + 4), vaddr: r.u32(h + 8), paddr: r.u32(h + 12), fileSize: r.u32(h + 16),
                    memorySize: r.u32(h + 20), flags: r.u32(h + 24))
                guard UInt64(s.offset) + UInt64(s.fileSize) <= UInt64(bytes.count) else {
                    throw .truncated("segment \(i) (file bytes \(s.offset)+\(s.fileSize) of \(bytes.count))")
                }
                guard s.fileSize <= s.memorySize else { throw .corrupt("segment \(i) is larger in the file than in memory") }
                guard UInt64(s.vaddr) + UInt64(s.memorySize) <= 1 << 32 else {
                    throw .corrupt("segment \(i) runs past the end of the 32-bit address space")
                }
                guard UInt64(s.paddr) + UInt64(s.memorySize) <= 1 << 32 else {
                    throw .corrupt("segment \(i)'s load address runs past the end of the 32-bit address space")
                }
                if s.memorySize > 0 { segments.append(s) }
            case 2, 3:
                throw .unsupported("a dynamically linked executable; rvjit runs static executables")
            default:
                break
            }
        }
        guard !segments.isEmpty else { throw .corrupt("no loadable segments") }
        let sorted = segments.sorted { $0.vaddr < $1.vaddr }
        for (a, b) in zip(sorted, sorted.dropFirst()) where UInt64(a.vaddr) + UInt64(a.memorySize) > UInt64(b.vaddr) {
            throw .corrupt(
                "segments overlap at 0x\(String(b.vaddr, radix: 16)) (0x\(String(a.vaddr, radix: 16))+0x\(String(a.memorySize, radix: 16)))"
            )
        }
        let entryPoint = entry
        guard segments.contains(where: { $0.flags & 1 != 0 && entryPoint &- $0.vaddr < $0.memorySize }) else {
            throw .corrupt("the entry point 0x\(String(entry, radix: 16)) is not in an executable segment")
        }
        self.segments = segments
        symbols = SymbolTable(elf: r)
        architecture = ELFFile.architecture(r)
    }

    /// Whether the ELF's ISA string names an extension (`zicsr`, `zifencei`). Without an ISA
    /// string objdump assumes everything, and so does this. Version 2.0 of the base ISA still
    /// implied Zicsr and Zifencei.
    public func hasExtension(_ name: String) -> Bool {
        guard let arch = architecture else { return true }
        return ELFFile.architecture(arch, names: name)
    }

    static func architecture(_ architecture: String, names name: String) -> Bool {
        let parts = architecture.lowercased().split(separator: "_")
        if parts.dropFirst().contains(where: { $0.hasPrefix(name) }) { return true }
        guard let base = parts.first else { return true }
        return base.dropFirst(4).hasPrefix("g") || base.dropFirst(4).hasPrefix("i2p0") || base.dropFirst(4) == "i"
    }

    /// The extensions the ELF's ISA string names (`rv32i2p1_m2p0_a2p1_c2p0_zicsr2p0` → IMAC +
    /// Zicsr); nil when it has none, which objdump reads as "everything".
    public var declaredISA: ISA? { architecture.flatMap(ELFFile.isa(architecture:)) }

    /// The extensions an ISA string names (the ELF's `Tag_RISCV_arch`, or what follows `$x` in
    /// a mapping symbol); nil when it is not an RV32 string.
    public static func isa(architecture: String) -> ISA? {
        let arch = architecture.lowercased()
        guard arch.hasPrefix("rv32") else { return nil }
        var isa: ISA = [.privileged]
        if ELFFile.architecture(arch, names: "zicsr") { isa.insert(.zicsr) }
        if ELFFile.architecture(arch, names: "zifencei") { isa.insert(.zifencei) }
        // Multi-letter extensions by exact name (`zbkb1p0` is Zbkb, not Zbk-anything).
        let named = Set(arch.split(separator: "_").dropFirst().map { $0.prefix { !$0.isNumber } })
        for (name, ext) in [("zba", ISA.zba), ("zbb", .zbb), ("zbc", .zbc), ("zbs", .zbs), ("zbkb", .zbkb), ("zbkx", .zbkx),
                            ("zfh", [.zfh, .zfhmin]), ("zfhmin", .zfhmin)]
        where named.contains(Substring(name)) {
            isa.insert(ext)
        }
        for part in arch.dropFirst(4).split(separator: "_") where !part.hasPrefix("z") && !part.hasPrefix("x") && !part.hasPrefix("s") {
            // Single-letter extensions, each with an optional version (`i2p1`, `m2p0`).
            var letters = part[...]
            while let ch = letters.first {
                letters = letters.dropFirst()
                switch ch {
                case "i", "e": isa.insert(.i)
                case "m": isa.insert(.m)
                case "a": isa.insert(.a)
                case "f": isa.insert(.f)
                case "d": isa.insert(.d)
                case "c": isa.insert(.c)
                case "g": isa.formUnion([.i, .m, .a, .f, .d, .zicsr, .zifencei])
                default: break
                }
                letters = letters.drop { $0.isNumber || $0 == "p" }
            }
        }
        return isa
    }

    /// A disassembler that prints this ELF's code exactly as `objdump -d` does: its symbols
    /// for branch targets and its ISA string for what decodes.
    public func disassembler(aliases: Bool = true) -> RISCV.Disassembler {
        let symbols = self.symbols
        return Disassembler(aliases: aliases, symbolize: { symbols.describe($0) }, isa: declaredISA ?? .everything)
    }

    /// Reads `Tag_RISCV_arch` (5) from the `riscv` subsection of the SHT_RISCV_ATTRIBUTES section.
    static func architecture(_ r: ByteReader) -> String? {
        let count = r.bytes.count
        let shoff = Int(r.u32(32)), shentsize = Int(r.u16(46)), shnum = Int(r.u16(48))
        guard shoff > 0, shentsize == 40, shoff + shnum * shentsize <= count else { return nil }
        for i in 0..<shnum where r.u32(shoff + i * shentsize + 4) == 0x7000_0003 {
            let start = Int(r.u32(shoff + i * shentsize + 16)), size = Int(r.u32(shoff + i * shentsize + 20))
            guard size > 16, start + size <= count, r.u8(start) == 0x41 else { return nil }  // 'A'
            let vendor = start + 5
            guard r.cString(vendor, limit: 16) == "riscv" else { return nil }
            var p = vendor + 6
            guard r.u8(p) == 1 else { return nil }  // Tag_File
            p += 5
            let end = start + size
            func uleb() -> Int {
                var value = 0, shift = 0
                while p < end, shift < 63 {
                    let b = Int(r.u8(p)); p += 1
                    value |= (b & 0x7f) << shift; shift += 7
                    if b & 0x80 == 0 { break }
                }
                return value
            }
            while p < end {
                let tag = uleb()
                if tag % 2 == 1 {  // odd tags hold NUL-terminated strings
                    guard let text = r.cString(p, limit: end - p) else { return nil }
                    if tag == 5 { return text }
                    p += text.utf8.count + 1
                } else {
                    _ = uleb()
                }
            }
        }
        return nil
    }

    /// Where the program headers are in guest memory (for AT_PHDR), if a segment maps them.
    public var programHeaderAddress: UInt32? {
        for s in segments where programHeaderOffset >= s.offset && programHeaderOffset &- s.offset < s.fileSize {
            return s.vaddr &+ (programHeaderOffset &- s.offset)
        }
        return nil
    }

    /// End of the highest segment: where the heap (`brk`) starts, page-aligned.
    public var highestAddress: UInt64 {
        segments.map { UInt64($0.vaddr) + UInt64($0.memorySize) }.max() ?? 0
    }

    static func machineName(_ m: UInt16) -> String {
        switch m {
        case 3: return ": x86"
        case 40: return ": ARM"
        case 62: return ": x86-64"
        case 183: return ": AArch64"
        default: return ""
        }
    }
}

public enum ELFError: Error, Equatable, CustomStringConvertible {
    case notELF
    case truncated(String)
    case corrupt(String)
    case unsupported(String)

    public var description: String {
        switch self {
        case .notELF: return "not an ELF file"
        case .truncated(let what): return "truncated ELF: \(what) is cut off"
        case .corrupt(let what): return "corrupt ELF: \(what)"
        case .unsupported(let what): return "unsupported ELF: \(what)"
        }
    }
}

/// Little-endian reads that return 0 past the end instead of trapping; callers check sizes.
struct ByteReader {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func u8(_ at: Int) -> UInt8 { at >= 0 && at < bytes.count ? bytes[at] : 0 }
    func u16(_ at: Int) -> UInt16 { UInt16(u8(at)) | UInt16(u8(at + 1)) << 8 }
    func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) | UInt32(u16(at + 2)) << 16 }

    func cString(_ at: Int, limit: Int) -> String? {
        guard at >= 0, at < bytes.count else { return nil }
        var end = at
        while end < bytes.count && end < at + limit && bytes[end] != 0 { end += 1 }
        guard end < bytes.count, bytes[end] == 0 else { return nil }
        return String(decoding: bytes[at..<end], as: UTF8.self)
    }
}
