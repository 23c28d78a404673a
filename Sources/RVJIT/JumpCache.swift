/// One entry of the direct-mapped jump cache for indirect jumps: a guest pc and the entry of
/// the block there (of any tier; see `ClosureBackend`).
struct JumpCacheEntry {
    var pc: UInt32 = 1  // never a valid (aligned) target
    var entry: UnsafeMutableRawPointer? = nil
}

enum JumpCache {
    static let size = 4096
    @inline(__always) static func index(_ pc: UInt32) -> Int { Int((pc >> 1) & UInt32(size - 1)) }
}
