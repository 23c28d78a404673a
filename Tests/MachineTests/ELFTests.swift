import Foundation
import RVMachine
import Testing
import TestSupport

/// A real guest ELF to cut up and corrupt.
let helloBytes: [UInt8] = (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: Repository.elf("hello"))))) ?? []

/// Little-endian field edits on a copy of an ELF image.
extension Array where Element == UInt8 {
    func u16(_ at: Int) -> UInt16 { UInt16(self[at]) | UInt16(self[at + 1]) << 8 }
    func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) | UInt32(u16(at + 2)) << 16 }
    mutating func set16(_ at: Int, _ v: UInt16) { self[at] = UInt8(v & 0xff); self[at + 1] = UInt8(v >> 8) }
    mutating func set32(_ at: Int, _ v: UInt32) { set16(at, UInt16(v & 0xffff)); set16(at + 2, UInt16(v >> 16)) }
}

/// Builds small static RV32 executables from scratch: one ELF header, program headers, and the
/// bytes of each segment placed after them.
struct ELFBuilder {
    struct Header { var type: UInt32 = 1; var offset: UInt32? = nil; var vaddr: UInt32; var fileSize: UInt32; var memorySize: UInt32; var flags: UInt32 }
    var headers: [Header]
    var entry: UInt32 = 0x10000
    var type: UInt16 = 2
    var machine: UInt16 = 243

    static let standard = ELFBuilder(headers: [
        Header(vaddr: 0x10000, fileSize: 64, memorySize: 64, flags: 5),
        Header(vaddr: 0x11000, fileSize: 16, memorySize: 0x100, flags: 6),
    ])

    var bytes: [UInt8] {
        let phoff = 52
        var out = [UInt8](repeating: 0, count: phoff + 32 * headers.count)
        out.replaceSubrange(0..<4, with: [0x7f, 0x45, 0x4c, 0x46])
        out[4] = 1; out[5] = 1; out[6] = 1
        out.set16(16, type); out.set16(18, machine); out.set32(20, 1)
        out.set32(24, entry); out.set32(28, UInt32(phoff))
        out.set16(40, 52); out.set16(42, 32); out.set16(44, UInt16(headers.count))
        for (i, h) in headers.enumerated() {
            let base = phoff + 32 * i
            let offset = h.offset ?? UInt32(out.count)
            if h.offset == nil { out += [UInt8](repeating: 0x13, count: Int(h.fileSize)) }
            out.set32(base, h.type); out.set32(base + 4, offset); out.set32(base + 8, h.vaddr); out.set32(base + 12, h.vaddr)
            out.set32(base + 16, h.fileSize); out.set32(base + 20, h.memorySize); out.set32(base + 24, h.flags); out.set32(base + 28, 0x1000)
        }
        return out
    }
}

func parse(_ bytes: [UInt8]) -> Result<ELFFile, ELFError> {
    do { return .success(try ELFFile(bytes: bytes)) } catch { return .failure(error) }
}

/// The error `bytes` must give, with the word its message must contain.
func expectError(_ bytes: [UInt8], _ kind: (ELFError) -> Bool, mentioning word: String, sourceLocation: SourceLocation = #_sourceLocation) {
    switch parse(bytes) {
    case .success: Issue.record("accepted a bad ELF", sourceLocation: sourceLocation)
    case .failure(let e):
        #expect(kind(e), "wrong kind of error: \(e)", sourceLocation: sourceLocation)
        #expect(e.description.contains(word), "\"\(e)\" does not mention \(word)", sourceLocation: sourceLocation)
        #expect(!e.description.contains("\n"), sourceLocation: sourceLocation)
    }
}

func isTruncated(_ e: ELFError) -> Bool { if case .truncated = e { true } else { false } }
func isCorrupt(_ e: ELFError) -> Bool { if case .corrupt = e { true } else { false } }
func isUnsupported(_ e: ELFError) -> Bool { if case .unsupported = e { true } else { false } }

@Suite("ELF loading errors")
struct ELFTests {
    @Test("The builder's and the repository's ELFs load")
    func validFilesLoad() throws {
        let built = try ELFFile(bytes: ELFBuilder.standard.bytes)
        #expect(built.segments.count == 2)
        #expect(built.entry == 0x10000)
        let hello = try ELFFile(bytes: helloBytes)
        #expect(hello.symbols["main"] != nil)
        #expect(hello.segments.contains { $0.flags & 1 != 0 && hello.entry >= $0.vaddr })
    }

