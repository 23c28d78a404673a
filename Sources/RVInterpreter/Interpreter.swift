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
        _ = loop(machine, bounds: Bounds(maxSteps: .max, stopAtBlockEnd: false), hook: &hook)
    }

    /// Runs within `bounds`, telling `hook` of every retired instruction. Returns the number of
    /// instructions stepped (retired or trapped).
    @discardableResult
    public func execute<H: RetireHook>(_ machine: Machine, bounds: Bounds, hook: inout H) -> UInt64 {
        loop(machine, bounds: bounds, hook: &hook)
    }

    /// The loop itself, inlined into each caller so that constant bounds (the unbounded `run`)
    /// fold away together with their bookkeeping.
    @inline(__always)
    func loop<H: RetireHook>(_ machine: Machine, bounds: Bounds, hook: inout H) -> UInt64 {
        let cpu = machine.cpu
        let x = cpu.registers
        let memory = cpu.pointee.memory
        let flags = cpu.pointee.pageFlags
        let decoder = Decoder.shared
        let isa = machine.isa
        let alignMask = isa.instructionAlignment &- 1
        let decodeCache = DecodeCache.entries(machine)
        let trapMisaligned = machine.trapMisaligned
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
        }

        while steps < bounds.maxSteps {
            if instret >= limit {
                sync()
                guard machine.limitReached() else { return steps }
                reload()
            }
            // Fetch: the page must be executable and the address aligned (2 bytes with C, 4 without).
            guard pc & alignMask == 0, flags[Int(pc >> 12)] & PageFlag.execute != 0 else {
                sync()
                _ = machine.fetch(pc)  // raises the right trap
                reload()
                steps &+= 1
                continue
            }
            let fetched = UInt32(littleEndian: (memory + Int(pc)).loadUnaligned(as: UInt32.self))
            // A 4-byte instruction in the last halfword of a page needs the next page too.
            if pc & 0xfff == 0xffe && fetched & 3 == 3 && !machine.canFetch(pc) {
                sync()
                _ = machine.fetch(pc)
                reload()
                steps &+= 1
                continue
            }
            // The instruction's own bits: a compressed one is the low halfword.
            let word = Decoder.instructionBits(fetched)
            // Memoised decode keyed by pc and checked against the bits just fetched, so it is
            // always right, even for code that rewrites itself.
            let slot = decodeCache + Int((pc >> 1) & UInt32(DecodeCache.size - 1))
            let inst: Instruction
            if slot.pointee.word == word {
                inst = slot.pointee.inst
            } else {
                inst = decoder.decode(word, isa: isa)
                slot.pointee = DecodeCache.Entry(word: word, inst: inst)
            }
            let rd = Int(inst.rd)
            let a = x[Int(inst.rs1)]
            let b = x[Int(inst.rs2)]
            let imm = UInt32(bitPattern: inst.imm)
            let here = pc
            var next = inst.next(pc)
            steps &+= 1

            // One short case per family, each calling the shared semantics.
            switch inst.family {
            case .lui:
                x[rd] = imm
            case .auipc:
                x[rd] = pc &+ imm
            case .jal:
                let target = ControlFlow.relative(pc, inst.imm)
                guard target & alignMask == 0 else {
                    sync(); machine.raise(Trap(.misalignedFetch, pc: pc, value: target)); reload(); continue
                }
                x[rd] = next
                next = target
            case .jalr:
                let target = ControlFlow.jalrTarget(a, inst.imm)  // read rs1 before writing rd
                guard target & alignMask == 0 else {
                    sync(); machine.raise(Trap(.misalignedFetch, pc: pc, value: target)); reload(); continue
                }
                x[rd] = next
                next = target
            case .branch(let condition):
                if condition.holds(a, b) {
                    let target = ControlFlow.relative(pc, inst.imm)
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
                hook.retired(pc: here, word: word, inst: inst, cpu: cpu)
                if bounds.stopAtBlockEnd { return steps }
                continue
            case .ebreak:
                sync(); machine.breakpoint(pc: pc); reload(); continue
            case .csr(let op, let immediate):
                let access = CSRAccess(
                    number: inst.csr, operation: op, operand: immediate ? UInt32(inst.rs1) : a, sourceIsZero: inst.rs1 == 0)
                sync()
                guard let old = machine.csr(
                    access, pc: pc, word: word, instret: instret, virtualizeCounters: machine.privilegedPolicy == .translate)
                else { reload(); continue }
                x[rd] = old
                limit = cpu.pointee.limit  // writes to mstatus, mie, ... ask for an interrupt check
            case .mret:
                let legal = machine.privileged.privilege == .machine
                sync()
                machine.mret(pc: here, word: word)
                guard legal else { reload(); continue }  // illegal below M-mode: trapped
                instret &+= 1
                pc = cpu.pointee.pc
                limit = cpu.pointee.limit
                hook.retired(pc: here, word: word, inst: inst, cpu: cpu)
                if bounds.stopAtBlockEnd { sync(); return steps }
                continue
            case .wfi:
                instret &+= 1
                pc = next
                sync()
                machine.waitForInterrupt(pc: pc)
                limit = cpu.pointee.limit
                hook.retired(pc: here, word: word, inst: inst, cpu: cpu)
                if bounds.stopAtBlockEnd { return steps }
                continue
            case .floatLoad, .floatStore, .illegal:
                sync(); machine.raise(Trap(.illegalInstruction, pc: pc, value: word)); reload(); continue
            }
            x[0] = 0  // the one place x0 is kept zero: every write above may have hit it
            instret &+= 1
            pc = next
            hook.retired(pc: here, word: word, inst: inst, cpu: cpu)
            if bounds.stopAtBlockEnd && inst.endsBlock {
                sync()
                return steps
            }
        }
        sync()
        return steps
    }
}

/// A direct-mapped memo of decoded instructions, one per machine.
enum DecodeCache {
    static let size = 4096

    struct Entry {
        var word: UInt32
        var inst: Instruction
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
            entries = .allocate(capacity: DecodeCache.size)
            // Bits 0 are illegal under every ISA, so an empty entry is already a correct memo.
            entries.initialize(repeating: Entry(word: 0, inst: Decoder.shared.decode(0)), count: DecodeCache.size)
        }
        deinit { entries.deallocate() }
    }
}
