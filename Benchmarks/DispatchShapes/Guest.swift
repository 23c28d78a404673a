#if canImport(Glibc)
import Glibc
#endif

// The guest computation every shape runs: a sieve-like marking loop with an outer repeat.
//
//   0: addi x1, x0, 0        j = 0                     block @0 = ops 0...7
//   1: addi x8, x8, 1        round += 1
//   2: andi x7, x8, 255      value = round & 255
//   3: add  x6, x4, x1       address = base + j        block @3 = ops 3...7 (the hot loop)
//   4: sb   x7, 0(x6)        mem[address] = value
//   5: add  x5, x5, x1       sum += j
//   6: add  x1, x1, x3       j += step
//   7: blt  x1, x2, 3        while j < n
//   8: blt  x8, x9, 0        while round < rounds      block @8
//   9: halt                                            block @9 (not counted)
//
// A block runs from its entry to the first branch (or halt). The hot loop is a 5-instruction
// block that branches to itself, about the average block length rvjit sees on the guest
// programs (4-6), so every shape pays its per-block cost once per 5 guest operations.

enum OpKind: UInt8 { case add, addi, andi, sb, blt, halt }

/// One pre-decoded operation. For `blt`, `imm` is the target op index; for `sb`, `rs2` is the
/// value register and `rs1 + imm` the address.
struct Op {
    var kind: OpKind
    var rd: UInt8 = 0, rs1: UInt8 = 0, rs2: UInt8 = 0
    var imm: UInt32 = 0
}

/// A basic block: ops `start..<end` (the last is a `blt` or `halt`).
struct Block {
    var start: Int
    var end: Int
    /// Guest instructions it retires when run to its end (a halt is not one).
    var count: Int
}

struct Program {
    var ops: [Op]
    var blocks: [Block]
    /// Block index by entry op index (-1: no block starts there).
    var blockAt: [Int]
    var n: UInt32, step: UInt32, rounds: UInt32

    static let memorySize = 1 << 16
    static let memoryMask: UInt32 = 0xffff

    /// Guest instructions retired by a whole run.
    var expectedInstructions: UInt64 {
        let iterations = UInt64((n + step - 1) / step)
        return UInt64(rounds) * (5 * iterations + 4)
    }

    init(n: UInt32, step: UInt32, rounds: UInt32) {
        precondition(n >= 1 && n <= UInt32(Program.memorySize) && step >= 1 && rounds >= 1)
        self.n = n; self.step = step; self.rounds = rounds
        ops = [
            Op(kind: .addi, rd: 1, rs1: 0, imm: 0),
            Op(kind: .addi, rd: 8, rs1: 8, imm: 1),
            Op(kind: .andi, rd: 7, rs1: 8, imm: 255),
            Op(kind: .add, rd: 6, rs1: 4, rs2: 1),
            Op(kind: .sb, rs1: 6, rs2: 7, imm: 0),
            Op(kind: .add, rd: 5, rs1: 5, rs2: 1),
            Op(kind: .add, rd: 1, rs1: 1, rs2: 3),
            Op(kind: .blt, rs1: 1, rs2: 2, imm: 3),
            Op(kind: .blt, rs1: 8, rs2: 9, imm: 0),
            Op(kind: .halt),
        ]
        // Discover the blocks from op 0, following both ways out of every branch.
        blocks = []
        blockAt = Array(repeating: -1, count: ops.count)
        var work = [0]
        while let e = work.popLast() {
            if blockAt[e] >= 0 { continue }
            var end = e
            while ops[end].kind != .blt && ops[end].kind != .halt { end += 1 }
            end += 1
            let last = ops[end - 1]
            blockAt[e] = blocks.count
            blocks.append(Block(start: e, end: end, count: last.kind == .halt ? end - e - 1 : end - e))
            if last.kind == .blt { work += [end, Int(last.imm)] }
        }
    }
}

/// Register file, memory and the bookkeeping a translated block does (instruction count,
/// limit, chain budget). Handlers get one raw pointer: the registers sit at offset 0 and the
/// header at `headerOffset`, as rvjit's CPUState starts with the registers.
enum Context {
    static let headerOffset = 128
    static let size = headerOffset + MemoryLayout<Header>.stride

    struct Header {
        var memory: UnsafeMutablePointer<UInt8>
        var instret: UInt64 = 0
        var limit: UInt64 = .max
        var budget: UInt32 = 0
        /// Where an unchained exit leaves for (shape f's dispatcher reads it).
        var pc: UInt32 = 0
        var halted: UInt32 = 0
    }

    static func make(_ program: Program) -> UnsafeMutableRawPointer {
        let c = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        let memory = UnsafeMutablePointer<UInt8>.allocate(capacity: Program.memorySize)
        memory.initialize(repeating: 0, count: Program.memorySize)
        let x = c.bindMemory(to: UInt32.self, capacity: 32)
        x.initialize(repeating: 0, count: 32)
        x[2] = program.n
        x[3] = program.step
        x[9] = program.rounds
        (c + headerOffset).bindMemory(to: Header.self, capacity: 1).initialize(to: Header(memory: memory))
        return c
    }

    static func free(_ c: UnsafeMutableRawPointer) {
        header(c).pointee.memory.deallocate()
        c.deallocate()
    }
}

@inline(__always)
func regs(_ c: UnsafeMutableRawPointer) -> UnsafeMutablePointer<UInt32> { c.assumingMemoryBound(to: UInt32.self) }

@inline(__always)
func header(_ c: UnsafeMutableRawPointer) -> UnsafeMutablePointer<Context.Header> {
    (c + Context.headerOffset).assumingMemoryBound(to: Context.Header.self)
}

// The semantics, shared by every shape so that only the dispatch differs.

@inline(__always)
func storeByte(_ memory: UnsafeMutablePointer<UInt8>, _ address: UInt32, _ value: UInt32) {
    memory[Int(address & Program.memoryMask)] = UInt8(truncatingIfNeeded: value)
}

@inline(__always)
func lessThan(_ a: UInt32, _ b: UInt32) -> Bool { Int32(bitPattern: a) < Int32(bitPattern: b) }

/// What a run leaves behind; every shape must produce the same.
struct Outcome: Equatable {
    var registers: [UInt32]
    var instructions: UInt64
    var memorySum: UInt64

    init(_ c: UnsafeMutableRawPointer, instructions: UInt64) {
        registers = Array(UnsafeBufferPointer(start: regs(c), count: 32))
        self.instructions = instructions
        let m = header(c).pointee.memory
        var sum: UInt64 = 0
        for i in 0..<Program.memorySize { sum = sum &* 31 &+ UInt64(m[i]) }
        memorySum = sum
    }
}

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
