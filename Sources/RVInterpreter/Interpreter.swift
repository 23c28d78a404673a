import RISCV
import RVMachine

/// The reference executor: fetch, decode and execute one instruction at a time.
///
/// It is also the JIT's fallback for blocks that are not (yet) translated and for single
/// stepping up to an exact instruction count. The hot loop keeps `pc` and the instruction count
/// in locals and touches the `Machine` object only on slow paths (faults, devices, system
/// instructions, limits), where it first writes the locals back.
public struct Interpreter {
    /// Where a bounded run stops.
    public struct Bounds: Sendable {
        /// Stop after this many instructions have retired (or trapped).
        public var maxSteps: UInt64
        /// Stop after the first instruction that ends a basic block.
        public var stopAtBlockEnd: Bool

        public init(maxSteps: UInt64 = .max, stopAtBlockEnd: Bool = false) {
            self.maxSteps = maxSteps
            self.stopAtBlockEnd = stopAtBlockEnd
        }

        public static let unbounded = Bounds()
    }

    public init() {}

    /// Runs until the machine stops: by blocks of the `BlockCache` (see `runBlocks`), unless
    /// misaligned accesses trap, which the loads and stores of blocks do not check.
    public func run(_ machine: Machine) {
        if !machine.trapMisaligned {
            if machine.isa.contains(.c) {
                runBlocks(machine, alignment: HalfwordAligned.self)
            } else {
                runBlocks(machine, alignment: WordAligned.self)
            }
            return
        }
        var hook = NoRetireHook()
        let bounds = Bounds(maxSteps: .max, stopAtBlockEnd: false)
        if machine.isa.contains(.c) {
            _ = loop(machine, bounds: bounds, hook: &hook, alignment: HalfwordAligned.self, counting: Uncounted.self)
        } else {
            _ = loop(machine, bounds: bounds, hook: &hook, alignment: WordAligned.self, counting: Uncounted.self)
        }
    }

    /// Runs within `bounds`, telling `hook` of every retired instruction. Returns the number of
    /// instructions stepped (retired or trapped).
    @discardableResult
    public func execute<H: RetireHook>(_ machine: Machine, bounds: Bounds, hook: inout H) -> UInt64 {
        if machine.isa.contains(.c) {
            return loop(machine, bounds: bounds, hook: &hook, alignment: HalfwordAligned.self, counting: Counted.self)
        }
        return loop(machine, bounds: bounds, hook: &hook, alignment: WordAligned.self, counting: Counted.self)
    }

