/// Function and object symbols of the guest ELF, for showing addresses as `symbol+offset`.
public struct SymbolTable: Sendable {
    public struct Symbol: Sendable, Equatable {
        public var name: String
        public var address: UInt32
        public var size: UInt32
        public var isFunction: Bool
    }

    /// Sorted by address.
    public private(set) var symbols: [Symbol] = []

    public init() {}

    public init(_ symbols: [Symbol]) {
        self.symbols = symbols.sorted { ($0.address, $0.name) < ($1.address, $1.name) }
    }

    /// Reads `.symtab`/`.strtab` through the section headers; a missing or damaged table just
    /// gives no symbols (symbols are a convenience, never a reason to refuse a program).
    init(elf r: ByteReader) {
        let count = r.bytes.count
        let shoff = Int(r.u32(32)), shentsize = Int(r.u16(46)), shnum = Int(r.u16(48))
        guard shoff > 0, shentsize == 40, shnum > 0, shoff + shnum * shentsize <= count else {
            self.init()
            return
        }
        var found: [Symbol] = []
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
                let info = r.u8(s + 12), shndx = r.u16(s + 14)
                let type = info & 0xf
                s += 16
                guard shndx != 0, type == 0 || type == 1 || type == 2, nameIndex < strSize,
                    let name = r.cString(strOffset + nameIndex, limit: strSize - nameIndex), !name.isEmpty,
                    !name.hasPrefix("$"), !name.hasPrefix(".L")
                else { continue }
                found.append(Symbol(name: name, address: value, size: symSize, isFunction: type == 2))
            }
        }
        self.init(found)
    }

    public subscript(name: String) -> Symbol? { symbols.first { $0.name == name } }

    /// The symbol at or before `address` (preferring functions), as objdump chooses for `<…>`.
    public func symbol(containing address: UInt32) -> Symbol? {
        var lo = 0, hi = symbols.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if symbols[mid].address <= address { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0 else { return nil }
        let at = symbols[lo - 1].address
        var best = symbols[lo - 1]
        var i = lo - 1
        while i >= 0 && symbols[i].address == at {
            if symbols[i].isFunction && !best.isFunction { best = symbols[i] }
            i -= 1
        }
        return best
    }

    /// `name+0xoff`, `name`, or nil when no symbol precedes the address.
    public func describe(_ address: UInt32) -> String? {
        guard let s = symbol(containing: address) else { return nil }
        let offset = address &- s.address
        return offset == 0 ? s.name : "\(s.name)+0x\(String(offset, radix: 16))"
    }
}
