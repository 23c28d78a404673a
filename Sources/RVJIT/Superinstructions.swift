import RISCV
import RVMachine

/// Fused handlers: two IR operations in one dispatch, for the pairs that the profiles of the
/// guest programs show hottest (`rvjit run --profile` and the pair counts in docs/execution-model.md).
/// Register indices are packed a byte each (they are < 64), immediates keep full fields.
extension Handlers {
    // MARK: A block's last branch, with its fall-through exit

    /// A conditional branch whose next slot is its fall-through exit: both outcomes leave by a
    /// direct jump, without dispatching the fall-through slot. The comparand is `x[b]`, or the
    /// immediate `c`; taken, it leaves for `d`, or as a loop re-enters its own block.
    @inline(__always)
    static func branchEnd(
        _ cond: BranchCondition, _ immediate: Bool, _ loop: Bool, _ p: UnsafeMutableRawPointer, _ c: UnsafeMutableRawPointer
    ) -> UnsafeMutableRawPointer? {
        let s = slot(p), x = regs(c)
        if cond.holds(x[Int(s.pointee.a)], immediate ? s.pointee.c : x[Int(s.pointee.b)]) {
            return loop ? loopBack(s, c) : exit(s, c)
        }
        return exitOutOfLine(s + 1, c)
    }

    // MARK: ALU then branch (loop counters, compare-by-subtraction, masks)

    /// `x[rd] = x[rs1] op y`, then the branch `cond(x[ra], x[rb])`, with
    /// `a` = rd | rs1 << 8 | ra << 16 | rb << 24 (a comparand of constant 0 is `x0`), `y` = `x[b]`
    /// or the immediate `c`, `d` = the target. Taken: leave (or, as a loop, re-enter this block).
    /// Not taken: the block's last branch goes to the next slot, its fall-through exit; a side
    /// exit of a superblock (`side`) goes on with the next operation. The slot carries the
    /// branch's pc and count.
    @inline(__always)
    static func aluBranch(
        _ op: ALUOp, _ register: Bool, _ cond: BranchCondition, _ loop: Bool, _ side: Bool,
        _ p: UnsafeMutableRawPointer, _ c: UnsafeMutableRawPointer
    ) -> UnsafeMutableRawPointer? {
        let s = slot(p), x = regs(c)
        let a = s.pointee.a
        x[Int(a & 0xff)] = op.apply(x[Int((a >> 8) & 0xff)], register ? x[Int(s.pointee.b)] : s.pointee.c)
        if cond.holds(x[Int((a >> 16) & 0xff)], x[Int(a >> 24)]) { return loop ? loopBack(s, c) : exit(s, c) }
        return side ? nextOutOfLine(s, c) : exitOutOfLine(s + 1, c)
    }
}

// MARK: Loops: a taken branch back to the start of its own block

extension Handlers {
    /// Re-enters the block whose entry slot `link` points at, counting it as the entry slot
    /// would, but jumping straight to its first operation. Falls back to the trampoline (which
    /// enters through the entry slot) when the limit or the chain budget says so.
    @inline(__always)
    static func loopBack(_ s: UnsafeMutablePointer<Slot>, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        let st = state(c)
        let retired = st.pointee.instret &- UInt64(s.pointee.back &- 1)  // a side exit (see `exit`)
        st.pointee.instret = retired
        let entry = s.pointee.link.unsafelyUnwrapped
        let e = slot(entry)
        let n = retired &+ UInt64(e.pointee.c)
        if n <= st.pointee.limit && st.pointee.chainBudget != 0 {
            st.pointee.chainBudget &-= 1
            st.pointee.instret = n
            return next(e, c)
        }
        return toTrampoline(entry)
    }

}

// MARK: Any two ALU operations (the closures are generated: Generated/ALUPairs.swift)

