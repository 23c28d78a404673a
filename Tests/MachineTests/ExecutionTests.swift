import Foundation
import RISCV
import RVInterpreter
import RVMachine
import Testing
import TestSupport

let textBase: UInt32 = 0x10000
let dataBase: UInt32 = 0x20000

/// A Linux-kind machine with `program` at 0x10000 (read+execute), one read-write data page at
/// 0x20000 and the page after it unmapped; registers preset from `registers`.
func machine(_ program: [Instruction], registers: [Int: UInt32] = [:]) -> Machine {
    let m = Machine()
    m.memory.map(textBase, length: GuestMemory.pageSize, perms: PageFlag.rx)
    m.memory.map(dataBase, length: GuestMemory.pageSize, perms: PageFlag.rw)
    for (i, inst) in program.enumerated() { m.memory.write32(textBase + UInt32(i * 4), encode(inst)!) }
    for (r, v) in registers { m[register: r] = v }
    m.pc = textBase
    return m
}

func run(_ m: Machine, budget: UInt64 = 10_000) -> StopReason? {
    m.instructionBudget = budget
    m.updateLimit()
    Interpreter().run(m)
    return m.stopReason
}

let a0: UInt8 = 10, a1: UInt8 = 11, a2: UInt8 = 12

@Suite("Guest memory")
struct MemoryTests {
    @Test("Load from an unmapped page faults with the address")
    func loadUnmapped() {
        let m = machine([Asm.i(.addi, a2, 0, 1), Asm.i(.lw, a0, a1, 16)], registers: [11: 0x7000_0000])
        #expect(run(m) == .fault(Trap(.loadAccess, pc: textBase + 4, value: 0x7000_0010)))
        #expect(m.instret == 1, "the faulting load does not retire")
        #expect(m[register: 12] == 1)
        #expect(m.stopReason?.exitStatus == 139)
    }

    @Test("Store to read-only text faults and leaves the text unchanged")
    func storeToText() {
        let m = machine([Asm.s(.sw, a0, 0, a1)], registers: [10: 0xdead_beef, 11: textBase])
        let before = m.memory.read32(textBase)
        #expect(run(m) == .fault(Trap(.storeAccess, pc: textBase, value: textBase)))
        #expect(m.memory.read32(textBase) == before)
    }

    @Test("Fetch from a non-executable (stack-like, read-write) page faults at the target")
    func fetchFromData() {
        let m = machine([Asm.i(.jalr, 1, a1, 0)], registers: [11: dataBase + 8])
        #expect(run(m) == .fault(Trap(.fetchAccess, pc: dataBase + 8, value: dataBase + 8)))
        #expect(m[register: 1] == textBase + 4, "the jump itself retired")
    }

    @Test("Fetch from a real process's stack faults")
    func fetchFromStack() throws {
        let m = Machine()
        try m.load(try ELFFile(bytes: helloBytes), arguments: ["hello"])
        let sp = m[register: 2]
        m.pc = sp
        _ = run(m)
        #expect(m.stopReason == .fault(Trap(.fetchAccess, pc: sp, value: sp)))
    }

    @Test("Accesses that straddle into an unmapped page fault; within mapped pages they work",
          arguments: [(MemoryWidth.word, UInt32(1)), (.word, 2), (.word, 3), (.half, 1), (.halfUnsigned, 1)])
    func straddle(_ width: MemoryWidth, _ before: UInt32) {
        let m = machine([])
        let address = dataBase + GuestMemory.pageSize - before  // runs into the unmapped page after
        #expect(m.load(address, width: width, pc: 0x1234) == nil)
        #expect(m.stopReason == .fault(Trap(.loadAccess, pc: 0x1234, value: address)))

        let n = machine([])
        #expect(!n.store(address, width: width, value: 0xffff_ffff, pc: 0x1234))
        #expect(n.stopReason == .fault(Trap(.storeAccess, pc: 0x1234, value: address)))
        #expect(n.memory.readBytes(address, count: Int(before)) == [UInt8](repeating: 0, count: Int(before)), "nothing is written")

        // With the next page mapped the same access crosses the boundary correctly (little-endian).
        let o = machine([])
        o.memory.map(dataBase + GuestMemory.pageSize, length: GuestMemory.pageSize, perms: PageFlag.rw)
        #expect(o.store(address, width: .word, value: 0x8483_8281, pc: 0))
        #expect(o.memory.readBytes(address, count: 4) == [0x81, 0x82, 0x83, 0x84])
        #expect(o.load(address, width: width, pc: 0) == width.extend(0x8483_8281))
        #expect(o.stopReason == nil)
    }

