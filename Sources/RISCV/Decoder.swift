/// Table-driven decoder.
///
/// At start-up the instruction table is sorted into 256 buckets keyed by the major opcode's bits
/// 6:2 and funct3, so decoding a word tries at most a handful of mask/match rows, in table order:
/// where two rows match one word (zext.h is `pack rd, rs1, x0`), the earlier, more specific row
/// is the instruction. A row decodes when the ISA has any of its extensions (and all it requires). The buckets live
/// in plain unsafe buffers that are built once and never freed, so the interpreter's hot loop can
/// keep a copy of this struct in registers without reference counting or bounds checks.
public struct Decoder: @unchecked Sendable {
    /// `bucketStart[k] ..< bucketStart[k + 1]` indexes `candidates` for key `k`.
    @usableFromInline let bucketStart: UnsafeMutablePointer<UInt16>
    @usableFromInline let candidates: UnsafeMutablePointer<UInt8>
    @usableFromInline let masks: UnsafeMutablePointer<UInt32>
    @usableFromInline let matches: UnsafeMutablePointer<UInt32>
    @usableFromInline let formats: UnsafeMutablePointer<InstructionFormat>
    @usableFromInline let families: UnsafeMutablePointer<Family>
    @usableFromInline let extensions: UnsafeMutablePointer<UInt32>
    /// Extensions a row needs all of (`InstructionSpec.requires`; mostly none).
    @usableFromInline let required: UnsafeMutablePointer<UInt32>

    /// Fast path: the likely row for each (major opcode, funct3, bit 30), checked against its
    /// mask/match before use; 0xff sends the word to the buckets.
    @usableFromInline let likely: UnsafeMutablePointer<UInt8>

    public static let shared = Decoder()

    private init() {
        let rows = InstructionTable.rows
        var buckets = [[UInt8]](repeating: [], count: 256)
        for (index, row) in rows.enumerated() {
            precondition(Int(row.opcode.rawValue) == index, "instruction table out of order")
            precondition(row.match & 3 == 3, "every 32-bit encoding ends in 0b11")
            let major = (row.match >> 2) & 0x1f
            let f3Fixed = row.mask & (0x7 << 12) == 0x7 << 12
            for f3 in 0..<UInt32(8) where !f3Fixed || (row.match >> 12) & 7 == f3 {
                buckets[Int(major << 3 | f3)].append(UInt8(index))
            }
        }
        bucketStart = .allocate(capacity: 257)
        let flat = buckets.flatMap { $0 }
        candidates = .allocate(capacity: max(flat.count, 1))
        var cursor = 0
        for key in 0..<256 {
            bucketStart[key] = UInt16(cursor)
            for c in buckets[key] { candidates[cursor] = c; cursor += 1 }
        }
        bucketStart[256] = UInt16(cursor)
        masks = .allocate(capacity: rows.count)
        matches = .allocate(capacity: rows.count)
        formats = .allocate(capacity: rows.count)
        families = .allocate(capacity: rows.count)
        extensions = .allocate(capacity: rows.count)
        required = .allocate(capacity: rows.count)
        likely = .allocate(capacity: 512)
        for key in 0..<512 {
            // The rows whose encoding is decided by these 9 bits alone, unless a more specific
            // row could match the same words (it comes first and must win).
            let major = UInt32(key >> 4), f3 = UInt32((key >> 1) & 7), bit30 = UInt32(key & 1)
            let word = major << 2 | 3 | f3 << 12 | bit30 << 30
            let bucket = buckets[Int(major << 3 | f3)]
            let fits = bucket.filter { c in
                let r = rows[Int(c)]
                let decidingMask = r.mask & (0x7f | 0x7 << 12 | 1 << 30)
                return word & decidingMask == r.match & decidingMask && r.mask & ~(0x7f | 0x7 << 12 | 0xfe00_0000) == 0
            }
            let shadowed = fits.count == 1 && bucket.contains { c in
                let r = rows[Int(c)], f = rows[Int(fits[0])]
                return c < fits[0] && r.match & f.mask == f.match && r.mask & f.mask == f.mask
            }
            likely[key] = fits.count == 1 && !shadowed ? fits[0] : 0xff
        }
        for (index, row) in rows.enumerated() {
            masks[index] = row.mask
            matches[index] = row.match
            formats.advanced(by: index).initialize(to: row.format)
            families.advanced(by: index).initialize(to: row.family)
            extensions[index] = row.isa.rawValue
            required[index] = row.requires.rawValue
        }
    }

    /// Which table row a word is, or `.illegal`.
    @inlinable @inline(__always)
    public func opcode(of word: UInt32) -> Opcode {
        guard word & 3 == 3 else { return .illegal }
        let fast = Int(likely[Int((word >> 2) & 0x1f) << 4 | Int((word >> 12) & 7) << 1 | Int((word >> 30) & 1)])
        if fast != 0xff && word & masks[fast] == matches[fast] {
            return Opcode(rawValue: UInt8(truncatingIfNeeded: fast)).unsafelyUnwrapped
        }
        let key = Int((word >> 2) & 0x1f) << 3 | Int((word >> 12) & 7)
        var i = Int(bucketStart[key])
        let end = Int(bucketStart[key &+ 1])
        while i < end {
            let c = Int(candidates[i])
            if word & masks[c] == matches[c] {
                return Opcode(rawValue: UInt8(truncatingIfNeeded: c)).unsafelyUnwrapped
            }
            i &+= 1
        }
        return .illegal
    }

