/// Function and object symbols of the guest ELF, for showing addresses as `symbol+offset`.
///
/// `describe` names an address exactly as GNU objdump 2.40 does in `-d` output, so that the
/// disassembler's `<…>` annotations match objdump's: among several symbols at one address it
/// takes the one objdump sorts first (symbols of the code section, then functions, objects,
/// global before weak before local binding, larger size, names not starting with `.`, then
/// byte order of the name); an address below every symbol is shown relative to the lowest
/// symbol (`_start-0x10`). RISC-V mapping symbols (`$x…`, `$d…`) name nothing.
public struct SymbolTable: Sendable {
    public struct Symbol: Sendable, Equatable {
        public var name: String
        public var address: UInt32
        public var size: UInt32
        public var isFunction: Bool
        public var isObject: Bool
        /// ELF binding: 0 local, 1 global, 2 weak.
        public var binding: UInt8
        /// Name of the section the symbol belongs to (`*ABS*` for absolute symbols).
        public var section: String

        public init(
            name: String, address: UInt32, size: UInt32 = 0, isFunction: Bool, isObject: Bool = false,
            binding: UInt8 = 1, section: String = ".text"
        ) {
            self.name = name
            self.address = address
            self.size = size
            self.isFunction = isFunction
            self.isObject = isObject
            self.binding = binding
            self.section = section
        }
    }

    /// An executable section: where code is disassembled from.
    public struct CodeSection: Sendable, Equatable {
        public var name: String
        public var address: UInt32
        public var size: UInt32
        /// Where its bytes are in the file.
        public var offset: UInt32

        public init(name: String, address: UInt32, size: UInt32, offset: UInt32) {
            self.name = name
            self.address = address
            self.size = size
            self.offset = offset
        }
    }

    /// Sorted by address, and at one address in the order objdump prefers them.
    public private(set) var symbols: [Symbol] = []
    /// Executable sections in section-header order.
    public private(set) var codeSections: [CodeSection] = []
    /// The RISC-V mapping symbols, sorted by address and, at one address, in objdump's order
    /// (by name: the last one there is the one that counts).
    public private(set) var mappingSymbols: [MappingSymbol] = []

    public init() {}