    /// The loop itself, inlined into each caller so that constant bounds (the unbounded `run`)
    /// fold away together with their bookkeeping, and specialised for the ISA's instruction
    /// alignment so that the fetch check is a constant mask.
    @inline(__always)
    func loop<H: RetireHook, A: InstructionAlignment, S: StepCounting>(
        _ machine: Machine, bounds: Bounds, hook: inout H, alignment: A.Type, counting: S.Type
    ) -> UInt64 {
        let cpu = machine.cpu
        let x = cpu.registers
        let memory = cpu.pointee.memory
        // Changes while address translation switches on or off (see RVMachine's Sv32.swift).
        var flags = cpu.pointee.pageFlags
        let alignMask = A.mask
        let decodeCache = DecodeCache.entries(machine)
        let trapMisaligned = machine.trapMisaligned
        let trail = machine.trail.entries  // jumps (calls, returns): the blocks entered, for fault reports
        var steps: UInt64 = 0
        // The loop keeps `pc` and, instead of the instruction count and the limit, the number of
        // instructions that may still retire before the machine must be asked (the limit
        // changes only inside the machine's slow paths, after which both are reloaded): one
        // number to test and count. The count is `end - remaining`; `remaining` goes below zero
        // when instructions retire past the limit (after `limitReached` let the run go on, or a
        // device store lowered the limit), exactly as the count goes past the limit.
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

        while !S.on || steps < bounds.maxSteps {
            if remaining <= 0 {
                sync()
                guard machine.limitReached() else { return steps }
                reload()
            }
            // Fetch: the page must be executable and the address aligned (2 bytes with C, 4
            // without). Anything else asks the machine, which raises the right trap, or allows
            // the fetch after checks the page flags cannot express (PMP, triggers).
            let fetched: UInt32
            if pc & alignMask == 0, flags[Int(pc >> 12)] & PageFlag.execute != 0 {
                fetched = UInt32(littleEndian: (memory + Int(pc)).loadUnaligned(as: UInt32.self))
            } else {
                sync()
                guard let word = machine.fetch(pc) else {
                    reload()
                    if S.on { steps &+= 1 }
                    continue
                }
                fetched = word
            }
            // Memoised decode keyed by pc and checked against the 32 bits just fetched (for a
            // compressed instruction, its halfword and the next), so it is always right, even
            // for code that rewrites itself.
            var slot = decodeCache + Int((pc >> 1) & UInt32(DecodeCache.size - 1))
            if slot.pointee.word != fetched {
                sync()
                guard let filled = DecodeCache.fill(slot, machine, pc: pc, fetched: fetched, halfwordAligned: A.mask == 1) else {
                    reload()
                    if S.on { steps &+= 1 }
                    continue
                }
                slot = filled
            }
            let inst = slot.pointee
            let rd = Int(inst.rd)
            let a = x[Int(inst.rs1)]
            let b = x[Int(inst.rs2)]
            let imm = inst.imm
            let here = pc
            var next = pc &+ UInt32(inst.length)
            if S.on { steps &+= 1 }

            // Taken jumps and branches: the target must be aligned (2 bytes with C, 4 without).
            // False when the instruction trapped instead.
            @inline(__always) func jump(to target: UInt32) -> Bool {
                guard target & alignMask == 0 else {
                    sync(); Self.misalignedFetch(machine, pc: pc, target: target); reload(); return false
                }
                next = target
                return true
            }
            @inline(__always) func link(to target: UInt32) -> Bool {
                guard jump(to: target) else { return false }
                x[rd] = here &+ UInt32(inst.length)
                BlockTrail.record(trail, target)
                return true
            }
            // Loads and stores: the fast path, else the machine's (which may fault: false).
            @inline(__always) func load(_ width: MemoryWidth) -> Bool {
                let address = a &+ imm
                if !trapMisaligned, let value = FastAccess.load(memory, flags, address, width) {
                    x[rd] = value
                    return true
                }
                sync()
                guard let value = machine.load(address, width: width, pc: pc) else { reload(); return false }
                x[rd] = value
                return true
            }
            @inline(__always) func store(_ width: MemoryWidth) -> Bool {
                let address = a &+ imm
                if trapMisaligned || !FastAccess.store(memory, flags, address, width, b) {
                    sync()
                    guard machine.store(address, width: width, value: b, pc: pc) else { reload(); return false }
                    reload()  // a device store may halt or move a deadline
                }
                return true
            }

            // One flat case per common operation (see `Handler`), each calling the shared
            // semantics with the operation fixed; every other instruction out of line, by the
            // complete switch over its family.
            switch inst.handler {
            case .lui: x[rd] = imm
            case .auipc: x[rd] = pc &+ imm
            case .jal: guard link(to: pc &+ imm) else { continue }
            case .jalr: guard link(to: ControlFlow.jalrTarget(a, Int32(bitPattern: imm))) else { continue }  // rs1 read before rd
            case .beq: if BranchCondition.eq.holds(a, b) { guard jump(to: pc &+ imm) else { continue } }
            case .bne: if BranchCondition.ne.holds(a, b) { guard jump(to: pc &+ imm) else { continue } }
            case .blt: if BranchCondition.lt.holds(a, b) { guard jump(to: pc &+ imm) else { continue } }
            case .bge: if BranchCondition.ge.holds(a, b) { guard jump(to: pc &+ imm) else { continue } }
            case .bltu: if BranchCondition.ltu.holds(a, b) { guard jump(to: pc &+ imm) else { continue } }
            case .bgeu: if BranchCondition.geu.holds(a, b) { guard jump(to: pc &+ imm) else { continue } }
            case .lb: guard load(.byte) else { continue }
            case .lh: guard load(.half) else { continue }
            case .lw: guard load(.word) else { continue }
            case .lbu: guard load(.byteUnsigned) else { continue }
            case .lhu: guard load(.halfUnsigned) else { continue }
            case .sb: guard store(.byte) else { continue }
            case .sh: guard store(.half) else { continue }
            case .sw: guard store(.word) else { continue }
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
            case .family, .blockEnd:  // the decode memo never holds `.blockEnd`
                sync()
                let retired = Self.execute(slot, fetched: fetched, machine, alignMask: alignMask, hook: &hook)
                reload()
                if retired && bounds.stopAtBlockEnd && inst.family.endsBlock { return steps }
                continue
            }
            remaining &-= 1
            pc = next
            hook.retired(pc: here, word: Decoder.instructionBits(fetched), cpu: cpu)
            if bounds.stopAtBlockEnd && inst.handler.endsBlock {
                sync()
                return steps
            }
        }
        sync()
        return steps
    }