    @Test("The top of the address space: a word at 0xfffffffe faults instead of wrapping or crashing",
          arguments: [(UInt32(0xffff_fffe), MemoryWidth.word, false), (0xffff_fffd, .word, false), (0xffff_ffff, .half, false),
                      (0xffff_fffc, .word, true), (0xffff_ffff, .byte, true), (0xffff_fffe, .half, true)])
    func topOfMemory(_ address: UInt32, _ width: MemoryWidth, _ fits: Bool) {
        let m = machine([])
        m.memory.map(0xffff_f000, length: GuestMemory.pageSize, perms: PageFlag.rw)
        m.memory.map(0, length: GuestMemory.pageSize, perms: PageFlag.rw)  // a wrap would land here
        #expect(m.memory.check(address, length: width.size, perms: PageFlag.read) == fits)
        #expect(m.store(address, width: width, value: 0x0102_0304, pc: 8) == fits)
        if fits {
            #expect(m.load(address, width: width, pc: 8) == width.extend(0x0102_0304))
        } else {
            #expect(m.stopReason == .fault(Trap(.storeAccess, pc: 8, value: address)))
            #expect(m.memory.read32(0) == 0, "nothing wrapped around to address 0")
        }
    }

    @Test("A guest lw at 0xfffffffe through the interpreter faults")
    func topOfMemoryInterpreted() {
        let m = machine([Asm.i(.lw, a0, a1, 0)], registers: [11: 0xffff_fffe])
        m.memory.map(0xffff_f000, length: GuestMemory.pageSize, perms: PageFlag.rw)
        #expect(run(m) == .fault(Trap(.loadAccess, pc: textBase, value: 0xffff_fffe)))
    }

    @Test("Permissions: protect and unmap")
    func protection() {
        let m = Machine()
        m.memory.map(dataBase, length: 2 * GuestMemory.pageSize, perms: PageFlag.rw)
        m.memory.write32(dataBase, 42)
        #expect(m.memory.check(dataBase, length: 8192, perms: PageFlag.rw))
        m.memory.protect(dataBase + 4096, length: 1, perms: PageFlag.read)
        #expect(!m.memory.check(dataBase, length: 8192, perms: PageFlag.write))
        #expect(m.memory.check(dataBase, length: 8192, perms: PageFlag.read))
        m.memory.unmap(dataBase, length: 4096)
        #expect(!m.memory.check(dataBase, length: 1, perms: PageFlag.read))
        m.memory.map(dataBase, length: 4096, perms: PageFlag.rw)
        #expect(m.memory.read32(dataBase) == 0, "an unmapped page reads as zero when mapped again")
        #expect(m.memory.check(0xffff_fff0, length: 0x20, perms: 0) == false, "ranges past 4 GiB never check")
    }
}

@Suite("Initial process stack")
struct StackTests {
    let arguments = ["/prog/hello", "first", "", "third argument"]
    let environment = ["HOME=/nowhere", "X=1"]