    public init(_ symbols: [Symbol], codeSections: [CodeSection] = [], mappingSymbols: [MappingSymbol] = []) {
        self.codeSections = codeSections
        self.mappingSymbols = mappingSymbols.sorted {
            $0.address != $1.address ? $0.address < $1.address : Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8))
        }
        let code = codeSections.first?.name ?? ".text"
        self.symbols = symbols.sorted { a, b in
            a.address != b.address ? a.address < b.address : SymbolTable.objdumpOrder(a, b, codeSection: code)
        }
    }

    /// Reads `.symtab`/`.strtab` through the section headers; a missing or damaged table just
    /// gives no symbols (symbols are a convenience, never a reason to refuse a program).
    init(elf r: ByteReader) {
        let count = r.bytes.count
        let shoff = Int(r.u32(32)), shentsize = Int(r.u16(46)), shnum = Int(r.u16(48)), shstrndx = Int(r.u16(50))
        guard shoff > 0, shentsize == 40, shnum > 0, shoff + shnum * shentsize <= count else {
            self.init()
            return
        }
        func sectionName(_ index: Int) -> String {
            guard shstrndx < shnum else { return "" }
            let strtab = Int(r.u32(shoff + shstrndx * shentsize + 16))
            let strSize = Int(r.u32(shoff + shstrndx * shentsize + 20))
            let nameIndex = Int(r.u32(shoff + index * shentsize))
            guard nameIndex < strSize, strtab + strSize <= count else { return "" }
            return r.cString(strtab + nameIndex, limit: strSize - nameIndex) ?? ""
        }
        var code: [CodeSection] = []
        for i in 1..<shnum {
            let h = shoff + i * shentsize
            let flags = r.u32(h + 8)
            // SHF_ALLOC | SHF_EXECINSTR, with contents (not SHT_NOBITS).
            if flags & 0x6 == 0x6 && r.u32(h + 4) != 8 {
                code.append(CodeSection(name: sectionName(i), address: r.u32(h + 12), size: r.u32(h + 20), offset: r.u32(h + 16)))
            }
        }
        var found: [Symbol] = []
        var mapping: [MappingSymbol] = []
        for i in 0..<shnum {
            let h = shoff + i * shentsize
            guard r.u32(h + 4) == 2 else { continue }  // SHT_SYMTAB
            let offset = Int(r.u32(h + 16)), size = Int(r.u32(h + 20)), link = Int(r.u32(h + 24))
            guard link < shnum, offset + size <= count else { continue }
            let strHeader = shoff + link * shentsize
            let strOffset = Int(r.u32(strHeader + 16)), strSize = Int(r.u32(strHeader + 20))
            guard strOffset + strSize <= count else { continue }
            var s = offset + 16  // entry 0 is the null symbol
            while s + 16 <= offset + size {
                let nameIndex = Int(r.u32(s)), value = r.u32(s + 4), symSize = r.u32(s + 8)
                let info = r.u8(s + 12), shndx = Int(r.u16(s + 14))
                let type = info & 0xf, binding = info >> 4
                s += 16
                // objdump leaves out undefined, common, section and file symbols.
                guard shndx != 0, shndx != 0xfff2, type <= 2 || type == 6, nameIndex < strSize,
                    let name = r.cString(strOffset + nameIndex, limit: strSize - nameIndex), !name.isEmpty,
                    name != ".L0 "
                else { continue }
                let section = shndx == 0xfff1 ? "*ABS*" : shndx < shnum ? sectionName(shndx) : ""
                if SymbolTable.isMappingSymbol(name) {
                    if let m = MappingSymbol(name: name, address: value, section: section) { mapping.append(m) }
                    continue
                }
                found.append(
                    Symbol(
                        name: name, address: value, size: symSize, isFunction: type == 2, isObject: type == 1,
                        binding: binding, section: section))
            }
        }
        self.init(found, codeSections: code, mappingSymbols: mapping)
    }

    /// RISC-V mapping symbols mark code and data ranges; objdump never names an address with them.
    static func isMappingSymbol(_ name: String) -> Bool {
        name == "$x" || name == "$d" || name.hasPrefix("$x") || name.hasPrefix("$d.")
    }

    /// objdump's preference among symbols at one address: true when `a` comes before `b`.
    static func objdumpOrder(_ a: Symbol, _ b: Symbol, codeSection: String) -> Bool {
        func rank(_ s: Symbol) -> [Int] {
            let n = s.name
            let compiler = n.contains("gnu_compiled") || n.contains("gcc2_compiled")
            let fileName = n.utf8.count > 2 && (n.hasSuffix(".o") || n.hasSuffix(".a"))
            return [
                s.section == codeSection ? 0 : 1, compiler ? 1 : 0, fileName ? 1 : 0,
                s.isFunction ? 0 : 1, s.isObject ? 0 : 1, s.binding == 0 ? 1 : 0, s.binding == 1 ? 0 : 1,
            ]
        }
        let ra = rank(a), rb = rank(b)
        if ra != rb { return ra.lexicographicallyPrecedes(rb) }
        if a.size != b.size { return a.size > b.size }
        let ad = a.name.hasPrefix("."), bd = b.name.hasPrefix(".")
        if ad != bd { return bd }
        return Array(a.name.utf8).lexicographicallyPrecedes(Array(b.name.utf8))
    }

    public subscript(name: String) -> Symbol? { symbols.first { $0.name == name } }

    /// The section objdump would be disassembling when it names `address`: the code section
    /// holding it, else the first code section.
    func codeSection(for address: UInt32) -> String {
        codeSections.first { address &- $0.address < $0.size }?.name ?? codeSections.first?.name ?? ".text"
    }

    /// The symbol objdump names `address` after: the preferred one among those at the highest
    /// address not above it, or the lowest symbol when every symbol lies above it.
    public func nearestSymbol(_ address: UInt32) -> Symbol? {
        guard !symbols.isEmpty else { return nil }
        var lo = 0, hi = symbols.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if symbols[mid].address <= address { lo = mid + 1 } else { hi = mid }
        }
        let at = lo > 0 ? symbols[lo - 1].address : symbols[0].address
        var first = lo > 0 ? lo - 1 : 0
        while first > 0 && symbols[first - 1].address == at { first -= 1 }
        var best = symbols[first]
        let code = codeSection(for: address)
        var i = first + 1
        while i < symbols.count && symbols[i].address == at {
            if SymbolTable.objdumpOrder(symbols[i], best, codeSection: code) { best = symbols[i] }
            i += 1
        }
        return best
    }

    /// The symbol at or before `address`, as objdump chooses for `<…>`.
    public func symbol(containing address: UInt32) -> Symbol? {
        guard let s = nearestSymbol(address), s.address <= address else { return nil }
        return s
    }

    /// `name+0xoff`, `name`, `name-0xoff` (below every symbol), or nil when there are no symbols.
    public func describe(_ address: UInt32) -> String? {
        guard let s = nearestSymbol(address) else { return nil }
        if address == s.address { return s.name }
        if address < s.address { return "\(s.name)-0x\(String(s.address - address, radix: 16))" }
        return "\(s.name)+0x\(String(address - s.address, radix: 16))"
    }
}

/// A RISC-V mapping symbol: `$x` starts instructions (`$x<isa>`, e.g. `$xrv32i2p1_zicsr2p0`,
/// instructions of that ISA), `$d` starts data. objdump 2.40 prints a `$d` region as data
/// directives and decodes a region with the ISA of the latest `$x<isa>` before it.
public struct MappingSymbol: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Instructions, with the ISA string after `$x` if the symbol has one.
        case instructions(architecture: String?)
        case data
    }

    public var name: String
    public var address: UInt32
    /// Name of the section it marks.
    public var section: String
    public var kind: Kind

    /// objdump's reading of the names: `$d`, `$x` and `$xrv…`; nil for other names.
    public init?(name: String, address: UInt32, section: String) {
        switch name {
        case "$d": kind = .data
        case "$x": kind = .instructions(architecture: nil)
        case _ where name.hasPrefix("$xrv"): kind = .instructions(architecture: String(name.dropFirst(2)))
        default: return nil
        }
        self.name = name
        self.address = address
        self.section = section
    }
}
