#if canImport(Glibc)
import Glibc
#endif

// dispatch-shapes: the same guest loop under six dispatch shapes, side by side in one run.
// Usage: dispatch-shapes [--rounds N] [--ops N] [--only abcdef]

struct Shape {
    var key: String
    var name: String
    var compile: (Program) -> (UnsafeMutableRawPointer) -> UInt64
}

let shapes = [
    Shape(key: "a", name: "switch over pre-decoded ops", compile: SwitchShape.compile),
    Shape(key: "b", name: "array of capturing closures", compile: ClosureArrayShape.compile),
    Shape(key: "c", name: "closures calling their successor", compile: ClosureChainShape.compile),
    Shape(key: "d", name: "@convention(c) slots, tail calls, chained", compile: ThreadedShape.compile),
    Shape(key: "e", name: "(d) + fused add+branch", compile: SuperinstructionShape.compile),
    Shape(key: "f", name: "(d), dictionary lookup per block", compile: LookupShape.compile),
]

func usage(_ message: String) -> Never {
    let text = "dispatch-shapes: \(message)\nusage: dispatch-shapes [--rounds N] [--ops N] [--only LETTERS]\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
    exit(2)
}

var rounds = 5
var targetOps: UInt64 = 300_000_000
var only = Set(shapes.map(\.key))
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    guard let value = arguments.popFirst() else { usage("\(flag) needs a value") }
    switch flag {
    case "--rounds": guard let n = Int(value), n > 0 else { usage("bad --rounds") }; rounds = n
    case "--ops": guard let n = UInt64(value), n > 0 else { usage("bad --ops") }; targetOps = n
    case "--only": only = Set(value.map { String($0) })
    default: usage("unknown option \(flag)")
    }
}

// The hot loop walks 10,000 bytes (L1-resident) one at a time; the outer loop repeats it.
let n: UInt32 = 10_000, step: UInt32 = 1
let perRound = UInt64(5 * ((n + step - 1) / step) + 4)
let program = Program(n: n, step: step, rounds: UInt32(max(1, min(targetOps / perRound, UInt64(Int32.max)))))
let selected = shapes.filter { only.contains($0.key) }
let runners = selected.map { $0.compile(program) }
print("dispatch-shapes: \(program.expectedInstructions) guest instructions per run "
    + "(\(program.rounds) x inner loop of \(n / step) iterations, 5-instruction hot block), best of \(rounds) rounds")

var best = Array(repeating: Double.infinity, count: selected.count)
var outcomes: [Outcome?] = Array(repeating: nil, count: selected.count)
for _ in 0..<rounds {
    for (i, run) in runners.enumerated() {
        let c = Context.make(program)
        let start = now()
        let instructions = run(c)
        let seconds = now() - start
        best[i] = min(best[i], seconds)
        let outcome = Outcome(c, instructions: instructions)
        Context.free(c)
        if outcomes[i] == nil { outcomes[i] = outcome }
        if outcome != outcomes[i] || outcome.instructions != program.expectedInstructions {
            print("ERROR: shape \(selected[i].key) computed a different result (\(outcome.instructions) instructions)")
            exit(1)
        }
    }
}
for i in outcomes.indices where outcomes[i] != outcomes[0] {
    print("ERROR: shape \(selected[i].key) disagrees with shape \(selected[0].key)")
    exit(1)
}

func pad(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }
func fixed(_ v: Double, _ decimals: Int, _ width: Int) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    _ = withVaList([v]) { vsnprintf(&buffer, 64, "%\(width).\(decimals)f", $0) }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

let expected = Double(program.expectedInstructions)
print("| shape | dispatch | guest MIPS | ns/instr | vs \(selected[0].key) |")
print("|---|---|---:|---:|---:|")
for (i, shape) in selected.enumerated() {
    let mips = expected / best[i] / 1e6
    print("| \(shape.key) | \(pad(shape.name, 42)) | \(fixed(mips, 1, 7)) | \(fixed(best[i] * 1e9 / expected, 2, 5)) | \(fixed(best[0] / best[i], 2, 5))x |")
}
print("all shapes: identical registers, memory and instruction count (\(program.expectedInstructions))")
