import RISCV
import RVMachine

/// Options that shape translations (the code cache is built for one set and never mixes them).
public struct CompileOptions: Sendable {
    public var policy: PrivilegedPolicy = .translate
    public var trapMisaligned = false
    /// Count block executions (profiles, exec traces).
    public var countExecutions = false
    /// Call the JIT's block hook at every entry (exec traces).
    public var blockHook = false
    /// Call the JIT's retire hook after every guest instruction (insns traces).
    public var retireHook = false
    /// Fused handlers for hot pairs, branch fall-through exits and self-loops.
    public var superinstructions = true
    /// Guest pcs `[low, high)` the block and retire hooks are for (`--trace-range`): blocks
    /// outside it are compiled without hooks and run at full speed. Nil: every block.
    public var hookRange: (low: UInt32, high: UInt32)? = nil

    /// Whether the hooks apply to a block covering `[pc, end)`.
    public func hooks(_ pc: UInt32, _ end: UInt32) -> Bool {
        guard let r = hookRange else { return true }
        return pc < r.high && end > r.low
    }
    /// Blocks may be linked to each other (self-loops are linked at translation).
    public var chaining = true
    /// The machine's extensions (alignment of jump targets depends on C).
    public var isa: ISA = .implemented
    public init() {}
}

/// IR → slots. Chooses one closure shape per operation form; operands that became constants
/// select immediate forms, so nothing is decided while the block runs.
public struct ClosureCompiler {
    public var options: CompileOptions
    public init(options: CompileOptions) { self.options = options }

    /// Scratch temporary for constants that an operation form cannot take as an immediate.
    static let scratch: UInt32 = 32 + 30

