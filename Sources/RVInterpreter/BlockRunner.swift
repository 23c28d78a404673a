import RISCV
import RVMachine

extension Interpreter {
    /// The unbounded run: still one instruction at a time, but taken from the `BlockCache`'s
    /// straight-line blocks, so that an instruction costs its dispatch and its work, not a fetch,
    /// a page check and a decode-memo lookup. The instruction limit is tested once per block (a
    /// block runs only when all of it may retire, so counts and stops stay exact), and every
    /// exceptional case (a load or store the fast path declines, a misaligned jump target, a block
    /// that does not fit under the limit, a pc the cache cannot serve) is left to the
    /// per-instruction loop for a while (`stepAlone`), after which the block cache moves to a new
    /// epoch.
    @inline(__always)
    func runBlocks<A: InstructionAlignment>(_ machine: Machine, alignment: A.Type) {
        let cpu = machine.cpu
        let x = cpu.registers
        let memory = cpu.pointee.memory
        var flags = cpu.pointee.pageFlags
        let alignMask = A.mask
        let cache = BlockCache.of(machine)
        let blocks = cache.blocks
        let arena = cache.arena
        let decodedPages = cache.decodedPages
        let isa = machine.isa
        let trail = machine.trail.entries
        // Anything may have changed since the last run: a new epoch.
        var epoch = cache.epoch
        @inline(__always) func newEpoch() {
            epoch &+= 1
            if epoch == 0 {
                cache.forgetAll()
                epoch = 1
            }
        }
        newEpoch()
        defer { cache.epoch = epoch }

        // As in `loop`: `pc`, and the instructions that may still retire before the machine
        // must be asked (`remaining`); the count is `end - remaining`.
        var pc: UInt32 = 0
        var end: UInt64 = 0
        var remaining: Int64 = 0
        @inline(__always) func sync() {
            cpu.pointee.pc = pc
            cpu.pointee.instret = end &- UInt64(bitPattern: remaining)
        }
        @inline(__always) func reload() {
            pc = cpu.pointee.pc
            let instret = cpu.pointee.instret
            let limit = cpu.pointee.limit
            let left = limit > instret ? min(limit &- instret, UInt64(Int64.max)) : 0
            remaining = Int64(truncatingIfNeeded: left)
            end = instret &+ left
            flags = cpu.pointee.pageFlags
        }
        reload()

        while true {
            var stepAlone = remaining <= 0
            if !stepAlone {
                let block = blocks + Int((pc >> 1) & UInt32(BlockCache.blockCount - 1))
                if block.pointee.pc != pc || block.pointee.epoch != epoch {
                    stepAlone = !cache.prepare(
                        block, pc: pc, memory: memory, flags: flags, alignMask: alignMask, isa: isa, epoch: epoch)
                }
                let count = Int64(block.pointee.count)
                if !stepAlone && count > remaining { stepAlone = true }
                if !stepAlone {
                    // The limit was tested for the whole block: each instruction only counts.
                    var slot = arena + Int(block.pointee.start)
                    blockLoop: while true {
                        let inst = slot.pointee.inst
                        remaining &-= 1
                        let rd = Int(inst.rd)
                        let a = x[Int(inst.rs1)]
                        let b = x[Int(inst.rs2)]
                        let imm = inst.imm

                        // Leaves the block before this instruction, for the per-instruction loop.
                        @inline(__always) func handOver() {
                            remaining &+= 1
                            pc = slot.pointee.pc
                            stepAlone = true
                        }
                        // Jumps and taken branches: the target must be aligned, or the
                        // per-instruction loop raises the trap.
                        @inline(__always) func branch(_ condition: BranchCondition) {
                            let here = slot.pointee.pc
                            if !condition.holds(a, b) {
                                pc = here &+ UInt32(inst.length)
                            } else if (here &+ imm) & alignMask == 0 {
                                pc = here &+ imm
                            } else {
                                handOver()
                            }
                        }
                        @inline(__always) func link(to target: UInt32) {
                            guard target & alignMask == 0 else { return handOver() }
                            x[rd] = slot.pointee.pc &+ UInt32(inst.length)
                            BlockTrail.record(trail, target)
                            pc = target
                        }
                        @inline(__always) func load(_ width: MemoryWidth) -> Bool {
                            guard let value = FastAccess.load(memory, flags, a &+ imm, width) else {
                                handOver()
                                return false
                            }
                            x[rd] = value
                            return true
                        }
                        // False: the block ends here (the store was declined, or it wrote to a
                        // page that blocks were decoded from, which may have changed them).
                        @inline(__always) func store(_ width: MemoryWidth) -> Bool {
                            let address = a &+ imm
                            guard FastAccess.store(memory, flags, address, width, b) else {
                                handOver()
                                return false
                            }
                            let page = Int(address >> 12)
                            guard decodedPages[page] != 0 else { return true }
                            decodedPages[page] = 0
                            newEpoch()
                            pc = slot.pointee.pc &+ UInt32(inst.length)
                            return false
                        }

                        // The same flat cases as `loop`, calling the same shared semantics.
                        switch inst.handler {
                        case .lui: x[rd] = imm
                        case .auipc: x[rd] = slot.pointee.pc &+ imm
                        case .jal: link(to: slot.pointee.pc &+ imm); break blockLoop
                        case .jalr: link(to: ControlFlow.jalrTarget(a, Int32(bitPattern: imm))); break blockLoop  // rs1 read before rd
                        case .beq: branch(.eq); break blockLoop
                        case .bne: branch(.ne); break blockLoop
                        case .blt: branch(.lt); break blockLoop
                        case .bge: branch(.ge); break blockLoop
                        case .bltu: branch(.ltu); break blockLoop
                        case .bgeu: branch(.geu); break blockLoop
                        case .lb: guard load(.byte) else { break blockLoop }
                        case .lh: guard load(.half) else { break blockLoop }
                        case .lw: guard load(.word) else { break blockLoop }
                        case .lbu: guard load(.byteUnsigned) else { break blockLoop }
                        case .lhu: guard load(.halfUnsigned) else { break blockLoop }
                        case .sb: guard store(.byte) else { break blockLoop }
                        case .sh: guard store(.half) else { break blockLoop }
                        case .sw: guard store(.word) else { break blockLoop }
                        case .addi: x[rd] = ALUOp.add.apply(a, imm)
                        case .slti: x[rd] = ALUOp.slt.apply(a, imm)
                        case .sltiu: x[rd] = ALUOp.sltu.apply(a, imm)
                        case .xori: x[rd] = ALUOp.xor.apply(a, imm)
                        case .ori: x[rd] = ALUOp.or.apply(a, imm)
                        case .andi: x[rd] = ALUOp.and.apply(a, imm)
                        case .slli: x[rd] = ALUOp.sll.apply(a, imm)
                        case .srli: x[rd] = ALUOp.srl.apply(a, imm)
                        case .srai: x[rd] = ALUOp.sra.apply(a, imm)
                        case .add: x[rd] = ALUOp.add.apply(a, b)
                        case .sub: x[rd] = ALUOp.sub.apply(a, b)
                        case .sll: x[rd] = ALUOp.sll.apply(a, b)
                        case .slt: x[rd] = ALUOp.slt.apply(a, b)
                        case .sltu: x[rd] = ALUOp.sltu.apply(a, b)
                        case .xor: x[rd] = ALUOp.xor.apply(a, b)
                        case .srl: x[rd] = ALUOp.srl.apply(a, b)
                        case .sra: x[rd] = ALUOp.sra.apply(a, b)
                        case .or: x[rd] = ALUOp.or.apply(a, b)
                        case .and: x[rd] = ALUOp.and.apply(a, b)
                        case .mul: x[rd] = ALUOp.mul.apply(a, b)
                        case .mulh: x[rd] = ALUOp.mulh.apply(a, b)
                        case .mulhu: x[rd] = ALUOp.mulhu.apply(a, b)
                        case .div: x[rd] = ALUOp.div.apply(a, b)
                        case .divu: x[rd] = ALUOp.divu.apply(a, b)
                        case .rem: x[rd] = ALUOp.rem.apply(a, b)
                        case .remu: x[rd] = ALUOp.remu.apply(a, b)
                        case .family:
                            // Always a block's last instruction: the complete route, with the
                            // machine's state written back. Only computations on registers and
                            // loads that retired leave code and permissions as they were.
                            remaining &+= 1
                            pc = slot.pointee.pc
                            sync()
                            let retired = withUnsafePointer(to: inst) { entry in
                                // A hook of its own, not one captured from the loop: the thread
                                // sanitizer instruments an inout of a zero-sized value captured
                                // by a closure at an address that is not one (it crashed here).
                                var hook = NoRetireHook()
                                return Self.execute(entry, fetched: inst.word, machine, alignMask: alignMask, hook: &hook)
                            }
                            let flagsBefore = flags
                            reload()
                            if !(retired && inst.family.leavesCodeAlone && flags == flagsBefore) { newEpoch() }
                            break blockLoop
                        case .blockEnd:
                            // Not an instruction: the block falls through to its pc.
                            remaining &+= 1
                            pc = slot.pointee.pc
                            break blockLoop
                        }
                        slot += 1
                    }
                }
            }
            if stepAlone {
                sync()
                guard Self.stepAlone(machine, alignment: A.self) else { return }
                reload()
                newEpoch()
            }
        }
    }