extension Handlers {
    /// `x[rd1] = x[rs1] op1 y1; x[rd2] = x[rs2] op2 y2`, in order, where `a` packs
    /// rd1 | rs1 << 8 | rd2 << 16 | rs2 << 24 and `c`, `d` hold y1, y2: a register index when
    /// the operation's `register` flag is set, else the immediate.
    @inline(__always)
    static func aluPair(
        _ op1: ALUOp, _ register1: Bool, _ op2: ALUOp, _ register2: Bool,
        _ p: UnsafeMutableRawPointer, _ c: UnsafeMutableRawPointer
    ) -> UnsafeMutableRawPointer? {
        let s = slot(p), x = regs(c)
        let a = s.pointee.a
        let y1 = register1 ? x[Int(s.pointee.c)] : s.pointee.c
        x[Int(a & 0xff)] = op1.apply(x[Int((a >> 8) & 0xff)], y1)
        let y2 = register2 ? x[Int(s.pointee.d)] : s.pointee.d
        x[Int((a >> 16) & 0xff)] = op2.apply(x[Int(a >> 24)], y2)
        return next(s, c)
    }
}

// MARK: A load or store next to an ALU operation (closures generated: Generated/ALUPairs.swift)

extension Handlers {
    /// `x[rd] = load(x[base] + c)`, then `x[rd2] = x[rs2] op y`; `a` = rd | base << 8 |
    /// rd2 << 16 | rs2 << 24, `d` = y. The slot is the load's (its pc and count).
    @inline(__always)
    static func loadThenALU(_ w: MemoryWidth, _ op: ALUOp, _ register: Bool, _ p: UnsafeMutableRawPointer, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        let s = slot(p), x = regs(c)
        let a = s.pointee.a
        guard loadOrStep(w, s, c, address: x[Int((a >> 8) & 0xff)] &+ s.pointee.c, into: Int(a & 0xff)) else { return stop() }
        x[Int((a >> 16) & 0xff)] = op.apply(x[Int(a >> 24)], register ? x[Int(s.pointee.d)] : s.pointee.d)
        return next(s, c)
    }

    /// `x[rd] = x[rs] op y`, then `x[rd2] = load(x[base] + d)`; `a` = rd | rs << 8 | rd2 << 16 |
    /// base << 24, `c` = y. The slot is the load's.
    @inline(__always)
    static func loadAfterALU(_ w: MemoryWidth, _ op: ALUOp, _ register: Bool, _ p: UnsafeMutableRawPointer, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        let s = slot(p), x = regs(c)
        let a = s.pointee.a
        x[Int(a & 0xff)] = op.apply(x[Int((a >> 8) & 0xff)], register ? x[Int(s.pointee.c)] : s.pointee.c)
        guard loadOrStep(w, s, c, address: x[Int(a >> 24)] &+ s.pointee.d, into: Int((a >> 16) & 0xff)) else { return stop() }
        return next(s, c)
    }

    /// `store(x[base] + c, x[value])`, then `x[rd2] = x[rs2] op y`; `a` = value | base << 8 |
    /// rd2 << 16 | rs2 << 24, `d` = y. The slot is the store's.
    @inline(__always)
    static func storeThenALU(_ w: MemoryWidth, _ op: ALUOp, _ register: Bool, _ p: UnsafeMutableRawPointer, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        let s = slot(p), x = regs(c)
        let a = s.pointee.a
        guard storeOrStep(w, s, c, address: x[Int((a >> 8) & 0xff)] &+ s.pointee.c, value: x[Int(a & 0xff)]) else { return stop() }
        x[Int((a >> 16) & 0xff)] = op.apply(x[Int(a >> 24)], register ? x[Int(s.pointee.d)] : s.pointee.d)
        return next(s, c)
    }

    /// `x[rd] = x[rs] op y`, then `store(x[base] + d, x[value])`; `a` = rd | rs << 8 |
    /// value << 16 | base << 24, `c` = y. The slot is the store's.
    @inline(__always)
    static func storeAfterALU(_ w: MemoryWidth, _ op: ALUOp, _ register: Bool, _ p: UnsafeMutableRawPointer, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        let s = slot(p), x = regs(c)
        let a = s.pointee.a
        x[Int(a & 0xff)] = op.apply(x[Int((a >> 8) & 0xff)], register ? x[Int(s.pointee.c)] : s.pointee.c)
        guard storeOrStep(w, s, c, address: x[Int(a >> 24)] &+ s.pointee.d, value: x[Int((a >> 16) & 0xff)]) else { return stop() }
        return next(s, c)
    }
}