    /// A jump or taken branch to a misaligned target: out of line, so that the trap's value
    /// is built only here and not kept alive across the loop.
    @inline(never)
    static func misalignedFetch(_ machine: Machine, pc: UInt32, target: UInt32) {
        machine.raise(Trap(.misalignedFetch, pc: pc, value: target))
    }

    /// Any instruction, by the switch over its family, with one short case per family calling the
    /// shared semantics: the complete route, out of line so that the loop stays small (the loop
    /// sends here what `Handler` gives no case of its own). Runs with the loop's `pc` and
    /// instruction count written back to the machine and leaves them there; returns whether the
    /// instruction retired (false: it trapped).
    @inline(never)
    static func execute<H: RetireHook>(
        _ entry: UnsafePointer<DecodeCache.Entry>, fetched: UInt32, _ machine: Machine, alignMask: UInt32, hook: inout H
    ) -> Bool {
        let inst = entry.pointee
        let cpu = machine.cpu
        let x = cpu.registers
        let pc = cpu.pointee.pc
        // The instruction's own bits (a compressed one is the low halfword): traps and hooks.
        let word = Decoder.instructionBits(fetched)
        let rd = Int(inst.rd)
        let a = x[Int(inst.rs1)]
        let b = x[Int(inst.rs2)]
        let imm = inst.imm
        var next = pc &+ UInt32(inst.length)

        @inline(__always) func jump(to target: UInt32) -> Bool {
            guard target & alignMask == 0 else {
                misalignedFetch(machine, pc: pc, target: target)
                return false
            }
            next = target
            return true
        }
        @inline(__always) func link(to target: UInt32) -> Bool {
            guard jump(to: target) else { return false }
            x[rd] = pc &+ UInt32(inst.length)
            BlockTrail.record(machine.trail.entries, target)
            return true
        }
        @inline(__always) func illegal() -> Bool {
            machine.raise(Trap(.illegalInstruction, pc: pc, value: word))
            return false
        }

        switch inst.family {
        case .lui:
            x[rd] = imm
        case .auipc:
            x[rd] = pc &+ imm
        case .jal:
            guard link(to: pc &+ imm) else { return false }
        case .jalr:
            guard link(to: ControlFlow.jalrTarget(a, Int32(bitPattern: imm))) else { return false }  // rs1 read before rd
        case .branch(let condition):
            if condition.holds(a, b) { guard jump(to: pc &+ imm) else { return false } }
        case .load(let width):
            guard let value = machine.load(a &+ imm, width: width, pc: pc) else { return false }
            x[rd] = value
        case .store(let width):
            guard machine.store(a &+ imm, width: width, value: b, pc: pc) else { return false }
        case .aluImmediate(let op):
            x[rd] = op.apply(a, imm)
        case .aluRegister(let op):
            x[rd] = op.apply(a, b)
        case .atomic(let op):
            guard let value = machine.atomic(op, address: a, operand: b, pc: pc) else { return false }
            x[rd] = value
        case .fence:
            break
        case .fenceI:
            machine.codeObserver?.instructionFence(machine)
        case .ecall:
            machine.environmentCall(pc: pc)
            if machine.kind == .linux { cpu.pointee.instret &+= 1 }
            hook.retired(pc: pc, word: word, cpu: cpu)
            return true
        case .ebreak:
            machine.breakpoint(pc: pc)
            return false
        case .csr(let op, let immediate):
            let access = CSRAccess(
                number: UInt16(truncatingIfNeeded: imm), operation: op, operand: immediate ? UInt32(inst.rs1) : a,
                sourceIsZero: inst.rs1 == 0)
            guard let old = machine.csr(
                access, pc: pc, word: word, instret: cpu.pointee.instret,
                virtualizeCounters: machine.privilegedPolicy == .translate)
            else { return false }
            x[rd] = old
        case .mret:
            let legal = machine.privileged.privilege == .machine
            machine.mret(pc: pc, word: word)
            guard legal else { return false }  // illegal below M-mode: trapped
            cpu.pointee.instret &+= 1
            hook.retired(pc: pc, word: word, cpu: cpu)
            return true
        case .sret:
            let legal = machine.sretIsLegal
            machine.sret(pc: pc, word: word)
            guard legal else { return false }  // illegal here: trapped
            cpu.pointee.instret &+= 1
            hook.retired(pc: pc, word: word, cpu: cpu)
            return true
        case .sfenceVMA:
            guard machine.sfenceVMA(address: inst.rs1 == 0 ? nil : a, asid: inst.rs2 == 0 ? nil : b, pc: pc, word: word)
            else { return false }
        case .wfi:
            guard machine.wfiIsLegal else { return illegal() }
            cpu.pointee.instret &+= 1
            cpu.pointee.pc = next
            machine.waitForInterrupt(pc: next)
            hook.retired(pc: pc, word: word, cpu: cpu)
            return true
        case .floatLoad(let width):
            guard FloatExecution.enabled(cpu) else { return illegal() }
            let address = a &+ imm
            let raw: UInt64
            if address & (width.size &- 1) == 0 || !machine.trapMisaligned, let value = FastAccess.loadFloat(cpu.pointee.memory, cpu.pointee.pageFlags, address, width) {
                raw = value
            } else {
                guard let value = machine.loadFloat(address, width: width, pc: pc) else { return false }
                raw = value
            }
            cpu.floatRegisters[Int(inst.rs2)] = width.box(raw)  // the f destination (see `Entry`)
            cpu.pointee.fs = 3
            cpu.pointee.floatInstructions &+= 1
        case .floatStore(let width):
            guard FloatExecution.enabled(cpu) else { return illegal() }
            let address = a &+ imm
            let value = cpu.floatRegisters[Int(inst.rs2)]
            // Aligned accesses never ask the machine about misalignment (a property read that
            // costs an exclusivity check here).
            if (address & (width.size &- 1) != 0 && machine.trapMisaligned)
                || !FastAccess.storeFloat(cpu.pointee.memory, cpu.pointee.pageFlags, address, width, value)
            {
                guard machine.storeFloat(address, width: width, value: value, pc: pc) else { return false }
            }
            cpu.pointee.floatInstructions &+= 1
        case .float(let op, let width):
            // rs3, rm and an f destination travel in the memo's immediate (see `DecodeCache.Entry`).
            guard FloatExecution.execute(
                op, width, cpu, rd: op.writesInteger ? rd : Int((imm >> 16) & 31), rs1: Int(inst.rs1), rs2: Int(inst.rs2),
                rs3: Int(imm & 0x1f), rm: UInt8(truncatingIfNeeded: imm >> 8))
            else { return illegal() }
        case .illegal:
            return illegal()
        }
        cpu.pointee.instret &+= 1
        cpu.pointee.pc = next
        hook.retired(pc: pc, word: word, cpu: cpu)
        return true
    }
}

