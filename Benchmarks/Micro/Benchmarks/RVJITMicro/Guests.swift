import Foundation
import RISCV
import RVInterpreter
import RVJIT
import RVMachine
import RVSyscalls

/// The guests the benchmarks run: small loops built with rvjit's encoder (exact instruction
/// counts), and the suite's programs (`guest-programs/bench`) for real compiler output.
enum Guests {
    /// The repository's root, found from this file's path (the benchmarks run from anywhere)
    /// (`Benchmarks/Micro/Benchmarks/RVJITMicro/Guests.swift`, five levels down).
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let codeAddress: UInt32 = 0x1_0000
    static let dataAddress: UInt32 = 0x2_0000

    /// `li rd, value` as lui + addi.
    static func li(_ rd: UInt8, _ value: UInt32) -> [Instruction] {
        let low = Int32(bitPattern: value << 20) >> 20
        let high = Int32(bitPattern: value &- UInt32(bitPattern: low))
        return [Asm.u(.lui, rd, high), Asm.i(.addi, rd, rd, low)]
    }

    /// `exit(0)`.
    static let exit: [Instruction] = [Asm.i(.addi, 10, 0, 0), Asm.i(.addi, 17, 0, 93), Asm.ecall]

    // Registers by ABI name.
    static let ra: UInt8 = 1, t0: UInt8 = 5, t1: UInt8 = 6, t2: UInt8 = 7, s0: UInt8 = 8
    static let a0: UInt8 = 10, a1: UInt8 = 11, a2: UInt8 = 12, a7: UInt8 = 17

    /// xorshift32 over `iterations` rounds: 8 instructions a round (six ALU operations, the
    /// counter, the loop branch), one block chained to itself.
    static func xorshift(iterations: UInt32) -> [Instruction] {
        li(t0, iterations) + li(a1, 0x1234_5678) + [
            Asm.i(.slli, a2, a1, 13), Asm.r(.xor, a1, a1, a2),
            Asm.i(.srli, a2, a1, 17), Asm.r(.xor, a1, a1, a2),
            Asm.i(.slli, a2, a1, 5), Asm.r(.xor, a1, a1, a2),
            Asm.i(.addi, t0, t0, -1), Asm.b(.bne, t0, 0, -28),
        ] + exit
    }

    /// A call and a return per round: `jal` to a two-instruction function that returns with
    /// `jalr` (an indirect exit: the jump cache), 5 instructions a round.
    static func callReturn(iterations: UInt32) -> [Instruction] {
        li(t0, iterations) + [
            Asm.jal(ra, 24),  // loop: call f
            Asm.i(.addi, t0, t0, -1), Asm.b(.bne, t0, 0, -8),
        ] + exit + [
            Asm.r(.add, a1, a1, t0), Asm.i(.jalr, 0, ra, 0),  // f: a1 += t0; ret
        ]
    }

    /// `passes` times over `words` words at `dataAddress`: load, add, store, 6 instructions
    /// and 2 guest memory accesses a word.
    static func memoryWalk(words: UInt32, passes: UInt32) -> [Instruction] {
        li(t0, passes) + [Asm.i(.addi, a1, 0, 1)] + li(s0, dataAddress) + [
            Asm.i(.addi, t1, s0, 0),  // outer: t1 = buffer
        ] + li(t2, words) + [
            Asm.i(.lw, a2, t1, 0), Asm.r(.add, a2, a2, a1), Asm.s(.sw, a2, 0, t1),  // inner
            Asm.i(.addi, t1, t1, 4), Asm.i(.addi, t2, t2, -1), Asm.b(.bne, t2, 0, -20),
            Asm.i(.addi, t0, t0, -1), Asm.b(.bne, t0, 0, -40),
        ] + exit
    }

    /// `iterations` system calls `number`: `body` sets the arguments up, then `li a7`, `ecall`,
    /// the counter and the loop branch. `prologue` runs once before the loop, `epilogue` after.
    static func syscallLoop(
        number: UInt32, iterations: UInt32, prologue: [Instruction] = [], body: [Instruction] = [],
        epilogue: [Instruction] = []
    ) -> [Instruction] {
        let back = -4 * Int32(body.count + 3)
        return prologue + li(t0, iterations) + body + [
            Asm.i(.addi, a7, 0, Int32(number)), Asm.ecall,
            Asm.i(.addi, t0, t0, -1), Asm.b(.bne, t0, 0, back),
        ] + epilogue + exit
    }

    /// A Linux machine holding `program` at `codeAddress` and `dataBytes` of zeroed data at
    /// `dataAddress`, ready to run from the start.
    static func machine(_ program: [Instruction], dataBytes: UInt32 = 0x1000) -> Machine {
        let machine = Machine(kind: .linux)
        machine.memory.map(codeAddress, length: 0x1000, perms: PageFlag.rx)
        for (i, inst) in program.enumerated() {
            guard let word = encode(inst) else { fatalError("cannot encode \(inst)") }
            machine.memory.write32(codeAddress &+ UInt32(i * 4), word)
        }
        machine.memory.map(dataAddress, length: dataBytes, perms: PageFlag.rw)
        machine.pc = codeAddress
        return machine
    }

    /// The path of a suite program: `guest-programs/bench/bin[-SET]/NAME.elf`.
    static func suiteELF(_ name: String, set: String) -> String {
        root.appendingPathComponent("guest-programs/bench/\(set == "rv32i" ? "bin" : "bin-\(set)")/\(name).elf").path
    }

    /// A suite program loaded into a Linux machine, its output discarded.
    static func load(_ path: String, arguments: [String]) -> (Machine, BasicSyscalls) {
        guard let data = FileManager.default.contents(atPath: path), let elf = try? ELFFile(bytes: Array(data)) else {
            fatalError("cannot read \(path) (run `make -C guest-programs bench`?)")
        }
        let machine = Machine(kind: .linux)
        let syscalls = BasicSyscalls(console: Console(capture: { _, _ in }))
        machine.syscalls = syscalls
        do { try machine.load(elf, arguments: [path] + arguments) } catch { fatalError("\(path): \(error)") }
        return (machine, syscalls)
    }
}

/// A machine running an encoder-built loop again and again: each `run` starts it from the top.
final class LoopRunner {
    enum Engine { case interpreter, jit }
    let machine: Machine
    let engine: Engine
    let jit: JIT?
    private let handler: SyscallHandler

    init(_ program: [Instruction], engine: Engine, dataBytes: UInt32 = 0x1000, syscalls: SyscallHandler? = nil) {
        machine = Guests.machine(program, dataBytes: dataBytes)
        handler = syscalls ?? BasicSyscalls(console: Console(capture: { _, _ in }))
        machine.syscalls = handler
        self.engine = engine
        var options = JITOptions()
        options.threshold = 0  // translate at once: the runs measure translated code
        jit = engine == .jit ? JIT(machine: machine, options: options) : nil
    }

    /// Runs the loop once to its exit; returns the guest instructions it retired.
    @discardableResult
    func run() -> UInt64 {
        let before = machine.instret
        machine.resume()
        machine.pc = Guests.codeAddress
        switch engine {
        case .interpreter: Interpreter().run(machine)
        case .jit: jit!.run()
        }
        guard case .exited(0)? = machine.stopReason else { fatalError("guest loop stopped: \(String(describing: machine.stopReason))") }
        return machine.instret - before
    }
}
