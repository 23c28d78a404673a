import RISCV
import RVMachine

/// The guest instructions of one basic block, as decoded from memory.
public struct DecodedBlock: Sendable {
    public var pc: UInt32
    public var instructions: [Instruction]
    /// Each instruction's bits (a compressed one's in the low halfword).
    public var words: [UInt32]
    /// The machine's extensions when the block was decoded (alignment rules depend on C).
    public var isa: ISA

    public init(pc: UInt32, instructions: [Instruction], words: [UInt32], isa: ISA = .implemented) {
        self.pc = pc
        self.instructions = instructions
        self.words = words
        self.isa = isa
    }

    /// The pc of each instruction.
    public var pcs: [UInt32] {
        var at = pc
        return instructions.map { inst in defer { at = inst.next(at) }; return at }
    }

    /// The address after the last instruction.
    public var endPC: UInt32 { instructions.reduce(pc) { $1.next($0) } }
}

/// Finds the extent of a block: from `pc` up to and including the first instruction that
/// transfers control or needs the monitor, a page boundary, or the length cap.
public enum BlockDecoder {
    /// Returns nil when `pc` cannot be fetched (the interpreter raises the fault instead).
    /// `physical`: where the instruction at `pc` is read from (under Sv32, its translation; the
    /// block stays on that page, so the rest follows at the same offsets); nil: `pc` itself.
    ///
    /// With `superblocks`, a conditional branch whose target is aligned does not end the block:
    /// its taken side becomes a side exit and decoding goes on along the fall-through path, so
    /// hot code with rarely taken branches runs with fewer block entries and exits.
    public static func decode(
        _ machine: Machine, at pc: UInt32, physical: UInt32? = nil, maxLength: Int, policy: PrivilegedPolicy,
        superblocks: Bool = false
    ) -> DecodedBlock? {
        guard machine.canFetch(pc) else { return nil }
        let delta = (physical ?? pc) &- pc
        let isa = machine.isa
        var block = DecodedBlock(pc: pc, instructions: [], words: [], isa: isa)
        var at = pc
        let page = pc >> GuestMemory.pageShift
        while block.instructions.count < maxLength {
            let word = Decoder.instructionBits(machine.memory.read32(at &+ delta))
            let inst = Decoder.shared.decode(word, isa: isa)
            block.instructions.append(inst)
            block.words.append(word)
            let here = at
            at = inst.next(at)
            if endsBlock(inst, policy: policy) && !(superblocks && continuesPast(inst, at: here, isa: isa)) { break }
            // A block stays on its first page, except that its first instruction may straddle
            // into the next (the JIT then registers the block on both pages).
            if at >> GuestMemory.pageShift != page || at == 0 { break }
            // The next instruction would straddle a page boundary: it starts a block of its own.
            if at & 0xfff == 0xffe && machine.memory.read32(at &+ delta) & 3 == 3 { break }
        }
        return block
    }

    /// Control transfers and instructions that may change mode or how code must be translated.
    /// Under `trap`, every system instruction ends its block: it is an exit to the monitor.
    public static func endsBlock(_ inst: Instruction, policy: PrivilegedPolicy) -> Bool {
        if inst.endsBlock { return true }
        switch inst.family {
        case .csr(let op, _):
            if policy == .trap { return true }
            let writes = op == .write || inst.rs1 != 0
            return writes && Machine.csrWriteEndsBlock(inst.csr)
        case .lui, .auipc, .jal, .jalr, .branch, .load, .store, .aluImmediate, .aluRegister, .fence, .fenceI,
            .ecall, .ebreak, .mret, .wfi, .sret, .sfenceVMA, .atomic, .floatLoad, .floatStore, .float, .illegal:
            return false
        }
    }

    /// A conditional branch with an aligned target: decoding may go on along its fall-through.
    static func continuesPast(_ inst: Instruction, at pc: UInt32, isa: ISA) -> Bool {
        guard case .branch = inst.family else { return false }
        return isa.isAligned(ControlFlow.relative(pc, inst.imm))
    }
}
