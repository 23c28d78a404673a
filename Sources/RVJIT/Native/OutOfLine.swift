import RISCV
import RVMachine

/// IR operations the native tier runs out of line: CSR accesses, `mret`/`sret`/`wfi`/
/// `sfence.vma` (under `--privileged translate`), floating point and atomics.
///
/// Each gets the closure tier's own handler in a slot of its own, followed by a `resume` slot;
/// native code stores what the handler must see, calls it through `NativeRuntime.step` and
/// reloads what it may have written. So these operations have one meaning in every executor
/// (the handlers call the machine's shared semantics) and the same precise-state rules as in
/// the closure tier: the slot carries the instruction's pc, size and un-retired count.
enum OutOfLine {
    /// The slot that runs `inst` out of line, or nil when it has an inline form.
    static func slot(for inst: IRInstruction, block: IRBlock, sizes: [UInt8], options: CompileOptions) -> Slot? {
        let back = UInt16(truncatingIfNeeded: block.length - inst.index)
        let size = sizes[safe: inst.index] ?? 0
        func make(_ h: Handler, a: UInt32 = 0, b: UInt32 = 0, c: UInt32 = 0, d: UInt32 = 0) -> Slot {
            Slot(h, a: a, b: b, c: c, d: d, pc: inst.pc, back: back, size: size)
        }
        /// A register index for an operand: constant 0 is `x0`; other constants go to the
        /// closure compiler's scratch temporaries (`constants` says which; native code stores them).
        func register(_ v: IRValue, _ scratch: UInt32) -> UInt32 {
            v.slotIndex ?? (v.constant == 0 ? 0 : scratch)
        }
        /// base + offset as the closure compiler folds it: a constant base goes into the offset.
        func address(_ base: IRValue, _ offset: Int32) -> (UInt32, UInt32)? {
            if let k = base.constant { return (0, k &+ UInt32(bitPattern: offset)) }
            return base.slotIndex.map { ($0, UInt32(bitPattern: offset)) }
        }
        switch inst.op {
        case .atomic(let op, let d, let addressValue, let value):
            return make(Handlers.atomic(op), a: d.slotIndex ?? 0, b: register(addressValue, ClosureCompiler.scratch),
                        c: register(value, ClosureCompiler.secondScratch))
        case .floatLoad(let w, let d, let base, let offset, let word):
            guard let (rb, k) = address(base, offset) else { return nil }
            return make(Handlers.floatLoad(w, checked: options.trapMisaligned), a: UInt32(d), b: rb, c: k, d: word)
        case .floatStore(let w, let v, let base, let offset, let word):
            guard let (rb, k) = address(base, offset) else { return nil }
            return make(Handlers.floatStore(w, checked: options.trapMisaligned), a: UInt32(v), b: rb, c: k, d: word)
        case .float(let f):
            let rd = f.intDestination.map { $0.slotIndex ?? 32 + UInt32(IRPass.discardTemp) } ?? UInt32(f.fd)
            let rs1 = f.intSource.map { register($0, ClosureCompiler.scratch) } ?? UInt32(f.fs1)
            return make(Handlers.float(f.op, f.width), a: rd | rs1 << 8 | UInt32(f.fs2) << 16 | UInt32(f.fs3) << 24,
                        b: UInt32(f.rm), d: f.word)
        case .system(let s, let word):
            guard options.policy == .translate else { return nil }
            switch s {
            case .csr(let i): return make(Handlers.csrVirtual, a: UInt32(i.rd), b: UInt32(i.rs1), c: ClosureCompiler.csrOperand(i), d: word)
            case .mret: return make(Handlers.mret, d: word)
            case .sret: return make(Handlers.sret, d: word)
            case .wfi: return make(Handlers.wfi, d: word)
            case .sfenceVMA(let rs1, let rs2): return make(Handlers.sfenceVMA, a: UInt32(rs1), b: UInt32(rs2), d: word)
            case .ecall, .ebreak, .fenceI, .illegal: return nil  // inline: an exit to the monitor
            }
        case .move, .alu, .load, .store, .branch, .jump, .jumpIndirect:
            return nil
        }
    }

    /// The constants the slot of `inst` reads from scratch temporaries (`CPUState.x` index,
    /// value): to be stored before it runs.
    static func constants(_ inst: IRInstruction) -> [(index: UInt32, value: UInt32)] {
        func scratch(_ v: IRValue, _ index: UInt32) -> [(index: UInt32, value: UInt32)] {
            guard let k = v.constant, k != 0 else { return [] }
            return [(index, k)]
        }
        switch inst.op {
        case .atomic(_, _, let address, let value):
            return scratch(address, ClosureCompiler.scratch) + scratch(value, ClosureCompiler.secondScratch)
        case .float(let f):
            return f.intSource.map { scratch($0, ClosureCompiler.scratch) } ?? []
        default:
            return []
        }
    }

    /// Whether `inst` runs out of line (see `slot`).
    static func runs(_ inst: IRInstruction, block: IRBlock, options: CompileOptions) -> Bool {
        slot(for: inst, block: block, sizes: [], options: options) != nil
    }

    /// The slot after an out-of-line one: the handler went on, so it hands itself back to `step`.
    static let resume: Handler = { p, _ in p }
}
