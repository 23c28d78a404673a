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

    /// Runs until the machine stops.
    public func run(_ machine: Machine) {
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
        let decoder = Decoder.shared
        let isa = machine.isa
        let alignMask = A.mask
        let decodeCache = DecodeCache.entries(machine)
        let straddling = decodeCache + DecodeCache.size  // scratch entry past the memo
        let trapMisaligned = machine.trapMisaligned
        let trail = machine.trail.entries  // jumps (calls, returns): the blocks entered, for fault reports
        var pc = cpu.pointee.pc
        var instret = cpu.pointee.instret
        var steps: UInt64 = 0
        // The limit changes only inside the machine's slow paths, after which it is reloaded.
        var limit = cpu.pointee.limit

        @inline(__always) func sync() {
            cpu.pointee.pc = pc
            cpu.pointee.instret = instret
        }
        @inline(__always) func reload() {
            pc = cpu.pointee.pc
            instret = cpu.pointee.instret
            limit = cpu.pointee.limit
            flags = cpu.pointee.pageFlags
        }

        while !S.on || steps < bounds.maxSteps {
            if instret >= limit {
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
                let entry = DecodeCache.Entry(word: fetched, decoder.decode(fetched, isa: isa))
                if A.mask == 1 && pc & 0xfff == 0xffe && entry.length == 4 {
                    // A 4-byte instruction in the last halfword of a page needs the next page
                    // too. It is never memoised (slots hold pages' same offsets), so every hit
                    // is an instruction that lies on one page.
                    if !machine.canFetch(pc) {
                        sync()
                        guard machine.fetch(pc) != nil else {
                            reload()
                            if S.on { steps &+= 1 }
                            continue
                        }
                    }
                    straddling.pointee = entry
                    slot = straddling
                } else {
                    slot.pointee = entry
                }
            }
            let inst = slot.pointee
            // The instruction's own bits (a compressed one is the low halfword): traps and hooks.
            let word = Decoder.instructionBits(fetched)
            let rd = Int(inst.rd)
            let a = x[Int(inst.rs1)]
            let b = x[Int(inst.rs2)]
            let imm = inst.imm
            let here = pc
            var next = pc &+ UInt32(inst.length)
            if S.on { steps &+= 1 }

            // One short case per family, each calling the shared semantics.
            switch inst.family {
            case .lui:
                x[rd] = imm
            case .auipc:
                x[rd] = pc &+ imm
            case .jal:
                let target = pc &+ imm
                guard target & alignMask == 0 else {
                    sync(); machine.raise(Trap(.misalignedFetch, pc: pc, value: target)); reload(); continue
                }
                x[rd] = next
                next = target
                BlockTrail.record(trail, target)
            case .jalr:
                let target = ControlFlow.jalrTarget(a, Int32(bitPattern: imm))  // read rs1 before writing rd
                guard target & alignMask == 0 else {
                    sync(); machine.raise(Trap(.misalignedFetch, pc: pc, value: target)); reload(); continue
                }
                x[rd] = next
                next = target
                BlockTrail.record(trail, target)
            case .branch(let condition):
                if condition.holds(a, b) {
                    let target = pc &+ imm
                    guard target & alignMask == 0 else {
                        sync(); machine.raise(Trap(.misalignedFetch, pc: pc, value: target)); reload(); continue
                    }
                    next = target
                }
            case .load(let width):
                let address = a &+ imm
                if !trapMisaligned, let value = FastAccess.load(memory, flags, address, width) {
                    x[rd] = value
                } else {
                    sync()
                    guard let value = machine.load(address, width: width, pc: pc) else { reload(); continue }
                    x[rd] = value
                }
            case .store(let width):
                let address = a &+ imm
                if trapMisaligned || !FastAccess.store(memory, flags, address, width, b) {
                    sync()
                    guard machine.store(address, width: width, value: b, pc: pc) else { reload(); continue }
                    limit = cpu.pointee.limit  // a device store may halt or move a deadline
                }
            case .aluImmediate(let op):
                x[rd] = op.apply(a, imm)
            case .aluRegister(let op):
                x[rd] = op.apply(a, b)
            case .atomic(let op):
                sync()
                guard let value = machine.atomic(op, address: a, operand: b, pc: pc) else { reload(); continue }
                x[rd] = value
            case .fence:
                break
            case .fenceI:
                sync()
                machine.codeObserver?.instructionFence(machine)
            case .ecall:
                sync()
                machine.environmentCall(pc: here)
                if machine.kind == .linux { cpu.pointee.instret &+= 1 }
                reload()
                hook.retired(pc: here, word: word, cpu: cpu)
                if bounds.stopAtBlockEnd { return steps }
                continue
            case .ebreak:
                sync(); machine.breakpoint(pc: pc); reload(); continue
            case .csr(let op, let immediate):
                let access = CSRAccess(
                    number: UInt16(truncatingIfNeeded: imm), operation: op, operand: immediate ? UInt32(inst.rs1) : a,
                    sourceIsZero: inst.rs1 == 0)
                sync()
                guard let old = machine.csr(
                    access, pc: pc, word: word, instret: instret, virtualizeCounters: machine.privilegedPolicy == .translate)
                else { reload(); continue }
                x[rd] = old
                limit = cpu.pointee.limit  // writes to mstatus, mie, ... ask for an interrupt check
                flags = cpu.pointee.pageFlags  // writes to satp, mstatus may switch translation
            case .mret:
                let legal = machine.privileged.privilege == .machine
                sync()
                machine.mret(pc: here, word: word)
                guard legal else { reload(); continue }  // illegal below M-mode: trapped
                instret &+= 1
                pc = cpu.pointee.pc
                limit = cpu.pointee.limit
                flags = cpu.pointee.pageFlags
                hook.retired(pc: here, word: word, cpu: cpu)
                if bounds.stopAtBlockEnd { sync(); return steps }
                continue
            case .sret:
                let legal = machine.sretIsLegal
                sync()
                machine.sret(pc: here, word: word)
                guard legal else { reload(); continue }
                instret &+= 1
                pc = cpu.pointee.pc
                limit = cpu.pointee.limit
                flags = cpu.pointee.pageFlags
                hook.retired(pc: here, word: word, cpu: cpu)
                if bounds.stopAtBlockEnd { sync(); return steps }
                continue
            case .sfenceVMA:
                sync()
                guard machine.sfenceVMA(
                    address: inst.rs1 == 0 ? nil : a, asid: inst.rs2 == 0 ? nil : b, pc: pc, word: word)
                else { reload(); continue }
            case .wfi:
                guard machine.wfiIsLegal else {
                    sync(); machine.raise(Trap(.illegalInstruction, pc: pc, value: word)); reload(); continue
                }
                instret &+= 1
                pc = next
                sync()
                machine.waitForInterrupt(pc: pc)
                limit = cpu.pointee.limit
                hook.retired(pc: here, word: word, cpu: cpu)
                if bounds.stopAtBlockEnd { return steps }
                continue
            case .floatLoad(let width):
                guard FloatExecution.enabled(cpu) else {
                    sync(); machine.raise(Trap(.illegalInstruction, pc: pc, value: word)); reload(); continue
                }
                let address = a &+ imm
                let raw: UInt64
                if !trapMisaligned, let value = FastAccess.loadFloat(memory, flags, address, width) {
                    raw = value
                } else {
                    sync()
                    guard let value = machine.loadFloat(address, width: width, pc: pc) else { reload(); continue }
                    raw = value
                }
                cpu.floatRegisters[Int(inst.rs2)] = width.box(raw)  // the f destination (see `Entry`)
                cpu.pointee.fs = 3
                cpu.pointee.floatInstructions &+= 1
            case .floatStore(let width):
                guard FloatExecution.enabled(cpu) else {
                    sync(); machine.raise(Trap(.illegalInstruction, pc: pc, value: word)); reload(); continue
                }
                let address = a &+ imm
                let value = cpu.floatRegisters[Int(inst.rs2)]
                if trapMisaligned || !FastAccess.storeFloat(memory, flags, address, width, value) {
                    sync()
                    guard machine.storeFloat(address, width: width, value: value, pc: pc) else { reload(); continue }
                    limit = cpu.pointee.limit
                }
                cpu.pointee.floatInstructions &+= 1
            case .float(let op, let width):
                // rs3, rm and an f destination travel in the memo's immediate (see `DecodeCache.Entry`).
                guard FloatExecution.execute(
                    op, width, cpu, rd: op.writesInteger ? rd : Int((imm >> 16) & 31), rs1: Int(inst.rs1), rs2: Int(inst.rs2),
                    rs3: Int(imm & 0x1f), rm: UInt8(truncatingIfNeeded: imm >> 8))
                else {
                    sync(); machine.raise(Trap(.illegalInstruction, pc: pc, value: word)); reload(); continue
                }
            case .illegal:
                sync(); machine.raise(Trap(.illegalInstruction, pc: pc, value: word)); reload(); continue
            }
            instret &+= 1
            pc = next
            hook.retired(pc: here, word: word, cpu: cpu)
            if bounds.stopAtBlockEnd && inst.family.endsBlock {
                sync()
                return steps
            }
        }
        sync()
        return steps
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
            family = inst.family
        }
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
