/// (d) rvjit's production shape: a block is an array of 40-byte slots, each a context-free
/// `@convention(c)` handler plus the operands it reads. A handler does its work and calls the
/// next slot's handler as its last act, which the optimiser turns into a jump; an exit slot
/// jumps straight into its successor block's first operation (chaining), doing the count,
/// limit and budget check that block's entry slot would do. A trampoline calls whatever slot
/// comes back (the budget ran out) until a handler returns nil (halt).
///
/// Every way out of a handler is a call, at most one of them indirect (the next handler);
/// second ways out go through direct calls to out-of-line helpers. That is what lets LLVM emit
/// `jmp` for all of them (see the README for the disassembly check).
enum ThreadedShape {
    static func compile(_ program: Program) -> (UnsafeMutableRawPointer) -> UInt64 {
        SlotCompiler(program, chain: true, fuse: false).runner()
    }
}

struct Slot {
    var handler: Handler
    /// Exits: the successor's entry slot once chained (nil: back to the dispatcher).
    var link: UnsafeMutableRawPointer?
    var a: UInt32 = 0, b: UInt32 = 0, c: UInt32 = 0, d: UInt32 = 0
    var pc: UInt32 = 0, back: UInt32 = 0  // unused here; keeps rvjit's 40-byte slot size
}

