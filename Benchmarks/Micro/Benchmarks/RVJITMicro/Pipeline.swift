import RISCV
import RVJIT
import RVMachine

// The one place that reaches into the JIT's translation stages (block decoder, lowering, passes,
// closure compiler) rather than the `JIT` class itself: when the translator's seams move, only
// this file follows. The stages are called as `JIT.translate` calls them.

/// A suite program's translated code: every block the JIT translated while running it once.
struct TranslatedWorkload {
    let machine: Machine
    /// Block start addresses, in translation order.
    let pcs: [UInt32]
    /// The instruction bits of every translated instruction (compressed ones in the low half).
    let words: [UInt32]
    let isa: ISA
    let options: JITOptions
    private let syscalls: SyscallHandler

    /// Runs the program to its exit under the JIT with every block translated at once.
    init(_ path: String, arguments: [String]) {
        let (machine, syscalls) = Guests.load(path, arguments: arguments)
        var options = JITOptions()
        options.threshold = 0
        let jit = JIT(machine: machine, options: options)
        var pcs: [UInt32] = []
        var words: [UInt32] = []
        jit.onTranslate = { record in
            pcs.append(record.decoded.pc)
            words += record.decoded.words
        }
        jit.run()
        guard case .exited(0)? = machine.stopReason else {
            fatalError("\(path) stopped: \(String(describing: machine.stopReason))")
        }
        self.machine = machine
        self.syscalls = syscalls
        self.pcs = pcs
        self.words = words
        self.isa = machine.isa
        self.options = options
    }

    /// Guest instructions in all the blocks.
    var instructionCount: Int { words.count }

    /// Decodes every block with the JIT's block decoder.
    func decodeBlocks() -> [DecodedBlock] {
        pcs.map { pc in
            BlockDecoder.decode(
                machine, at: pc, maxLength: options.maxBlockLength, policy: machine.privilegedPolicy,
                superblocks: options.superblocks)!
        }
    }

    /// Lowers a decoded block and runs the standard passes on it.
    static func lowerAndOptimize(_ block: DecodedBlock) -> IRBlock {
        PassPipeline.standard.run(Lowering.lower(block))
    }

    /// A closure compiler configured as the JIT configures its own for this machine.
    func compiler() -> ClosureCompiler {
        var compile = CompileOptions()
        compile.policy = machine.privilegedPolicy
        compile.isa = machine.isa
        compile.trapMisaligned = machine.trapMisaligned
        compile.superinstructions = options.superinstructions
        compile.chaining = options.chaining
        return ClosureCompiler(options: compile)
    }

    /// A fresh JIT (empty code cache) on the loaded program.
    func freshJIT() -> JIT { JIT(machine: machine, options: options) }
}
