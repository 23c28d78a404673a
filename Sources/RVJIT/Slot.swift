import RVMachine

/// A compiled operation: a context-free handler and the operands it reads.
///
/// A compiled block is a contiguous array of slots. Each handler does its work and then calls
/// the next slot's handler as its last act, which the optimiser turns into a jump, so a block
/// runs as a chain of direct tail calls with no loop, no decoding and no reference counting.
/// The exit slot returns the entry slot of the successor block (chained) or nil (back to the
/// dispatcher); a trampoline in the dispatcher calls whatever comes back.
public struct Slot {
    public var handler: Handler
    /// For exits: the successor's entry slot once chained. For counted entries: the counter.
    public var link: UnsafeMutableRawPointer?
    /// Operands; what they mean depends on the handler (register indices, immediates, targets).
    public var a: UInt32
    public var b: UInt32
    public var c: UInt32
    public var d: UInt32
    /// Guest pc of the instruction this slot belongs to.
    public var pc: UInt32
    /// Instructions from this one to the end of the block: the block entry counted them all,
    /// so an early exit here subtracts `back` (and adds back what did retire).
    public var back: UInt16
    /// The size in bytes of the instruction at `pc` (2 or 4): slow paths that go on after it.
    public var size: UInt8
    var spare: UInt8 = 0

    init(_ handler: Handler, a: UInt32 = 0, b: UInt32 = 0, c: UInt32 = 0, d: UInt32 = 0, pc: UInt32, back: UInt16, size: UInt8) {
        self.handler = handler
        self.link = nil
        self.a = a
        self.b = b
        self.c = c
        self.d = d
        self.pc = pc
        self.back = back
        self.size = size
    }

    /// The address of the instruction after this slot's.
    var nextPC: UInt32 { pc &+ UInt32(size) }
}

/// `(slot, cpu) -> successor block entry or nil`: a context-free closure, held as a bare
/// function pointer (no context, so calling it costs no retain/release and storing it in a
/// `Slot` is plain data).
///
/// The convention is `thin` (Swift's own calling convention without a context) rather than `c`:
/// with `@convention(c)` Swift emits each closure as a body plus a C-convention thunk that
/// jumps to it, and every dispatch paid for that extra jump; measured side by side with
/// `rvjit bench`, the thin form ran 5–13% faster on the five CPU-bound guests. The closures
/// capture nothing, which the compiler checks for both conventions.
public typealias Handler = @convention(thin) (UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> UnsafeMutableRawPointer?

@inline(__always)
func slot(_ p: UnsafeMutableRawPointer) -> UnsafeMutablePointer<Slot> { p.assumingMemoryBound(to: Slot.self) }

@inline(__always)
func state(_ c: UnsafeMutableRawPointer) -> UnsafeMutablePointer<CPUState> { c.assumingMemoryBound(to: CPUState.self) }

@inline(__always)
func regs(_ c: UnsafeMutableRawPointer) -> UnsafeMutablePointer<UInt32> { c.assumingMemoryBound(to: UInt32.self) }

/// Runs the next slot of the block (a tail call).
@inline(__always)
func next(_ s: UnsafeMutablePointer<Slot>, _ c: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
    let n = s + 1
    return n.pointee.handler(UnsafeMutableRawPointer(n), c)
}