typealias Handler = @convention(c) (UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> UnsafeMutableRawPointer?

@inline(__always)
func slot(_ p: UnsafeMutableRawPointer) -> UnsafeMutablePointer<Slot> { p.assumingMemoryBound(to: Slot.self) }

/// The tail call to the next slot.
@inline(__always)
func next(_ s: UnsafeMutablePointer<Slot>, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
    let n = s + 1
    return n.pointee.handler(UnsafeMutableRawPointer(n), c)
}

enum SlotHandlers {
    /// Block entry: counts the block (`c` = its length), checks the limit and spends the budget.
    static let enter: Handler = { p, c in
        let s = slot(p), h = header(c)
        let n = h.pointee.instret &+ UInt64(s.pointee.c)
        if n > h.pointee.limit || h.pointee.budget == 0 { return toTrampoline(p) }
        h.pointee.budget &-= 1
        h.pointee.instret = n
        return next(s, c)
    }

    static let add: Handler = { p, c in
        let s = slot(p), x = regs(c)
        x[Int(s.pointee.a)] = x[Int(s.pointee.b)] &+ x[Int(s.pointee.c)]
        return next(s, c)
    }

    static let addImmediate: Handler = { p, c in
        let s = slot(p), x = regs(c)
        x[Int(s.pointee.a)] = x[Int(s.pointee.b)] &+ s.pointee.c
        return next(s, c)
    }

    static let andImmediate: Handler = { p, c in
        let s = slot(p), x = regs(c)
        x[Int(s.pointee.a)] = x[Int(s.pointee.b)] & s.pointee.c
        return next(s, c)
    }

    /// `mem[x[b] + c] = x[a]`
    static let store: Handler = { p, c in
        let s = slot(p), x = regs(c)
        storeByte(header(c).pointee.memory, x[Int(s.pointee.b)] &+ s.pointee.c, x[Int(s.pointee.a)])
        return next(s, c)
    }

    /// Taken: exit to `d`; not taken: the next slot (the fall-through exit).
    static let branchLess: Handler = { p, c in
        let s = slot(p), x = regs(c)
        if lessThan(x[Int(s.pointee.a)], x[Int(s.pointee.b)]) { return exit(s, c) }
        return nextOutOfLine(s, c)
    }

    /// The fall-through exit.
    static let jump: Handler = { p, c in exit(slot(p), c) }

    static let halt: Handler = { _, c in
        header(c).pointee.halted = 1
        return nil
    }

    /// Leaves for `d`: chained, straight into the successor's first operation.
    @inline(__always)
    static func exit(_ s: UnsafeMutablePointer<Slot>, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        guard let l = s.pointee.link else { return unlinked(s, c) }
        let e = slot(l), h = header(c)
        let n = h.pointee.instret &+ UInt64(e.pointee.c)
        if n <= h.pointee.limit && h.pointee.budget != 0 {
            h.pointee.budget &-= 1
            h.pointee.instret = n
            return next(e, c)
        }
        return toTrampoline(l)
    }

    @inline(never)
    static func toTrampoline(_ l: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? { l }

    /// Not chained: tell the dispatcher where to go.
    @inline(never)
    static func unlinked(_ s: UnsafeMutablePointer<Slot>, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        header(c).pointee.pc = s.pointee.d
        return nil
    }

    @inline(never)
    static func nextOutOfLine(_ s: UnsafeMutablePointer<Slot>, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        next(s, c)
    }

    @inline(never)
    static func exitOutOfLine(_ s: UnsafeMutablePointer<Slot>, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        exit(s, c)
    }
}

/// Lowers the program's blocks to slot arrays, shared by shapes d, e and f.
struct SlotCompiler {
    var entries: [UnsafeMutablePointer<Slot>] = []
    var entryByPC: [UInt32: UnsafeMutableRawPointer] = [:]
    let first: UnsafeMutableRawPointer

    init(_ program: Program, chain: Bool, fuse: Bool) {
        var exits: [(UnsafeMutablePointer<Slot>, Int)] = []
        for block in program.blocks {
            var slots = [Slot(handler: SlotHandlers.enter, link: nil, c: UInt32(block.count))]
            var i = block.start
            var pendingExits: [(Int, Int)] = []  // (slot index, target op)
            while i < block.end {
                let op = program.ops[i]
                let rd = UInt32(op.rd), rs1 = UInt32(op.rs1), rs2 = UInt32(op.rs2)
                switch op.kind {
                case .add:
                    if fuse, i + 1 < block.end, program.ops[i + 1].kind == .blt {
                        // add then branch: one dispatch, both ways out are exits.
                        let br = program.ops[i + 1]
                        let packed = rd | rs1 << 8 | UInt32(br.rs1) << 16 | UInt32(br.rs2) << 24
                        pendingExits.append((slots.count, Int(br.imm)))
                        slots.append(Slot(handler: FusedHandlers.addThenBranchLess, link: nil, a: packed, b: rs2, d: br.imm))
                        i += 1
                    } else {
                        slots.append(Slot(handler: SlotHandlers.add, link: nil, a: rd, b: rs1, c: rs2))
                    }
                case .addi: slots.append(Slot(handler: SlotHandlers.addImmediate, link: nil, a: rd, b: rs1, c: op.imm))
                case .andi: slots.append(Slot(handler: SlotHandlers.andImmediate, link: nil, a: rd, b: rs1, c: op.imm))
                case .sb: slots.append(Slot(handler: SlotHandlers.store, link: nil, a: rs2, b: rs1, c: op.imm))
                case .blt:
                    pendingExits.append((slots.count, Int(op.imm)))
                    slots.append(Slot(handler: SlotHandlers.branchLess, link: nil, a: rs1, b: rs2, d: op.imm))
                case .halt:
                    slots.append(Slot(handler: SlotHandlers.halt, link: nil))
                }
                i += 1
            }
            if program.ops[block.end - 1].kind == .blt {
                pendingExits.append((slots.count, block.end))
                slots.append(Slot(handler: SlotHandlers.jump, link: nil, d: UInt32(block.end)))
            }
            let p = UnsafeMutablePointer<Slot>.allocate(capacity: slots.count)
            p.initialize(from: slots, count: slots.count)
            entries.append(p)
            entryByPC[UInt32(block.start)] = UnsafeMutableRawPointer(p)
            exits += pendingExits.map { (p + $0.0, $0.1) }
        }
        if chain {
            for (s, target) in exits { s.pointee.link = entryByPC[UInt32(target)] }
        }
        first = entryByPC[0]!
    }

    /// Runs from block 0: a trampoline that calls whatever entry slot comes back.
    func runner() -> (UnsafeMutableRawPointer) -> UInt64 {
        let first = self.first
        return { c in
            var p: UnsafeMutableRawPointer? = first
            while let q = p {
                header(c).pointee.budget = chainBudget
                p = slot(q).pointee.handler(q, c)
            }
            return header(c).pointee.instret
        }
    }
}
