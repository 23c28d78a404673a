#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Host memory for emitted code, never writable and executable at once: one reservation,
/// filled from the bottom; a write maps the pages it touches read-write, copies, and maps them
/// read-execute again (`mprotect` twice). Nothing is freed one block at a time: the code cache
/// empties the whole arena when it flushes, at a moment when no native code can be running.
final class ExecutableMemory {
    let base: UnsafeMutableRawPointer
    let capacity: Int
    private(set) var used = 0
    /// `mprotect` calls made (writes and patches), for `--stats`.
    private(set) var protectionChanges = 0
    private let pageSize: Int

    /// Nil when the host refuses the mapping.
    init?(capacity: Int) {
        pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        let size = (capacity + pageSize - 1) / pageSize * pageSize
        guard let p = mmap(nil, size, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
            p != MAP_FAILED
        else { return nil }
        base = p
        self.capacity = size
    }

    deinit { munmap(base, capacity) }

    var free: Int { capacity - used }

    /// Where the next `append` will place its code (blocks are emitted for their final address).
    var nextAddress: UnsafeMutableRawPointer { base + ((used + 15) & ~15) }

    /// Copies `code` into the arena (16-byte aligned) and returns where it landed, or nil when
    /// the arena is full.
    func append(_ code: [UInt8]) -> UnsafeMutableRawPointer? {
        let start = (used + 15) & ~15
        guard start + code.count <= capacity else { return nil }
        write(at: start, code)
        used = start + code.count
        return base + start
    }

    /// Rewrites bytes already in the arena (a chain link's jump displacement).
    func patch(_ address: UnsafeMutableRawPointer, _ bytes: [UInt8]) {
        let offset = address - base
        guard offset >= 0, offset + bytes.count <= used else { return }
        write(at: offset, bytes)
    }

    /// Forgets everything after the first `keeping` bytes (the code cache was flushed).
    func reset(keeping: Int) { used = min(keeping, used) }

    private func write(at offset: Int, _ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        let first = offset / pageSize * pageSize
        let end = (offset + bytes.count + pageSize - 1) / pageSize * pageSize
        let pages = base + first
        mprotect(pages, end - first, PROT_READ | PROT_WRITE)
        bytes.withUnsafeBytes { src in
            if let from = src.baseAddress { (base + offset).copyMemory(from: from, byteCount: src.count) }
        }
        mprotect(pages, end - first, PROT_READ | PROT_EXEC)
        protectionChanges &+= 2
    }
}
