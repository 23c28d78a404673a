/// The extensions a machine implements (`--isa`). Every table row names the extension it
/// belongs to; a word whose row is outside the machine's ISA decodes as illegal.
public struct ISA: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

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

    /// Everything rvjit can run: the default.
    public static let implemented: ISA = [.i, .m, .a, .c, .f, .d, .zicsr, .zifencei, .privileged]
    /// Every extension the table describes, implemented or not: for disassembly and table checks.
    public static let everything: ISA = [.i, .m, .a, .c, .f, .d, .zicsr, .zifencei, .privileged]
    /// What every machine has, whatever `--isa` says: RV32I with Zicsr, Zifencei and M-mode.
    public static let rv32i: ISA = [.i, .zicsr, .zifencei, .privileged]
    static let always = rv32i

    /// Single-letter extensions in canonical order, with their `misa` bit (the letter's index).
    static let letters: [(Character, ISA, misaBit: UInt32)] = [
        ("i", .i, 8), ("m", .m, 12), ("a", .a, 0), ("f", .f, 5), ("d", .d, 3), ("c", .c, 2),
    ]

    /// The `misa` value: MXL = 1 (32-bit), a bit per letter, plus U (user mode exists).
    public var misa: UInt32 {
        var bits: UInt32 = 1 << 30 | 1 << 20
        for (_, ext, bit) in Self.letters where contains(ext) { bits |= 1 << bit }
        return bits
    }

    /// The Linux `AT_HWCAP` bits: the same letters as `misa`.
    public var hwcap: UInt32 { misa & 0x03ff_ffff & ~(1 << 20) }

    /// Instruction addresses must be multiples of this: 2 with C (IALIGN=16), 4 without.
    @inlinable public var instructionAlignment: UInt32 { contains(.c) ? 2 : 4 }

    /// Whether `target` is a legal instruction address.
    @inlinable public func isAligned(_ target: UInt32) -> Bool { target & (instructionAlignment &- 1) == 0 }

    /// `rv32imac`-style name (Zicsr and Zifencei, always present, are not spelled out).
    public var description: String {
        "rv32" + String(Self.letters.filter { contains($0.1) }.map { $0.0 })
    }

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        case notImplemented(String, String)
        /// An extension named without one it depends on (D needs F).
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

    /// Parses `rv32i`, `rv32imac`, `rv32imac_zicsr_zifencei`, `RV32IM` …; `g` stands for `imafd`.
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
            default: throw .notImplemented(text, part)
            }
        }
        if isa.contains(.d) && !isa.contains(.f) { throw .missingDependency(text, "D", "F") }
        guard ISA.implemented.isSuperset(of: isa) else {
            let missing = Self.letters.first { isa.contains($0.1) && !ISA.implemented.contains($0.1) }
            throw .notImplemented(text, missing.map { String($0.0).uppercased() } ?? "?")
        }
        self = isa
    }
}
