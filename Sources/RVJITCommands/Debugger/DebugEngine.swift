import Foundation
import RISCV
import RVInterpreter
import RVJIT
import RVMachine
import RVTracing

/// The executor behind a debugging session: runs until the machine stops, or steps one
/// instruction. Single steps always run on the interpreter (under the JIT too: the JIT is the
/// machine's code observer, so a step's stores still drop stale translations); so does
/// everything while the debugger's instruction trace (`monitor trace on`) is on.
final class DebugEngine {
    let machine: Machine
    let kind: EngineKind
    let jit: JIT?
    /// `monitor trace on`: each retired instruction, Spike-like, to this output.
    var trace: TraceOutput? = nil
    var traced: UInt64 = 0

    init(machine: Machine, kind: EngineKind, jitOptions: JITOptions) {
        self.machine = machine
        self.kind = kind
        if kind == .jit {
            let jit = JIT(machine: machine, options: jitOptions)
            machine.codeObserver = jit
            self.jit = jit
        } else {
            jit = nil
        }
    }

    /// Runs until the machine has a stop reason.
    func run() {
        if trace != nil {
            var hook = TraceHook(engine: self)
            while machine.stopReason == nil { Interpreter().execute(machine, bounds: .unbounded, hook: &hook) }
        } else if let jit {
            jit.run()
        } else {
            Interpreter().run(machine)
        }
    }

    /// Steps one instruction (retired or trapped) on the interpreter.
    func step() {
        var hook = TraceHook(engine: self)
        Interpreter().execute(machine, bounds: Interpreter.Bounds(maxSteps: 1), hook: &hook)
    }

    struct TraceHook: RetireHook {
        let engine: DebugEngine
        let disassembler = Disassembler()
        mutating func retired(pc: UInt32, word: UInt32, cpu: UnsafeMutablePointer<CPUState>) {
            guard let out = engine.trace else { return }
            engine.traced &+= 1
            let inst = decode(word, isa: engine.machine.isa)
            let bits = inst.length == 2 ? Disassembler.hex(word & 0xffff, digits: 4) : Disassembler.hex(word, digits: 8)
            let text = disassembler.text(word: word, pc: pc).replacingOccurrences(of: "\t", with: " ")
            out.write(line: "core   0: 0x\(Disassembler.hex(pc, digits: 8)) (0x\(bits)) \(text)")
        }
    }
}