    /// `promoteAfter`: the block is a candidate for the native tier; its entry counts down from
    /// this many executions and then asks the JIT to compile it again natively.
    public func compile(_ block: IRBlock, promoteAfter: UInt32? = nil) -> CompiledBlock {
        var slots: [Slot] = []
        var shapes: [String] = []
        var exits: [(Int, UInt32)] = []
        let length = UInt32(block.length)
        let sizes = Self.sizes(block)

        func emit(_ h: Handler, _ shape: String, a: UInt32 = 0, b: UInt32 = 0, c: UInt32 = 0, d: UInt32 = 0, at inst: IRInstruction) {
            let back = UInt16(truncatingIfNeeded: length &- UInt32(inst.index))
            slots.append(Slot(h, a: a, b: b, c: c, d: d, pc: inst.pc, back: back, size: sizes[safe: inst.index] ?? 0))
            shapes.append(shape)
        }
        /// A register index for an operand, materialising a constant into the scratch temp
        /// (constant 0 is x0, which is always 0).
        func register(_ v: IRValue, at inst: IRInstruction) -> UInt32 {
            if let i = v.slotIndex { return i }
            let k = v.constant ?? 0
            if k == 0 { return 0 }
            emit(Handlers.moveImmediate, "move.imm", a: Self.scratch, c: k, at: inst)
            return Self.scratch
        }
        /// base + offset, folding a constant base into the offset.
        func address(_ base: IRValue, _ offset: Int32, at inst: IRInstruction) -> (UInt32, UInt32) {
            if let k = base.constant { return (0, k &+ UInt32(bitPattern: offset)) }
            return (register(base, at: inst), UInt32(bitPattern: offset))
        }

        let entry = IRInstruction(.jump(target: block.pc), index: 0, pc: block.pc)
        let endPC = block.endPC
        let hooked = options.hooks(block.pc, endPC)
        let retireHook = options.retireHook && hooked
        let blockHook = options.blockHook && hooked
        let counted = options.countExecutions || options.blockHook
        // `a` = 1 marks a plain entry, which chained exits perform themselves (Handlers.exit).
        if let countdown = promoteAfter {
            emit(Handlers.enterPromoting, "enter.promoting", b: countdown, c: length, at: entry)
        } else {
            emit(counted ? Handlers.enterCounted : Handlers.enter, counted ? "enter.counted" : "enter",
                 a: counted ? 0 : 1, c: length, d: blockHook ? 1 : 0, at: entry)
        }

        // With instruction tracing, a retire slot follows each guest instruction's effects and
        // precedes its exits; instructions the monitor emulates are traced by the interpreter.
        var pendingRetire: Int? = nil
        var traced = Set<Int>()
        var lastIndex = -1
        // Superinstructions only where nothing needs to observe the operations one by one.
        let fuse = !retireHook && options.superinstructions
        // Loops back to the block's own start skip its entry slot, so not when entries are counted.
        let selfLoops = fuse && !counted && options.chaining && promoteAfter == nil
        var selfLinks: [Int] = []
        var skip = 0
        for (n, inst) in block.ops.enumerated() {
            if skip > 0 {
                skip -= 1
                continue
            }
            if retireHook {
                if let p = pendingRetire, p != inst.index {
                    retire(block, p, &slots, &shapes, length)
                    traced.insert(p)
                }
                // Instructions that lowered to no operation (a write to x0, fence) retire too.
                for k in (lastIndex + 1)..<max(lastIndex + 1, inst.index) where !traced.contains(k) {
                    retire(block, k, &slots, &shapes, length)
                    traced.insert(k)
                }
                lastIndex = max(lastIndex, inst.index)
                pendingRetire = traced.contains(inst.index) ? nil : inst.index
                switch inst.op {
                case .branch, .jump:
                    if case .branch = inst.op, let taken = block.ops[safe: n + 1], taken.index == inst.index,
                        case .jumpIndirect = taken.op
                    {
                        // A branch to a misaligned target (see `Lowering`) retires only when not
                        // taken: the monitor runs it, and the interpreter traces it if it retires.
                        traced.insert(inst.index)
                        pendingRetire = nil
                        emit(Handlers.monitor, "exit.monitor", d: 0, at: inst)
                        skip = 1
                        continue
                    }
                    if let p = pendingRetire {
                        retire(block, p, &slots, &shapes, length)
                        traced.insert(p)
                    }
                    pendingRetire = nil
                case .jumpIndirect, .system:
                    traced.insert(inst.index)
                    pendingRetire = nil
                default: break
                }
            }
            // A load or store next to an ALU operation, in one closure (not when misaligned
            // accesses must trap: these closures use the plain fast path).
            if fuse && !options.trapMisaligned, let next = block.ops[safe: n + 1] {
                if let m = MemoryOperation(inst.op), let alu = SimpleALU(next.op), !Self.startsALUBranch(block.ops, at: n + 1),
                    let h = m.isLoad ? Handlers.loadThenALU(m.width, alu.op, register: alu.yIsRegister)
                        : Handlers.storeThenALU(m.width, alu.op, register: alu.yIsRegister)
                {
                    emit(h, "\(m.shape)+\(alu.shape)", a: m.register | m.base << 8 | alu.rd << 16 | alu.rs << 24, c: m.offset, d: alu.y, at: inst)
                    skip = 1
                    continue
                }
                if let alu = SimpleALU(inst.op), let m = MemoryOperation(next.op),
                    let h = m.isLoad ? Handlers.loadAfterALU(m.width, alu.op, register: alu.yIsRegister)
                        : Handlers.storeAfterALU(m.width, alu.op, register: alu.yIsRegister)
                {
                    // The slot is the memory operation's: only it can fault.
                    emit(h, "\(alu.shape)+\(m.shape)", a: alu.rd | alu.rs << 8 | m.register << 16 | m.base << 24, c: alu.y, d: m.offset, at: next)
                    skip = 1
                    continue
                }
            }
            // Two ALU operations (moves included) in one closure, unless the second belongs to
            // an ALU+branch pair below.
            if fuse, let first = SimpleALU(inst.op), let nextOp = block.ops[safe: n + 1]?.op, let second = SimpleALU(nextOp),
                !Self.startsALUBranch(block.ops, at: n + 1),
                let h = Handlers.aluPair(first.op, register1: first.yIsRegister, second.op, register2: second.yIsRegister)
            {
                emit(h, "\(first.shape)+\(second.shape)",
                     a: first.rd | first.rs << 8 | second.rd << 16 | second.rs << 24, c: first.y, d: second.y, at: inst)
                skip = 1
                continue
            }
            switch inst.op {
            case .move(let d, .const(let k)):
                emit(Handlers.moveImmediate, "move.imm", a: d.slotIndex ?? 0, c: k, at: inst)
            case .move(let d, let s):
                emit(Handlers.moveRegister, "move.reg", a: d.slotIndex ?? 0, b: register(s, at: inst), at: inst)
            case .alu(let op, let d, let a, let b):
                var (x, y) = (a, b)
                if x.constant != nil && y.constant == nil && op.isCommutative { swap(&x, &y) }
                let next = block.ops[safe: n + 1]
                if fuse, let rd = d.slotIndex, let r1 = x.slotIndex,
                    case .branch(let cond, let ba, let bb, let target)? = next?.op,
                    let ra = Self.comparand(ba), let rb = Self.comparand(bb),
                    let h = Handlers.aluThenBranch(
                        op, register: y.constant == nil, cond, loop: selfLoops && target == block.pc,
                        side: !Self.isJump(block.ops[safe: n + 2]?.op))
                {
                    // The slot leaves from the branch, so it carries the branch's pc and count.
                    let branchInst = block.ops[n + 1]
                    let loops = selfLoops && target == block.pc
                    let side = !Self.isJump(block.ops[safe: n + 2]?.op)
                    if loops { selfLinks.append(slots.count) } else { exits.append((slots.count, target)) }
                    let k = y.constant
                    emit(h, "\(op.name).\(k == nil ? "reg" : "imm")+\(loops ? "loop" : side ? "side" : "branch").\(cond.name)",
                         a: rd | r1 << 8 | ra << 16 | rb << 24, b: y.slotIndex ?? 0, c: k ?? 0, d: target, at: branchInst)
                    skip = 1
                    break
                }
                let rx = register(x, at: inst)
                if let k = y.constant {
                    emit(Handlers.aluImmediate(op), "\(op.name).imm", a: d.slotIndex ?? 0, b: rx, c: k, at: inst)
                } else {
                    emit(Handlers.aluRegister(op), "\(op.name).reg", a: d.slotIndex ?? 0, b: rx, c: y.slotIndex ?? 0, at: inst)
                }
            case .load(let w, let d, let base, let off):
                let (rb, k) = address(base, off, at: inst)
                let h = options.trapMisaligned ? Handlers.loadChecked(w) : Handlers.load(w)
                emit(h, "load.\(w.name)", a: d.slotIndex ?? 0, b: rb, c: k, at: inst)
            case .store(let w, let v, let base, let off):
                let rv = register(v, at: inst)
                let (rb, k) = address(base, off, at: inst)
                let h = options.trapMisaligned ? Handlers.storeChecked(w) : Handlers.store(w)
                emit(h, "store.\(w.name)", a: rv, b: rb, c: k, at: inst)
            case .branch(let cond, let a, let b, let target):
                let ra = register(a, at: inst)
                // Followed by its own fall-through exit (as lowering emits it): both ways out are direct.
                let fallsThrough: Bool
                if fuse, case .jump? = block.ops[safe: n + 1]?.op { fallsThrough = true } else { fallsThrough = false }
                let loops = selfLoops && fallsThrough && target == block.pc
                if loops { selfLinks.append(slots.count) } else { exits.append((slots.count, target)) }
                if loops, let k = b.constant, k != 0 {
                    emit(Handlers.loopImmediate(cond), "loop.\(cond.name).imm", a: ra, c: k, d: target, at: inst)
                } else if loops {
                    emit(Handlers.loop(cond), "loop.\(cond.name)", a: ra, b: b.slotIndex ?? 0, d: target, at: inst)
                } else if let k = b.constant, k != 0 {
                    emit(fallsThrough ? Handlers.branchImmediateOrFallThrough(cond) : Handlers.branchImmediate(cond),
                         "branch.\(cond.name).imm", a: ra, c: k, d: target, at: inst)
                } else {
                    emit(fallsThrough ? Handlers.branchOrFallThrough(cond) : Handlers.branch(cond),
                         "branch.\(cond.name)", a: ra, b: b.slotIndex ?? 0, d: target, at: inst)
                }
            case .jump(let target):
                exits.append((slots.count, target))
                emit(Handlers.jump, "exit.jump", d: target, at: inst)
            case .jumpIndirect(let base, let off, let link, let value):
                let (rb, k) = address(base, off, at: inst)
                if retireHook {
                    // Traced runs leave after the link write so the retire hook sees it.
                    emit(Handlers.monitor, "exit.monitor", d: 0, at: inst)
                } else {
                    let h = options.isa.contains(.c) ? Handlers.jumpIndirectCompressed : Handlers.jumpIndirect
                    emit(h, "exit.indirect", a: link?.slotIndex ?? 0, b: rb, c: k, d: value, at: inst)
                }
            case .atomic(let op, let d, let address, let value):
                emit(Handlers.atomic(op), "atomic.\(op.name)", a: d.slotIndex ?? 0, b: register(address, at: inst),
                     c: register(value, at: inst), at: inst)
            case .floatLoad(let w, let d, let base, let off, let word):
                let (rb, k) = address(base, off, at: inst)
                emit(Handlers.floatLoad(w, checked: options.trapMisaligned), "fload.\(w)", a: UInt32(d), b: rb, c: k, d: word, at: inst)
            case .floatStore(let w, let v, let base, let off, let word):
                let (rb, k) = address(base, off, at: inst)
                emit(Handlers.floatStore(w, checked: options.trapMisaligned), "fstore.\(w)", a: UInt32(v), b: rb, c: k, d: word, at: inst)
            case .float(let f):
                let rd = f.intDestination.map { $0.slotIndex ?? 32 + UInt32(IRPass.discardTemp) } ?? UInt32(f.fd)
                let rs1 = f.intSource.map { register($0, at: inst) } ?? UInt32(f.fs1)
                emit(Handlers.float(f.op, f.width), "\(f.op.name).\(f.width.letter)",
                     a: rd | rs1 << 8 | UInt32(f.fs2) << 16 | UInt32(f.fs3) << 24, b: UInt32(f.rm), d: f.word, at: inst)
            case .system(let op, let word):
                compileSystem(op, word: word, inst: inst, retireHook: retireHook, emit: emit)
            }
        }
        let compiled = CompiledBlock(
            pc: block.pc, endPC: block.endPC, length: block.length, tier: .closure, slots: slots, exits: exits, shapes: shapes)
        // Loop branches are chained to their own block from the start (and die with it).
        for i in selfLinks { compiled.slots[i].link = compiled.entry }
        return compiled
    }