    /// Every cut inside the headers and the program header table, then every 61st byte.
    static var cutPoints: [Int] {
        guard helloBytes.count > 52 else { return [] }
        let tableEnd = Int(helloBytes.u32(28)) + 32 * Int(helloBytes.u16(44))
        return Array(0..<tableEnd) + Array(stride(from: tableEnd, to: helloBytes.count, by: 61))
    }

    @Test("Truncated copies of hello.elf give a clear error, never a crash")
    func truncated() throws {
        try #require(helloBytes.count > 1000)
        let file = try ELFFile(bytes: helloBytes)
        let dataEnd = file.segments.map { Int($0.offset + $0.fileSize) }.max() ?? 0
        for cut in Self.cutPoints {
            let result = parse(Array(helloBytes[..<cut]))
            switch result {
            case .failure(let e):
                if cut < 4 { #expect(e == .notELF, "cut at \(cut)") } else { #expect(isTruncated(e), "cut at \(cut): \(e)") }
            case .success:
                // Past the segments' bytes only section data is lost (symbols are optional).
                #expect(cut >= dataEnd, "cut at \(cut) (segment data ends at \(dataEnd)) was accepted")
            }
        }
    }

    @Test("/bin/ls (an x86-64 ELF64) is refused as unsupported")
    func hostBinary() throws {
        try #require(FileManager.default.fileExists(atPath: "/bin/ls"), "no /bin/ls on this host")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "/bin/ls")))
        expectError(bytes, isUnsupported, mentioning: "64-bit")
    }

    @Test("Header fields rvjit cannot run", arguments: [
        ("a 64-bit RISC-V ELF", 4, 2, "64-bit"),
        ("a big-endian ELF", 5, 2, "big-endian"),
        ("class 7", 4, 7, "class"),
    ])
    func identification(_ what: String, _ offset: Int, _ value: UInt8, _ word: String) {
        var bytes = ELFBuilder.standard.bytes
        bytes[offset] = value
        expectError(bytes, what == "class 7" ? isCorrupt : isUnsupported, mentioning: word)
    }

    @Test("Not an ELF at all", arguments: [[], [0x7f, 0x45], Array("#!/bin/sh\necho hi\n".utf8), [UInt8](repeating: 0, count: 200)] as [[UInt8]])
    func notELF(_ bytes: [UInt8]) {
        #expect(parse(bytes).failureValue == .notELF)
    }

    @Test("Wrong machine (x86-64, ARM)", arguments: [(62, "x86-64"), (40, "ARM"), (0, "e_machine 0")] as [(UInt16, String)])
    func wrongMachine(_ machine: UInt16, _ word: String) {
        var b = ELFBuilder.standard
        b.machine = machine
        expectError(b.bytes, isUnsupported, mentioning: word)
    }

    @Test("Not a static executable: ET_DYN, ET_REL, PT_INTERP, PT_DYNAMIC")
    func notStatic() {
        var b = ELFBuilder.standard
        b.type = 3
        expectError(b.bytes, isUnsupported, mentioning: "ET_DYN")
        b.type = 1
        expectError(b.bytes, isUnsupported, mentioning: "e_type 1")
        for pType: UInt32 in [2, 3] {
            var d = ELFBuilder.standard
            d.headers.insert(.init(type: pType, vaddr: 0, fileSize: 8, memorySize: 8, flags: 4), at: 0)
            expectError(d.bytes, isUnsupported, mentioning: "dynamically linked")
        }
    }

    @Test("The RVC flag is accepted (it permits compressed code); RV32E is refused")
    func flags() throws {
        var bytes = ELFBuilder.standard.bytes
        bytes.set32(36, 1)
        #expect(try ELFFile(bytes: bytes).flags == 1)
        bytes.set32(36, 8)
        expectError(bytes, isUnsupported, mentioning: "RV32E")
    }

    @Test("A segment's file bytes past the end of the file")
    func segmentPastEnd() {
        var b = ELFBuilder.standard
        b.headers[1].offset = 0x10_0000
        expectError(b.bytes, isTruncated, mentioning: "segment 1")
        b.headers[1].offset = 0xffff_fff0  // offset + size overflows 32 bits
        expectError(b.bytes, isTruncated, mentioning: "segment 1")
    }

    @Test("filesz > memsz")
    func fileLargerThanMemory() {
        var b = ELFBuilder.standard
        b.headers[1].memorySize = 8
        expectError(b.bytes, isCorrupt, mentioning: "segment 1")
    }

    @Test("Overlapping segments", arguments: [0x10000, 0x10020, 0xffc0] as [UInt32])
    func overlap(_ start: UInt32) {
        var b = ELFBuilder.standard
        b.headers[1].vaddr = start
        expectError(b.bytes, isCorrupt, mentioning: "overlap")
    }

    @Test("Entry point outside the executable segments", arguments: [0, 0x11000, 0x10040, 0x0fffc, 0xffff_fffc] as [UInt32])
    func entryOutside(_ entry: UInt32) {
        var b = ELFBuilder.standard
        b.entry = entry
        expectError(b.bytes, isCorrupt, mentioning: "entry point")
    }

    @Test("A segment running past 4 GiB")
    func pastAddressSpace() {
        var b = ELFBuilder.standard
        b.headers[1].vaddr = 0xffff_f000
        b.headers[1].memorySize = 0x2000
        expectError(b.bytes, isCorrupt, mentioning: "32-bit address space")
    }

    @Test("Zero program headers, no loadable segment, wrong header size, a table past the end")
    func programHeaderTable() {
        var b = ELFBuilder.standard
        b.headers = []
        expectError(b.bytes, isCorrupt, mentioning: "no program headers")
        b.headers = [.init(type: 4, vaddr: 0, fileSize: 0, memorySize: 0, flags: 0)]
        expectError(b.bytes, isCorrupt, mentioning: "no loadable segments")
        var bytes = ELFBuilder.standard.bytes
        bytes.set16(42, 56)
        expectError(bytes, isCorrupt, mentioning: "program header size")
        bytes = ELFBuilder.standard.bytes
        bytes.set32(28, 0xffff_fff0)
        expectError(bytes, isTruncated, mentioning: "program header table")
        bytes = ELFBuilder.standard.bytes
        bytes.set16(44, 0xffff)
        expectError(bytes, isTruncated, mentioning: "program header table")
    }

    @Test("A segment at the very top of the address space loads, but the loader refuses it as past the heap limit")
    func topSegment() throws {
        var b = ELFBuilder.standard
        b.headers[1].vaddr = 0xffff_f000
        b.headers[1].memorySize = 0x1000
        let file = try ELFFile(bytes: b.bytes)
        let machine = Machine()
        #expect(throws: LoadError.self) { try machine.load(file, arguments: ["x"]) }
    }

    /// Random byte, bit and word mutations of the first 200 bytes of hello.elf (and a few of its
    /// section headers, which hold the symbol table): each either throws an ELFError or parses,
    /// and whatever parses also loads into a fresh machine or throws a LoadError.
    @Test("Fuzzed headers throw or load, never crash", arguments: 0..<4)
    func fuzz(_ slice: Int) throws {
        try #require(helloBytes.count > 200)
        var g = SeededGenerator(seed: 0xe1f + UInt64(slice))
        let shoff = Int(helloBytes.u32(32))
        var accepted = 0, refused = 0, loaded = 0
        for i in 0..<1000 {
            var bytes = helloBytes
            for _ in 0..<Int.random(in: 1...4, using: &g) {
                let region = i % 5 == 4 && shoff > 0 && shoff < bytes.count - 40 ? shoff..<bytes.count : 0..<200
                let at = Int.random(in: region, using: &g)
                switch Int.random(in: 0..<4, using: &g) {
                case 0: bytes[at] = UInt8.random(in: 0...255, using: &g)
                case 1: bytes[at] ^= 1 << UInt8.random(in: 0...7, using: &g)
                case 2 where at + 4 <= bytes.count:
                    bytes.set32(at, [0, 0xffff_ffff, 0x8000_0000, 0x7fff_ffff, UInt32(bytes.count)].randomElement(using: &g)!)
                default: bytes[at] = 0
                }
            }
            if Int.random(in: 0..<8, using: &g) == 0 { bytes.removeLast(Int.random(in: 0..<bytes.count, using: &g)) }
            switch parse(bytes) {
            case .failure(let e):
                refused += 1
                #expect(!e.description.isEmpty)
            case .success(let file):
                accepted += 1
                _ = file.symbols.describe(file.entry)
                if i % 3 == 0 {
                    let machine = Machine()
                    if (try? machine.load(file, arguments: ["fuzz"])) != nil { loaded += 1 }
                }
            }
        }
        // Both outcomes happen, or the mutations do not reach the checks.
        #expect(accepted > 0 && refused > 0, "accepted \(accepted), refused \(refused)")
        // Some accepted mutants load too, or the loader is never reached.
        #expect(loaded > 0, "none of the \(accepted) accepted mutants loaded")
    }
}

extension Result {
    var failureValue: Failure? { if case .failure(let e) = self { e } else { nil } }
}