    /// The per-instruction loop (which also asks the machine when the limit is reached) for up
    /// to 256 instructions: where blocks cannot be used for a while (code fetched through Sv32,
    /// where the fast fetch path never applies) that spreads the cost of coming back over many
    /// instructions (stepping one at a time made svpager-small 2.6 times as costly in host
    /// instructions as the per-instruction loop alone). False when the machine stopped instead.
    @inline(never)
    static func stepAlone<A: InstructionAlignment>(_ machine: Machine, alignment: A.Type) -> Bool {
        var hook = NoRetireHook()
        let bounds = Bounds(maxSteps: 256, stopAtBlockEnd: false)
        return Interpreter().loop(machine, bounds: bounds, hook: &hook, alignment: A.self, counting: Counted.self) != 0
    }
}

extension Family {
    /// Whether running an instruction of this family (when it retires) can change neither guest
    /// memory nor what may be fetched: the block cache's epoch need not move. (Telling harmless
    /// CSRs apart here, by number, made CSR-heavy loops cheaper but cost the block loop its
    /// registers: 6-7% more host instructions on sha256 and crc. CSR loops pay instead:
    /// csrloop-small 111M host instructions against 97M before blocks.)
    var leavesCodeAlone: Bool {
        switch self {
        case .lui, .auipc, .load, .aluImmediate, .aluRegister, .fence, .float, .floatLoad: return true
        case .jal, .jalr, .branch, .store, .atomic, .fenceI, .ecall, .ebreak, .csr, .mret, .sret, .sfenceVMA, .wfi, .floatStore,
            .illegal:
            return false
        }
    }
}
