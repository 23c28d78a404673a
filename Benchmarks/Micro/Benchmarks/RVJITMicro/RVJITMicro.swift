import Benchmark
import RISCV
import RVJIT
import RVMachine
import RVSyscalls

// rvjit's micro-benchmarks (ordo-one `benchmark`): decode, translation, block dispatch, the
// memory access path, and system calls through the libffi bridge. Each benchmark's iteration
// does a fixed amount of work, reported as the `work` metric (units per iteration: decoded
// instructions, translated instructions, retired guest instructions, guest memory accesses,
// system calls); time per unit = wall clock / work. See Benchmarks/README.md.

/// Units of work per iteration, reported with every benchmark so the tables say what an
/// iteration is.
let work = BenchmarkMetric.custom("work (units per iteration)", polarity: .prefersLarger, useScalingFactor: false)

/// The suite program whose code the decode and translation benchmarks use, at a size that runs
/// its start-up, its kernel and its output (every block it needs) in about a million instructions.
let workloadName = "sha256", workloadArguments = ["64", "1"]
nonisolated(unsafe) let workloads: [String: TranslatedWorkload] = Dictionary(
    uniqueKeysWithValues: ["rv32i", "rv32imac"].map {
        ($0, TranslatedWorkload(Guests.suiteELF(workloadName, set: $0), arguments: workloadArguments))
    })

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, work],
        maxDuration: .seconds(2),
        maxIterations: 1000
    )

    // MARK: Decode: instruction bits to `Instruction`, on real compiler output.

    for set in ["rv32i", "rv32imac"] {
        let input = Lazy { () -> ([UInt32], ISA) in
            let workload = workloads[set]!
            return ((0..<1_000_000).map { workload.words[$0 % workload.words.count] }, workload.isa)
        }
        Benchmark("Decode \(workloadName) \(set) ×1M") { benchmark in
            let (words, isa) = input.value
            benchmark.startMeasurement()
            for word in words { blackHole(Decoder.shared.decode(word, isa: isa)) }
            benchmark.stopMeasurement()
            benchmark.measurement(work, words.count)
        }
    }

    // MARK: Translation: every block of the workload, decode → IR → passes → closures.

    for set in ["rv32i", "rv32imac"] {
        Benchmark("Translate \(workloadName) \(set), all blocks") { benchmark in
            let workload = workloads[set]!
            let jit = workload.freshJIT()
            benchmark.startMeasurement()
            for pc in workload.pcs { blackHole(jit.translate(pc)) }
            benchmark.stopMeasurement()
            benchmark.measurement(work, Int(jit.statistics.guestInstructionsTranslated))
        }
    }
    // The stages alone (rv32i), to see where translation time goes.
    Benchmark("Translate stage: block decode") { benchmark in
        let workload = workloads["rv32i"]!
        benchmark.startMeasurement()
        blackHole(workload.decodeBlocks())
        benchmark.stopMeasurement()
        benchmark.measurement(work, workload.instructionCount)
    }
    let decoded = Lazy { workloads["rv32i"]!.decodeBlocks() }
    Benchmark("Translate stage: lower + passes") { benchmark in
        let workload = workloads["rv32i"]!
        let decoded = decoded.value
        benchmark.startMeasurement()
        for block in decoded { blackHole(TranslatedWorkload.lowerAndOptimize(block)) }
        benchmark.stopMeasurement()
        benchmark.measurement(work, workload.instructionCount)
    }
    let ir = Lazy { workloads["rv32i"]!.decodeBlocks().map(TranslatedWorkload.lowerAndOptimize) }
    Benchmark("Translate stage: closure compile") { benchmark in
        let workload = workloads["rv32i"]!
        let ir = ir.value
        let compiler = workload.compiler()
        var compiled: [CompiledBlock] = []
        compiled.reserveCapacity(ir.count)
        benchmark.startMeasurement()
        for block in ir { compiled.append(compiler.compile(block)) }
        benchmark.stopMeasurement()
        benchmark.measurement(work, workload.instructionCount)
    }

    // MARK: Block dispatch: translated hot loops, about 1M guest instructions an iteration.

    func loop(_ name: String, _ program: [Instruction], _ engine: LoopRunner.Engine, dataBytes: UInt32 = 0x1000) {
        // Built, and translated by a first run, in the first (warm-up) iteration.
        let runner = Lazy { () -> LoopRunner in
            let runner = LoopRunner(program, engine: engine, dataBytes: dataBytes)
            runner.run()
            return runner
        }
        Benchmark(name) { benchmark in
            let runner = runner.value
            benchmark.startMeasurement()
            let retired = runner.run()
            benchmark.stopMeasurement()
            benchmark.measurement(work, Int(retired))
        }
    }
    loop("Dispatch JIT: xorshift loop, 1 chained block", Guests.xorshift(iterations: 125_000), .jit)
    loop("Dispatch JIT: call/return loop, jalr through the jump cache", Guests.callReturn(iterations: 200_000), .jit)
    loop("Dispatch interpreter: xorshift loop", Guests.xorshift(iterations: 125_000), .interpreter)

    // MARK: Memory access path: guest lw/sw through the fast path (327,680 accesses an iteration).

    loop("Memory JIT: lw/add/sw over 4 KiB ×160", Guests.memoryWalk(words: 1024, passes: 160), .jit)
    loop("Memory interpreter: lw/add/sw over 4 KiB ×160", Guests.memoryWalk(words: 1024, passes: 160), .interpreter)
    let memory = Lazy { Guests.machine([], dataBytes: 0x1000) }
    Benchmark("Memory FastAccess: load + store ×1M, host side") { benchmark in
        let machine = memory.value
        let base = machine.memory.base, flags = machine.memory.flags
        benchmark.startMeasurement()
        var address = Guests.dataAddress
        for i in 0..<500_000 {
            let value = FastAccess.load(base, flags, address, .word) ?? 0
            _ = FastAccess.store(base, flags, address, .word, value &+ UInt32(truncatingIfNeeded: i))
            address = Guests.dataAddress | (address &+ 4) & 0xffc
        }
        benchmark.stopMeasurement()
        blackHole(machine.memory.read32(Guests.dataAddress))
        benchmark.measurement(work, 1_000_000)
    }

    // MARK: System calls: guest ecall → bridge → libffi → host libc, 10,000 an iteration (JIT).

    func syscalls(_ name: String, _ program: [Instruction], devNull: Bool = false) {
        let runner = Lazy { () -> LoopRunner in
            let bridge = SyscallBridge(
                console: Console(capture: { _, _ in }),
                directories: devNull ? [DirectoryMapping(hostPath: "/dev", readOnly: false)] : [])
            let runner = LoopRunner(program, engine: .jit, syscalls: bridge)
            runner.machine.memory.writeBytes(Guests.dataAddress, Array("/dev/null".utf8) + [0])
            runner.run()
            return runner
        }
        Benchmark(name) { benchmark in
            let runner = runner.value
            benchmark.startMeasurement()
            runner.run()
            benchmark.stopMeasurement()
            benchmark.measurement(work, 10_000)
        }
    }
    syscalls("Syscall getpid (JIT)", Guests.syscallLoop(number: 172, iterations: 10_000))
    // openat(AT_FDCWD, "/dev/null", O_WRONLY) once, then write(fd, buffer, 64) 10,000 times.
    let (a0, a1, a2, a7, s0, t1) = (Guests.a0, Guests.a1, Guests.a2, Guests.a7, Guests.s0, Guests.t1)
    syscalls(
        "Syscall write 64 bytes to /dev/null (JIT)",
        Guests.syscallLoop(
            number: 64, iterations: 10_000,
            prologue: [Asm.i(.addi, a0, 0, -100)] + Guests.li(a1, Guests.dataAddress) + [
                Asm.i(.addi, a2, 0, 1), Asm.i(.addi, a7, 0, 56), Asm.ecall, Asm.i(.addi, s0, a0, 0),
                // openat failed: exit(2)
                Asm.b(.bge, a0, 0, 16), Asm.i(.addi, a0, 0, 2), Asm.i(.addi, a7, 0, 93), Asm.ecall,
            ] + Guests.li(a1, Guests.dataAddress + 64) + [Asm.i(.addi, a2, 0, 64)],
            body: [Asm.i(.addi, a0, s0, 0)],
            epilogue: [
                // the last write did not write 64 bytes: exit(3)
                Asm.i(.addi, t1, 0, 64), Asm.b(.beq, a0, t1, 16), Asm.i(.addi, a0, 0, 3), Asm.i(.addi, a7, 0, 93), Asm.ecall,
                Asm.i(.addi, a0, s0, 0), Asm.i(.addi, a7, 0, 57), Asm.ecall,  // close(fd)
            ]),
        devNull: true)
}

/// A value built on first use (in a benchmark's first, warm-up iteration), not when the
/// benchmarks are registered: every benchmark process registers them all but runs one.
final class Lazy<Value> {
    private let make: () -> Value
    private(set) lazy var value: Value = make()
    init(_ make: @escaping () -> Value) { self.make = make }
}
