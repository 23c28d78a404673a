/// The last blocks entered, for fault reports: a ring of 16 pcs written where it costs nothing
/// measurable — the JIT's dispatcher (not chained entries, which never come back to it) and the
/// interpreter's jumps (`jal`, `jalr`: calls, returns, tail calls), never per instruction and not
/// at conditional branches: recording taken branches too cost the interpreter 3% more host
/// instructions on the sieve (callgrind), jumps alone cost nothing measurable.
public final class BlockTrail {
    public static let size = 16
    /// `size` pcs, then the count of records in the last entry (its low bits pick the next slot).
    public let entries: UnsafeMutablePointer<UInt32>

    public init() {
        entries = .allocate(capacity: BlockTrail.size + 1)
        entries.initialize(repeating: 0, count: BlockTrail.size + 1)
    }

    deinit { entries.deallocate() }

    @inline(__always)
    public static func record(_ entries: UnsafeMutablePointer<UInt32>, _ pc: UInt32) {
        let n = entries[size]
        entries[Int(n & UInt32(size - 1))] = pc
        entries[size] = n &+ 1
    }

    @inline(__always)
    public func record(_ pc: UInt32) { BlockTrail.record(entries, pc) }

    /// The pcs recorded, oldest first.
    public var recent: [UInt32] {
        let n = Int(entries[BlockTrail.size])
        let count = min(n, BlockTrail.size)
        return (0..<count).map { entries[(n - count + $0) & (BlockTrail.size - 1)] }
    }
}
