import Foundation
import RISCV
import RVJITCommands
import RVMachine
import TestSupport
import Testing

/// One row of guest-programs/picolibc/programs.tsv, built for one ISA and one layout.
struct PicolibcCase: Sendable, CustomStringConvertible {
    var name: String
    var arguments: [String]
    var status: Int32
    var arch: String
    var virt: Bool
    var engine: EngineKind
    var policy: PrivilegedPolicy

    static let directory = Repository.guestPrograms.appendingPathComponent("picolibc")

    var elf: String { PicolibcCase.directory.appendingPathComponent("bin/\(name)-\(arch)\(virt ? "-virt" : "").elf").path }
    var description: String { "\(name)-\(arch)\(virt ? "-virt" : "") --engine \(engine.rawValue) --privileged \(policy.rawValue)" }

    func expected(_ stream: String) -> String {
        (try? String(contentsOfFile: PicolibcCase.directory.appendingPathComponent("expected/\(name).\(stream)").path, encoding: .utf8)) ?? ""
    }

    static let all: [PicolibcCase] = {
        let path = directory.appendingPathComponent("programs.tsv").path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").dropFirst().flatMap { line -> [PicolibcCase] in
            let f = line.split(separator: "\t").map(String.init)
            guard f.count >= 3, let status = Int32(f[2]) else { return [] }
            let arguments = f[1] == "-" ? [] : f[1].split(separator: " ").map(String.init)
            return ["rv32i", "rv32imac"].flatMap { arch in
                [false, true].flatMap { virt in
                    EngineKind.allCases.flatMap { engine in
                        PrivilegedPolicy.allCases.map {
                            PicolibcCase(name: f[0], arguments: arguments, status: status, arch: arch, virt: virt, engine: engine, policy: $0)
                        }
                    }
                }
            }
        }
    }()
}

@Suite("picolibc programs over semihosting")
struct PicolibcTests {
    @Test("the manifest is there") func manifest() {
        #expect(PicolibcCase.all.count == 2 * 2 * 2 * 2 * 2)
    }

    /// Output and status as recorded from qemu-system-riscv32 -M virt -semihosting (see the
    /// directory's README), for picolibc's default layout and for everything at 0x80000000.
    @Test("runs as under QEMU", arguments: PicolibcCase.all)
    func run(_ c: PicolibcCase) throws {
        var config = RunConfiguration(elfPath: c.elf, arguments: c.arguments, engine: c.engine)
        config.machine = .bare
        config.privileged = c.policy
        config.isa = try ISA(parsing: c.arch)
        config.maxInstructions = 50_000_000
        let run = try GuestRunner.run(config)
        #expect(run.stdout == c.expected("stdout"))
        #expect(run.stderr == c.expected("stderr"))
        #expect(run.result.stop == .exited(c.status))
    }

    @Test("--trace syscalls shows the semihosting calls")
    func traced() throws {
        var config = RunConfiguration(elfPath: PicolibcCase.directory.appendingPathComponent("bin/args-rv32imac.elf").path, arguments: ["x"])
        config.machine = .bare
        let capture = TraceCapture()
        var trace = TraceConfiguration(kinds: [.syscalls])
        trace.destination = .capture(capture)
        config.trace = trace
        _ = try GuestRunner.run(config)
        let text = capture.lines.joined(separator: "\n")
        #expect(text.contains("semihosting SYS_GET_CMDLINE("))
        #expect(text.contains("semihosting SYS_WRITEC("))  // picolibc 1.8 writes the console a byte at a time
        #expect(text.contains("semihosting SYS_OPEN(\":semihosting-features\", \"r\", 21) = 1"))
        #expect(text.contains("semihosting SYS_OPEN(\"no-such-file.txt\", \"r\", 16) = -1 ENOENT"))
        #expect(text.contains("semihosting SYS_EXIT_EXTENDED(0x20026, 3)"))
    }
}

@Suite("bare-metal memory from the ELF")
struct BareMemoryTests {
    static let hello = PicolibcCase.directory.appendingPathComponent("bin/hello-rv32imac.elf").path

    @Test("picolibc's default layout: flash, the RAM segments, the heap and stack below __stack")
    func regions() throws {
        let elf = try Runner.readELF(BareMemoryTests.hello)
        let regions = BareMetal.memoryRegions(elf)
        let stack = try #require(elf.symbols["__stack"]?.address)
        #expect(regions.contains { $0.contains(elf.entry) })
        #expect(regions.contains { $0.contains(stack &- 4) })
        #expect(!regions.contains { $0.contains(stack) } || regions.contains { $0.base == BareMetal.ramBase && $0.contains(stack) })
        let machine = Machine(kind: .bare)
        try machine.load(elf, arguments: [], memory: [MemoryRegion(base: 0x4000_0000, size: 0x1000)])
        #expect(machine.memory.check(elf.entry, length: 4, perms: PageFlag.rwx))
        #expect(machine.memory.check(stack &- 0x800, length: 0x800, perms: PageFlag.rw))
        #expect(machine.memory.check(0x4000_0000, length: 0x1000, perms: PageFlag.rw))
        #expect(!machine.memory.check(0x4000_1000, length: 4, perms: PageFlag.read))
        #expect(!machine.memory.check(0x3000_0000, length: 4, perms: PageFlag.read))
        // `.data` is in flash at its load address, and RAM at its virtual address is still zero.
        let data = try #require(elf.segments.first { $0.paddr != $0.vaddr && $0.fileSize > 0 })
        let offset = Int(data.offset)
        #expect(machine.memory.readBytes(data.paddr, count: Int(data.fileSize)) == Array(elf.bytes[offset..<offset + Int(data.fileSize)]))
        #expect(machine.memory.readBytes(data.vaddr, count: Int(data.fileSize)).allSatisfy { $0 == 0 })
    }

    @Test("an access outside every region is an access fault")
    func accessFault() throws {
        let machine = Machine(kind: .bare)
        try machine.load(try Runner.readELF(BareMemoryTests.hello), arguments: [])
        #expect(machine.load(0x3000_0000, width: .word, pc: 0x1000_0000) == nil)
        #expect(machine.privileged.mcause == TrapCause.loadAccess.rawValue)
        #expect(machine.privileged.mtval == 0x3000_0000)
    }

    @Test("--memory BASE:SIZE parsing", arguments: [
        ("0x40000000:64M", MemoryRegion(base: 0x4000_0000, size: 64 << 20)),
        ("4096:4K", MemoryRegion(base: 4096, size: 4096)),
        ("0xfffff000:0x1000", MemoryRegion(base: 0xffff_f000, size: 0x1000)),
    ])
    func parse(_ text: String, _ region: MemoryRegion) {
        #expect(MemoryRegion(argument: text) == region)
    }

    @Test("bad --memory arguments", arguments: ["", "0x1000", "0x1000:0", "0xfffff000:0x2000", "0:4G", "x:1", "1:2:3", "0:99999999999G"])
    func bad(_ text: String) {
        #expect(MemoryRegion(argument: text) == nil)
    }
}