    /// Decodes the instruction that starts in the low bits of `word` (its low halfword alone when
    /// those bits say compressed). Every value gives an instruction: words that are no
    /// instruction of `isa` give `.illegal`, with the instruction's bits in `imm` (for `mtval`).
    @inlinable @inline(__always)
    public func decode(_ word: UInt32, isa: ISA = .implemented) -> Instruction {
        if word & 3 != 3 && isa.contains(.c) { return decodeCompressed(UInt16(truncatingIfNeeded: word), isa: isa) }
        let opcode = opcode(of: word)
        let index = Int(opcode.rawValue)
        guard opcode != .illegal, isa.rawValue & extensions[index] != 0, isa.rawValue & required[index] == required[index] else {
            return Instruction(.illegal, imm: Int32(bitPattern: word))
        }
        let family = families[index]
        let rd = UInt8(truncatingIfNeeded: (word >> 7) & 0x1f)
        let rs1 = UInt8(truncatingIfNeeded: (word >> 15) & 0x1f)
        let rs2 = UInt8(truncatingIfNeeded: (word >> 20) & 0x1f)
        @inline(__always) func make(rd: UInt8 = 0, rs1: UInt8 = 0, rs2: UInt8 = 0, imm: Int32 = 0, csr: UInt16 = 0) -> Instruction {
            Instruction(opcode, rd: rd, rs1: rs1, rs2: rs2, imm: imm, csr: csr, length: 4, family: family)
        }
        let mask = masks[index]
        switch formats[index] {
        case .r: return make(rd: rd, rs1: rs1, rs2: rs2)
        case .unary: return make(rd: rd, rs1: rs1)
        case .i, .load, .jalr, .floatLoad: return make(rd: rd, rs1: rs1, imm: Immediate.i(word))
        case .shift: return make(rd: rd, rs1: rs1, imm: Int32(rs2))
        case .s, .floatStore: return make(rs1: rs1, rs2: rs2, imm: Immediate.s(word))
        case .b: return make(rs1: rs1, rs2: rs2, imm: Immediate.b(word))
        case .u: return make(rd: rd, imm: Immediate.u(word))
        case .j: return make(rd: rd, imm: Immediate.j(word))
        case .fence: return make(rd: rd, rs1: rs1, imm: Int32(word >> 20))
        case .csr, .csri: return make(rd: rd, rs1: rs1, csr: UInt16(word >> 20))
        case .noOperands: return make()
        case .amo, .lr: return make(rd: rd, rs1: rs1, rs2: rs2, imm: Int32((word >> 25) & 3))
        case .floatR, .floatR4:
            // Fields the row fixes (rs2 of conversions, funct3 of sign injection...) read as zero.
            let rm = mask & 0x7000 != 0 ? 0 : UInt8(truncatingIfNeeded: (word >> 12) & 7)
            let rs3 = formats[index] == .floatR4 ? UInt8(truncatingIfNeeded: word >> 27) : 0
            return Instruction(opcode, rd: rd, rs1: rs1, rs2: mask & (0x1f << 20) != 0 ? 0 : rs2, imm: 0, csr: 0,
                               length: 4, family: family, rs3: rs3, rm: rm)
        }
    }

    /// A compressed instruction: its row's expansion, or illegal (reserved encodings, rows whose
    /// extensions `isa` lacks, such as `c.flw` without F).
    @usableFromInline
    func decodeCompressed(_ half: UInt16, isa: ISA) -> Instruction {
        guard let row = CompressedTable.spec(half), isa.isSuperset(of: row.isa), let inst = row.expand(half),
            let target = InstructionTable.spec(inst.opcode), target.isEnabled(in: isa)
        else { return Instruction(.illegal, imm: Int32(half), length: 2) }
        return inst
    }

    /// The bits of the instruction that starts at the low end of `word`: the low halfword of a
    /// compressed instruction, the whole word otherwise (what traces print and `mtval` holds).
    @inlinable
    public static func instructionBits(_ word: UInt32) -> UInt32 { word & 3 == 3 ? word : word & 0xffff }

    /// The length in bytes of the instruction whose first halfword is `low`, by the standard's
    /// length encoding (as objdump's `riscv_insn_length` reads it): 2 when the low bits are not
    /// 0b11, 4 unless bits 4:2 are 0b111, then 6, 8, or 10–22; the reserved longer encodings
    /// count as 2.
    public static func encodedLength(_ low: UInt16) -> Int {
        if low & 0x3 != 0x3 { return 2 }
        if low & 0x1f != 0x1f { return 4 }
        if low & 0x3f == 0x1f { return 6 }
        if low & 0x7f == 0x3f { return 8 }
        if low & 0x7f == 0x7f && low & 0x7000 != 0x7000 { return 10 + Int((low >> 11) & 0xe) }
        return 2
    }
}

/// Decodes one instruction with the shared decoder.
@inlinable
public func decode(_ word: UInt32, isa: ISA = .implemented) -> Instruction { Decoder.shared.decode(word, isa: isa) }