    /// A Zicsr slot's `c`: CSR number | CSROp << 16 | immediate << 20 (see `Handlers.csr`).
    static func csrOperand(_ i: Instruction) -> UInt32 {
        guard case .csr(let op, let immediate) = i.family else { return UInt32(i.csr) }
        return UInt32(i.csr) | UInt32(op.rawValue) << 16 | (immediate ? 1 << 20 : 0)
    }

    /// Whether ops[n] is an ALU operation that the ALU+branch superinstruction will take.
    static func startsALUBranch(_ ops: [IRInstruction], at n: Int) -> Bool {
        guard case .alu(let op, let d, let x, let y)? = ops[safe: n]?.op, d.slotIndex != nil, x.slotIndex != nil,
            case .branch(let cond, let a, let b, _)? = ops[safe: n + 1]?.op, comparand(a) != nil, comparand(b) != nil,
            Handlers.aluThenBranch(op, register: y.constant == nil, cond, loop: false, side: false) != nil
        else { return false }
        return true
    }

    /// A branch comparand as a register index: constant 0 is `x0`, which always holds 0.
    static func comparand(_ v: IRValue) -> UInt32? {
        if let i = v.slotIndex { return i }
        return v.constant == 0 ? 0 : nil
    }

    static func isJump(_ op: IROp?) -> Bool {
        if case .jump? = op { return true }
        return false
    }