/// Whether a loop counts its steps (bounded runs) or runs until the machine stops (`run`,
/// which then has no step bookkeeping at all).
protocol StepCounting { static var on: Bool { get } }
enum Counted: StepCounting { static var on: Bool { true } }
enum Uncounted: StepCounting { static var on: Bool { false } }

/// Instruction alignment as a type, so that the loop is specialised with a constant mask.
protocol InstructionAlignment { static var mask: UInt32 { get } }
/// IALIGN = 16 (the C extension).
enum HalfwordAligned: InstructionAlignment { static var mask: UInt32 { 1 } }
/// IALIGN = 32.
enum WordAligned: InstructionAlignment { static var mask: UInt32 { 3 } }

/// A direct-mapped memo of decoded instructions, one per machine.
enum DecodeCache {
    static let size = 8192

    /// What the loop needs of a decoded instruction, in 16 bytes.
    struct Entry {
        /// The 32 bits fetched at the pc (the key).
        var word: UInt32
        /// The immediate, the CSR number of a Zicsr instruction, or `rs3 | rm << 8 | rd << 16` of an
        /// F/D computation (`rd` here names an f register when the result is a float: `rd` below
        /// is for integer destinations). An F/D load keeps its f destination in `rs2`, which
        /// loads do not use. So `rd` below only ever names an integer register.
        var imm: UInt32
        var rd: UInt8
        var rs1: UInt8
        var rs2: UInt8
        var length: UInt8
        /// The flat dispatch index (see `Handler`).
        var handler: Handler
        var family: Family

