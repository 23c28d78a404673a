/// The extensions a machine implements (`--isa`). Every table row names the extension(s) it
/// belongs to; a word whose row is outside the machine's ISA decodes as illegal.
public struct ISA: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let i = ISA(rawValue: 1 << 0)
    public static let m = ISA(rawValue: 1 << 1)
    public static let a = ISA(rawValue: 1 << 2)
    public static let c = ISA(rawValue: 1 << 3)
    public static let f = ISA(rawValue: 1 << 4)
    public static let d = ISA(rawValue: 1 << 5)
    public static let zicsr = ISA(rawValue: 1 << 6)
    public static let zifencei = ISA(rawValue: 1 << 7)
    /// The machine-mode instructions (`mret`, `wfi`): always present, never named in `--isa`.
    public static let privileged = ISA(rawValue: 1 << 8)
    /// Bit manipulation: address generation, basic, carry-less multiply, single bits.
    public static let zba = ISA(rawValue: 1 << 9), zbb = ISA(rawValue: 1 << 10), zbc = ISA(rawValue: 1 << 11), zbs = ISA(rawValue: 1 << 12)
    /// Bit manipulation for cryptography (scalar crypto): Zbb's rotations and logic plus pack,
    /// brev8, zip, unzip; and the crossbar permutations xperm4/xperm8.
    public static let zbkb = ISA(rawValue: 1 << 13), zbkx = ISA(rawValue: 1 << 14)
    /// Half precision: Zfhmin has the loads, stores, moves and conversions to and from single
    /// (and double, with D); Zfh all the arithmetic. Zfh includes Zfhmin (parsing `zfh` gives
    /// both), and both need F.
    public static let zfh = ISA(rawValue: 1 << 15), zfhmin = ISA(rawValue: 1 << 16)
    /// B is Zba + Zbb + Zbs.
    public static let b: ISA = [.zba, .zbb, .zbs]
    public static let bitManipulation: ISA = [.zba, .zbb, .zbc, .zbs, .zbkb, .zbkx]

    /// Everything rvjit can run: the default.
    public static let implemented: ISA = ISA([.i, .m, .a, .c, .f, .d, .zfh, .zfhmin, .zicsr, .zifencei, .privileged])
        .union(bitManipulation)
    /// Every extension the table describes, implemented or not: for disassembly and table checks.
    public static let everything: ISA = ISA([.i, .m, .a, .c, .f, .d, .zfh, .zfhmin, .zicsr, .zifencei, .privileged])
        .union(bitManipulation)
    /// What every machine has, whatever `--isa` says: RV32I with Zicsr, Zifencei and M-mode.
    public static let rv32i: ISA = [.i, .zicsr, .zifencei, .privileged]
    static let always = rv32i

    /// Single-letter extensions in canonical order, with their `misa` bit (the letter's index).
    /// B (ratified in 2024 as exactly Zba + Zbb + Zbs, with `misa` bit 1) is present when all three are.
    static let letters: [(Character, ISA, misaBit: UInt32)] = [
        ("i", .i, 8), ("m", .m, 12), ("a", .a, 0), ("f", .f, 5), ("d", .d, 3), ("c", .c, 2), ("b", .b, 1),
    ]

    /// Multi-letter extensions `--isa` names, in canonical order (Zicsr and Zifencei, always
    /// present, are accepted and not spelled out). `zfh` stands for Zfh and the Zfhmin it
    /// contains; a description names Zfhmin only without Zfh.
    static let named: [(String, ISA)] = [
        ("zfh", [.zfh, .zfhmin]), ("zfhmin", .zfhmin), ("zba", .zba), ("zbb", .zbb), ("zbc", .zbc), ("zbs", .zbs), ("zbkb", .zbkb), ("zbkx", .zbkx),
    ]

    /// The `misa` value: MXL = 1 (32-bit), a bit per letter, plus U (user mode exists).
    public var misa: UInt32 {
        var bits: UInt32 = 1 << 30 | 1 << 20
        for (_, ext, bit) in Self.letters where contains(ext) { bits |= 1 << bit }
        return bits
    }

    /// The Linux `AT_HWCAP` bits: the letters I, M, A, F, D and C of `misa` (Linux reports no others).
    public var hwcap: UInt32 { misa & (1 << 8 | 1 << 12 | 1 << 0 | 1 << 5 | 1 << 3 | 1 << 2) }

    /// Instruction addresses must be multiples of this: 2 with C (IALIGN=16), 4 without.
    @inlinable public var instructionAlignment: UInt32 { contains(.c) ? 2 : 4 }

    /// Whether `target` is a legal instruction address.
    @inlinable public func isAligned(_ target: UInt32) -> Bool { target & (instructionAlignment &- 1) == 0 }

    /// `rv32imac`-style name, then the multi-letter extensions B (or Zfh) does not cover
    /// (`rv32imafdcb_zfh_zbc_zbkb_zbkx`; Zicsr and Zifencei, always present, are not spelled out).
    public var description: String {
        let letters = Self.letters.filter { contains($0.1) }
        var covered = letters.reduce(ISA()) { $0.union($1.1) }
        var named: [String] = []
        for (name, ext) in Self.named where contains(ext) && !covered.contains(ext) {
            named.append("_" + name)
            covered.formUnion(ext)
        }
        return "rv32" + String(letters.map { $0.0 }) + named.joined()
    }

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        case notImplemented(String, String)
        /// An extension named without one it depends on (D needs F, so do Zfh and Zfhmin).
        case missingDependency(String, String, String)

        public var description: String {
            switch self {
            case .malformed(let s):
                return "'\(s)' is not an ISA string (expected rv32 followed by extension letters, e.g. rv32imac)"
            case .notImplemented(let s, let ext):
                return "'\(s)': extension \(ext) is not implemented (rvjit runs \(ISA.implemented))"
            case .missingDependency(let s, let ext, let needed):
                return "'\(s)': extension \(ext) needs \(needed)"
            }
        }
    }

    /// Parses `rv32i`, `rv32imac`, `rv32imac_zicsr_zifencei`, `RV32IM`, `rv32imac_zba_zbb_zbkb` …;
    /// `g` stands for `imafd` and `b` for `zba_zbb_zbs`.
    /// An extension rvjit does not implement is an error, not silently dropped.
    public init(parsing text: String) throws(ParseError) {
        let lower = text.lowercased()
        var parts = lower.split(separator: "_").map(String.init)
        guard let first = parts.first, first.hasPrefix("rv32") else { throw .malformed(text) }
        parts.removeFirst()
        var letters = first.dropFirst(4)
        guard let base = letters.first, base == "i" || base == "g" else { throw .malformed(text) }
        if base == "g" { letters = "imafd" + letters.dropFirst() }
        var isa = ISA.always
        for ch in letters {
            guard let ext = Self.letters.first(where: { $0.0 == ch })?.1 else {
                throw ch.isLetter ? .notImplemented(text, String(ch).uppercased()) : .malformed(text)
            }
            isa.insert(ext)
        }
        for part in parts {
            switch part {
            case "zicsr", "zifencei": break
            case "": throw .malformed(text)
            default:
                guard let ext = Self.named.first(where: { $0.0 == part })?.1 else { throw .notImplemented(text, part) }
                isa.insert(ext)
            }
        }
        if isa.contains(.d) && !isa.contains(.f) { throw .missingDependency(text, "D", "F") }
        if isa.contains(.zfhmin) && !isa.contains(.f) {
            throw .missingDependency(text, isa.contains(.zfh) ? "Zfh" : "Zfhmin", "F")
        }
        guard ISA.implemented.isSuperset(of: isa) else {
            let missing = Self.letters.first { isa.contains($0.1) && !ISA.implemented.contains($0.1) }
            throw .notImplemented(text, missing.map { String($0.0).uppercased() } ?? "?")
        }
        self = isa
    }
}