    private func retire(_ block: IRBlock, _ index: Int, _ slots: inout [Slot], _ shapes: inout [String], _ length: UInt32) {
        let pc = block.pcs[safe: index] ?? block.pc
        let back = UInt16(truncatingIfNeeded: length &- UInt32(index) &- 1)
        slots.append(Slot(Handlers.retire, pc: pc, back: back, size: Self.sizes(block)[safe: index] ?? 0))
        shapes.append("retire")
    }

    /// The size of each guest instruction of a block, from its pcs.
    static func sizes(_ block: IRBlock) -> [UInt8] {
        block.pcs.indices.map { k in
            UInt8(truncatingIfNeeded: (block.pcs[safe: k + 1] ?? block.endPC) &- block.pcs[k])
        }
    }

    private func compileSystem(
        _ op: SystemOp, word: UInt32, inst: IRInstruction, retireHook: Bool,
        emit: (Handler, String, UInt32, UInt32, UInt32, UInt32, IRInstruction) -> Void
    ) {
        switch (op, options.policy) {
        case (.csr(let i), .translate) where !retireHook:
            emit(Handlers.csrVirtual, "csr.virtual", UInt32(i.rd), UInt32(i.rs1), Self.csrOperand(i), word, inst)
        case (.csr(let i), .trap) where i.isCounterRead && !retireHook:
            // Not privileged, so a trap-and-emulate monitor never sees it: it runs "natively".
            emit(Handlers.csrHost, "csr.host", UInt32(i.rd), UInt32(i.rs1), Self.csrOperand(i), word, inst)
        case (.mret, .translate) where !retireHook:
            emit(Handlers.mret, "exit.mret", 0, 0, 0, word, inst)
        case (.wfi, .translate) where !retireHook:
            emit(Handlers.wfi, "exit.wfi", 0, 0, 0, word, inst)
        case (.sret, .translate) where !retireHook:
            emit(Handlers.sret, "exit.sret", 0, 0, 0, word, inst)
        case (.sfenceVMA(let address, let asid), .translate) where !retireHook:
            emit(Handlers.sfenceVMA, "exit.sfence", UInt32(address), UInt32(asid), 0, word, inst)
        default:
            emit(Handlers.monitor, "exit.monitor", 0, 0, 0, word, inst)
        }
    }
}
