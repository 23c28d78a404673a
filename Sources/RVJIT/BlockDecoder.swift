import RISCV
import RVMachine

/// The guest instructions of one basic block, as decoded from memory.
public struct DecodedBlock: Sendable {
    public var pc: UInt32
    public var instructions: [Instruction]
    public var words: [UInt32]
    /// The address after the last instruction.
    public var endPC: UInt32 { pc &+ UInt32(instructions.count) &* 4 }

    public init(pc: UInt32, instructions: [Instruction], words: [UInt32]) {
        self.pc = pc
        self.instructions = instructions
        self.words = words
    }
}

/// Finds the extent of a block: from `pc` up to and including the first instruction that
/// transfers control or needs the monitor, a page boundary, or the length cap.
public enum BlockDecoder {
    /// Returns nil when `pc` cannot be fetched (the interpreter raises the fault instead).
    ///
    /// With `superblocks`, a conditional branch whose target is aligned does not end the block:
    /// its taken side becomes a side exit and decoding goes on along the fall-through path, so
    /// hot code with rarely taken branches runs with fewer block entries and exits.
    public static func decode(
        _ machine: Machine, at pc: UInt32, maxLength: Int, policy: PrivilegedPolicy, superblocks: Bool = false
    ) -> DecodedBlock? {
        guard ControlFlow.isAligned(pc), machine.memory.pageFlags(pc) & PageFlag.execute != 0 else { return nil }
        var block = DecodedBlock(pc: pc, instructions: [], words: [])
        var at = pc
        let page = pc >> GuestMemory.pageShift
        while block.instructions.count < maxLength {
            let word = machine.memory.read32(at)
            let inst = RISCV.decode(word)
            block.instructions.append(inst)
            block.words.append(word)
            at &+= 4
            if endsBlock(inst, policy: policy) && !(superblocks && continuesPast(inst, at: at &- 4)) { break }
            if at >> GuestMemory.pageShift != page || at == 0 { break }
        }
        return block
    }

    /// Control transfers and instructions that may change mode or how code must be translated.
    /// Under `trap`, every system instruction ends its block: it is an exit to the monitor.
    public static func endsBlock(_ inst: Instruction, policy: PrivilegedPolicy) -> Bool {
        if inst.opcode == .illegal || inst.endsBlock { return true }
        if inst.flags.contains(.system) {
            if policy == .trap { return true }
            let writes = inst.opcode == .csrrw || inst.opcode == .csrrwi || inst.rs1 != 0
            return writes && Machine.csrWriteEndsBlock(inst.csr)
        }
        return false
    }

    /// A conditional branch with an aligned target: decoding may go on along its fall-through.
    static func continuesPast(_ inst: Instruction, at pc: UInt32) -> Bool {
        guard BranchCondition(inst.opcode) != nil else { return false }
        return ControlFlow.isAligned(ControlFlow.relative(pc, inst.imm))
    }
}