    @Test("argc, argv, envp, auxv and alignment as Linux lays them out")
    func layout() throws {
        let file = try ELFFile(bytes: helloBytes)
        let m = Machine()
        try m.load(file, arguments: arguments, environment: environment)
        let sp = m[register: 2]
        #expect(sp % 16 == 0)
        #expect(m.pc == file.entry)
        #expect(m.memory.check(sp, length: 4, perms: PageFlag.rw))
        var p = sp
        func next() -> UInt32 { defer { p += 4 }; return m.memory.read32(p) }
        #expect(next() == UInt32(arguments.count))
        for a in arguments { #expect(m.memory.cString(next()) == a) }
        #expect(next() == 0)
        for e in environment { #expect(m.memory.cString(next()) == e) }
        #expect(next() == 0)
        var auxv: [UInt32: UInt32] = [:]
        while true {
            let key = next(), value = next()
            if key == 0 { break }
            #expect(auxv[key] == nil, "AT_\(key) twice")
            auxv[key] = value
            if auxv.count > 64 { Issue.record("auxv is not terminated"); return }
        }
        #expect(auxv[6] == 4096, "AT_PAGESZ")
        #expect(auxv[9] == file.entry, "AT_ENTRY")
        #expect(auxv[4] == 32, "AT_PHENT")
        #expect(auxv[5] == UInt32(file.programHeaderCount), "AT_PHNUM")
        let phdr = try #require(auxv[3], "AT_PHDR")
        let table = Array(helloBytes[Int(file.programHeaderOffset)..<Int(file.programHeaderOffset) + 32 * file.programHeaderCount])
        #expect(m.memory.readBytes(phdr, count: table.count) == table, "AT_PHDR points at the program headers in memory")
        let random = try #require(auxv[25], "AT_RANDOM")
        #expect(m.memory.check(random, length: 16, perms: PageFlag.rw))
        #expect(random > sp)
        if let execfn = auxv[31] { #expect(m.memory.cString(execfn) == arguments[0]) }
    }

    @Test("Stack pointer alignment for many argument lengths", arguments: 0..<24)
    func alignment(_ n: Int) throws {
        let m = Machine()
        try m.load(try ELFFile(bytes: helloBytes), arguments: ["h"] + (0..<n).map { String(repeating: "x", count: $0) })
        #expect(m[register: 2] % 16 == 0)
        #expect(m.memory.read32(m[register: 2]) == UInt32(n + 1))
    }

    @Test("Arguments too large for the stack are a load error, not a crash")
    func hugeArguments() throws {
        let m = Machine()
        let big = String(repeating: "y", count: 9 << 20)
        #expect(throws: LoadError.self) { try m.load(try ELFFile(bytes: helloBytes), arguments: ["h", big]) }
    }
}

@Suite("Interpreter traps and budgets")
struct InterpreterTests {
    @Test("Illegal words stop the run with the word and its pc",
          arguments: [UInt32(0), 0xffff_ffff, 0x0000_0001, 0x0000_707f, 0xfe00_0033])
    func illegal(_ word: UInt32) {
        let m = machine([Asm.i(.addi, a0, 0, 7), Asm.i(.addi, a0, a0, 1)])
        m.isa = .rv32i  // RV32I: every one of these words is a 32-bit illegal instruction
        m.memory.write32(textBase + 8, word)
        #expect(run(m) == .fault(Trap(.illegalInstruction, pc: textBase + 8, value: word)))
        #expect(m.instret == 2)
        #expect(m[register: 10] == 8)
        #expect(m.stopReason?.exitStatus == 132)
    }

    @Test("Machine-mode CSRs and mret are illegal in a user process",
          arguments: [Asm.csr(.csrrw, a0, CSR.mstatus, a1), Asm.csr(.csrrs, a0, CSR.mepc, 0), Instruction(.mret)])
    func privileged(_ inst: Instruction) {
        let m = machine([Asm.i(.addi, a1, 0, 1), inst])
        #expect(run(m) == .fault(Trap(.illegalInstruction, pc: textBase + 4, value: encode(inst)!)))
    }

    @Test("A jump to a misaligned target traps at the jump", arguments: [
        ("jalr", [Asm.i(.jalr, 1, a1, 0)], textBase + 0x102, textBase + 0x102, UInt32(0)),
        ("jalr with an odd offset keeps bit 1", [Asm.i(.jalr, 1, a1, 3)], textBase + 0xff, textBase + 0x102, 0),
        ("jal", [Asm.i(.addi, 0, 0, 0), Asm.jal(1, 6)], 0, textBase + 4 + 6, 4),
        ("taken branch", [Asm.b(.beq, 0, 0, 10)], 0, textBase + 10, 0),
    ] as [(String, [Instruction], UInt32, UInt32, UInt32)])
    func misalignedJump(_ what: String, _ program: [Instruction], _ base: UInt32, _ target: UInt32, _ jumpOffset: UInt32) {
        let m = machine(program, registers: [11: base])
        m.isa = .rv32i  // IALIGN = 32: 2-byte-aligned targets are misaligned
        #expect(run(m) == .fault(Trap(.misalignedFetch, pc: textBase + jumpOffset, value: target)), "\(what)")
        #expect(m[register: 1] == 0, "\(what): the link register is not written")
        #expect(m.stopReason?.exitStatus == 135)
    }

    @Test("A branch that is not taken does not check its target")
    func untakenMisalignedBranch() {
        let m = machine([Asm.b(.bne, 0, 0, 10), Asm.i(.addi, a0, 0, 5)])
        m.memory.write32(textBase + 8, 0)
        #expect(run(m) == .fault(Trap(.illegalInstruction, pc: textBase + 8, value: 0)))
        #expect(m[register: 10] == 5)
    }

    @Test("--max-instructions stops at exactly N on a real program (status 124)",
          arguments: [1, 2, 3, 17, 1000, 12_345, 100_000] as [UInt64])
    func budget(_ n: UInt64) throws {
        let m = Machine()
        let console = Console(capture: { _, _ in })
        let syscalls = BasicSyscalls(console: console)
        m.syscalls = syscalls
        try m.load(try ELFFile(bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: Repository.elf("fib"))))), arguments: ["fib", "20"])
        #expect(run(m, budget: n) == .budgetExhausted(n))
        #expect(m.instret == n)
        #expect(m.stopReason?.exitStatus == 124)
        withExtendedLifetime(syscalls) {}
    }

    @Test("Running to the end and re-running with that budget give the same instruction count")
    func budgetAtEnd() throws {
        let elf = try ELFFile(bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: Repository.elf("fib")))))
        func fresh() throws -> (Machine, BasicSyscalls) {
            let m = Machine()
            let s = BasicSyscalls(console: Console(capture: { _, _ in }))
            m.syscalls = s
            try m.load(elf, arguments: ["fib", "10"])
            return (m, s)
        }
        let (full, s1) = try fresh()
        #expect(run(full, budget: 10_000_000) == .exited(0))
        let total = full.instret
        let (cut, s2) = try fresh()
        #expect(run(cut, budget: total - 1) == .budgetExhausted(total - 1))
        #expect(cut.instret == total - 1)
        withExtendedLifetime((s1, s2)) {}
    }
}