        init(word: UInt32, _ inst: Instruction) {
            self.word = word
            if case .csr = inst.family {
                imm = UInt32(inst.csr)
            } else if case .float = inst.family {
                imm = UInt32(inst.rs3) | UInt32(inst.rm) << 8 | UInt32(inst.rd) << 16
            } else {
                imm = UInt32(bitPattern: inst.imm)
            }
            // The one place the interpreter handles x0: its writes go to a scratch register (f0,
            // a real register, travels elsewhere: see the float family).
            rd = inst.rd == 0 ? UInt8(CPUState.discardRegister) : inst.rd
            rs1 = inst.rs1
            if case .floatLoad = inst.family { rs2 = inst.rd } else { rs2 = inst.rs2 }
            length = inst.length
            handler = Handler(inst.family)
            family = inst.family
        }
    }

    /// A memo miss: decodes `fetched` into `slot`, or, for a 4-byte instruction in the last
    /// halfword of a page (which needs the next page too), into the scratch entry past the memo:
    /// such an instruction is never memoised (slots hold pages' same offsets), so every hit is
    /// an instruction that lies on one page. Nil when that second page cannot be fetched (the
    /// machine raised the trap). Out of line, so that the loop stays small; runs with the loop's
    /// `pc` written back.
    @inline(never)
    static func fill(
        _ slot: UnsafeMutablePointer<Entry>, _ machine: Machine, pc: UInt32, fetched: UInt32, halfwordAligned: Bool
    ) -> UnsafeMutablePointer<Entry>? {
        let entry = Entry(word: fetched, Decoder.shared.decode(fetched, isa: machine.isa))
        guard halfwordAligned && pc & 0xfff == 0xffe && entry.length == 4 else {
            slot.pointee = entry
            return slot
        }
        if !machine.canFetch(pc) {
            guard machine.fetch(pc) != nil else { return nil }
        }
        let straddling = entries(machine) + size
        straddling.pointee = entry
        return straddling
    }

    /// The machine's cache, made on first use and freed with the machine.
    static func entries(_ machine: Machine) -> UnsafeMutablePointer<Entry> {
        if let existing = machine.attachments["decode-cache"] as? Storage { return existing.entries }
        let storage = Storage()
        machine.attachments["decode-cache"] = storage
        return storage.entries
    }

    final class Storage {
        let entries: UnsafeMutablePointer<Entry>
        init() {
            entries = .allocate(capacity: DecodeCache.size + 1)
            // Bits 0 are illegal under every ISA, so an empty entry is already a correct memo.
            entries.initialize(repeating: Entry(word: 0, Decoder.shared.decode(0)), count: DecodeCache.size + 1)
        }
        deinit { entries.deallocate() }
    }
}
