import RISCV
import RVMachine

/// An IR → IR transformation. A pass never changes what a block computes, including the guest
/// state visible at every exit point (faults, traps, conditional exits).
public struct IRPass: Sendable {
    public var name: String
    public var run: @Sendable (IRBlock) -> IRBlock

    /// `x0` reads become 0 and `x0` writes disappear. Always run: it is the JIT's only
    /// handling of `x0`, and the closure compiler relies on never seeing an `x0` destination.
    public static let zeroRegister = IRPass(name: "x0") { block in
        var out = block
        out.ops = block.ops.compactMap { inst in
            var i = inst
            i.op = i.op.mapSources { $0 == .reg(0) ? .const(0) : $0 }
            switch i.op {
            case .move(.reg(0), _), .alu(_, .reg(0), _, _): return nil
            case .load(let w, .reg(0), let base, let off):
                i.op = .load(w, dst: .temp(discardTemp), base: base, offset: off)  // still faults
            case .atomic(let op, .reg(0), let address, let value):
                i.op = .atomic(op, dst: .temp(discardTemp), address: address, value: value)  // still acts
            case .float(var f) where f.intDestination == .reg(0):
                f.intDestination = .temp(discardTemp)  // still traps and raises flags
                i.op = .float(f)
            case .jumpIndirect(let base, let off, .reg(0)?, _):
                i.op = .jumpIndirect(base: base, offset: off, link: nil, linkValue: 0)
            default: break
            }
            return i
        }
        return out
    }

    /// Propagates constants through the block and folds operations on them.
    public static let constantPropagation = IRPass(name: "constprop") { block in
        var known: [IRValue: UInt32] = [:]
        var out = block
        out.ops = []
        for inst in block.ops {
            var i = inst
            i.op = i.op.mapSources { v in known[v].map { .const($0) } ?? v }
            switch i.op {
            case .alu(let op, let d, .const(let a), .const(let b)):
                i.op = .move(dst: d, src: .const(op.apply(a, b)))
            case .alu(.add, let d, let a, .const(0)), .alu(.or, let d, let a, .const(0)), .alu(.xor, let d, let a, .const(0)):
                i.op = .move(dst: d, src: a)
            case .branch(let c, .const(let a), .const(let b), let target):
                // Decided at translation time: taken is a jump; not taken disappears.
                if c.holds(a, b) { i.op = .jump(target: target) } else { continue }
            default: break
            }
            if let d = i.op.destination {
                if case .move(_, .const(let v)) = i.op { known[d] = v } else { known[d] = nil }
            }
            if case .system(.ecall, _) = i.op { known = [:] }
            out.ops.append(i)
            if IRBlock.isTerminator(i.op) { break }
        }
        return out
    }

    /// Drops a register write that a later write overwrites before anything reads it or any
    /// exit point could observe it: this is what fuses `lui`/`auipc` + `addi` into one constant
    /// once constant propagation has run.
    public static let fuseConstants = IRPass(name: "fuse-const") { block in
        var out = block
        var drop = Set<Int>()
        for (n, inst) in block.ops.enumerated() {
            guard case .move(let d, _) = inst.op else {
                if case .alu(_, let d, _, _) = inst.op, overwrittenUnobserved(block.ops, from: n, value: d) { drop.insert(n) }
                continue
            }
            if overwrittenUnobserved(block.ops, from: n, value: d) { drop.insert(n) }
        }
        out.ops = block.ops.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
        return out
    }

    /// `d = slt a, b; br.ne d, 0` becomes `br.lt a, b` (likewise sltu, and xor/sub for
    /// equality); `d` is still written, since it is guest state.
    public static let fuseCompareBranch = IRPass(name: "fuse-branch") { block in
        var out = block
        for (n, inst) in block.ops.enumerated() {
            guard case .branch(let c, let d, .const(0), let target) = inst.op, c == .eq || c == .ne else { continue }
            // Find the op that defined d, with no write to d or its inputs in between.
            var k = n - 1
            while k >= 0 {
                let def = block.ops[k].op
                if def.destination == d {
                    if case .alu(let op, _, let a, let b) = def, a != d, b != d,
                        !block.ops[(k + 1)..<n].contains(where: { $0.op.destination == a || $0.op.destination == b })
                    {
                        let fused: BranchCondition?
                        switch op {
                        case .slt: fused = c == .ne ? .lt : .ge
                        case .sltu: fused = c == .ne ? .ltu : .geu
                        case .xor, .sub: fused = c
                        default: fused = nil
                        }
                        if let fused { out.ops[n].op = .branch(fused, a, b, target: target) }
                    }
                    break
                }
                k -= 1
            }
        }
        return out
    }

    /// Removes computations into temporaries that nothing reads (loads stay: they may fault).
    public static let deadTemporaries = IRPass(name: "dead-temps") { block in
        var live = Set<IRValue>()
        var out = block
        out.ops = []
        for inst in block.ops.reversed() {
            if let d = inst.op.destination, case .temp = d, !live.contains(d) {
                switch inst.op {
                case .move, .alu: continue
                default: break
                }
            }
            if let d = inst.op.destination { live.remove(d) }
            for s in inst.op.sources { live.insert(s) }
            out.ops.append(inst)
        }
        out.ops.reverse()
        return out
    }

    /// The temporary that receives loads into `x0`.
    static let discardTemp = UInt8(CPUState.discardRegister - 32)

    static func overwrittenUnobserved(_ ops: [IRInstruction], from n: Int, value d: IRValue) -> Bool {
        guard case .reg = d else { return false }
        var k = n + 1
        while k < ops.count {
            let op = ops[k].op
            if op.sources.contains(d) || op.isExitPoint { return false }
            if op.destination == d { return true }
            k += 1
        }
        return false
    }
}

/// The ordered passes a translation runs.
public struct PassPipeline: Sendable {
    public var passes: [IRPass]

    public static let standard = PassPipeline(passes: [
        .zeroRegister, .constantPropagation, .fuseConstants, .fuseCompareBranch, .deadTemporaries,
    ])
    /// Only the mandatory `x0` pass (`--jit-disable passes`, and instruction tracing, which must see every
    /// guest register write).
    public static let minimal = PassPipeline(passes: [.zeroRegister])

    public func run(_ block: IRBlock) -> IRBlock {
        passes.reduce(block) { $1.run($0) }
    }
}

extension IROp {
    /// The same operation with every source operand mapped.
    func mapSources(_ f: (IRValue) -> IRValue) -> IROp {
        switch self {
        case .move(let d, let s): return .move(dst: d, src: f(s))
        case .alu(let op, let d, let a, let b): return .alu(op, dst: d, f(a), f(b))
        case .load(let w, let d, let base, let off): return .load(w, dst: d, base: f(base), offset: off)
        case .store(let w, let v, let base, let off): return .store(w, value: f(v), base: f(base), offset: off)
        case .branch(let c, let a, let b, let t): return .branch(c, f(a), f(b), target: t)
        case .jumpIndirect(let base, let off, let link, let value):
            return .jumpIndirect(base: f(base), offset: off, link: link, linkValue: value)
        case .atomic(let op, let d, let address, let value): return .atomic(op, dst: d, address: f(address), value: f(value))
        case .floatLoad(let w, let d, let base, let off, let word):
            return .floatLoad(w, dst: d, base: f(base), offset: off, word: word)
        case .floatStore(let w, let s, let base, let off, let word):
            return .floatStore(w, src: s, base: f(base), offset: off, word: word)
        case .float(var op):
            op.intSource = op.intSource.map(f)
            return .float(op)
        case .jump, .system: return self
        }
    }
}
