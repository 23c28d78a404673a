import RISCV
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Permission and state bits kept for each 4 KiB guest page.
public enum PageFlag {
    // Computed and inlinable, so that they fold into the executors' hot loops as constants.
    @inlinable public static var read: UInt8 { 1 << 0 }
    @inlinable public static var write: UInt8 { 1 << 1 }
    @inlinable public static var execute: UInt8 { 1 << 2 }
    /// Translated code was made from this page: a store here must invalidate it.
    @inlinable public static var code: UInt8 { 1 << 3 }
    /// A device or a watched word (HTIF `tohost`) lives here: accesses take the slow path.
    @inlinable public static var device: UInt8 { 1 << 4 }
    /// A word here is watched (an LR reservation): stores take the slow path, loads do not.
    @inlinable public static var watch: UInt8 { 1 << 6 }
    /// The guest holds this page (mapped, perhaps with no permission at all, as PROT_NONE):
    /// counted against the memory limit, never handed out again until unmapped.
    @inlinable public static var mapped: UInt8 { 1 << 5 }

    @inlinable public static var rw: UInt8 { read | write }
    @inlinable public static var rx: UInt8 { read | execute }
    @inlinable public static var rwx: UInt8 { read | write | execute }
}

/// The whole 32-bit guest address space, backed by one host reservation.
///
/// A guest address `a` lives at `base + a`, so translation is one add and never needs a bounds
/// check: the reservation covers 4 GiB plus a guard page for accesses that straddle the top.
/// What the guest may do with an address is decided by its page's flag byte alone; the host
/// pages behind unmapped guest pages are never touched.
public final class GuestMemory: @unchecked Sendable {
    public static let pageShift: UInt32 = 12
    public static let pageSize: UInt32 = 1 << pageShift
    public static let pageCount = 1 << 20

    public let base: UnsafeMutableRawPointer
    /// One flag byte per page, plus one always-zero entry past the end so that a straddling
    /// access at the top of the space finds an unmapped neighbour instead of running off.
    public let flags: UnsafeMutablePointer<UInt8>
    private let reservation: Int

    public init() {
        reservation = (1 << 32) + Int(GuestMemory.pageSize)
        let p = mmap(nil, reservation, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let p, p != MAP_FAILED else {
            fatalError("rvjit: cannot reserve 4 GiB of address space for the guest")
        }
        base = p
        flags = .allocate(capacity: GuestMemory.pageCount + 1)
        flags.initialize(repeating: 0, count: GuestMemory.pageCount + 1)
    }

    deinit {
        munmap(base, reservation)
        flags.deallocate()
    }

    // MARK: Mapping

    /// Pages that carry `PageFlag.mapped`: the guest memory in use, for the memory limit.
    public private(set) var mappedPages = 0

    /// The pages of `[start, start + length)`, computed in 64 bits (a range may end at 2^32).
    @inlinable
    public static func pages(_ start: UInt32, length: UInt64) -> Range<Int> {
        guard length > 0 else { return 0..<0 }
        let end = min(UInt64(start) + length, 1 << 32)
        let first = Int(start >> GuestMemory.pageShift)
        let last = Int((end - 1) >> UInt64(GuestMemory.pageShift))
        return first..<(last + 1)
    }

    /// How many pages of the range are not mapped yet (what mapping it would add).
    public func unmappedPages(_ start: UInt32, length: UInt64) -> Int {
        var n = 0
        for page in GuestMemory.pages(start, length: length) where flags[page] & PageFlag.mapped == 0 { n += 1 }
        return n
    }

    /// Gives `[start, start + length)` the permission bits `perms` (ORed into what is there) and
    /// marks it mapped.
    public func map(_ start: UInt32, length: UInt32, perms: UInt8) {
        map(start, length: UInt64(length), perms: perms)
    }

    @_disfavoredOverload
    public func map(_ start: UInt32, length: UInt64, perms: UInt8) {
        for page in GuestMemory.pages(start, length: length) {
            if flags[page] & PageFlag.mapped == 0 { mappedPages += 1 }
            flags[page] |= perms | PageFlag.mapped
        }
    }

    /// Sets the permission bits of every page in the range to exactly `perms`, keeping state bits.
    public func protect(_ start: UInt32, length: UInt32, perms: UInt8) {
        protect(start, length: UInt64(length), perms: perms)
    }

    @_disfavoredOverload
    public func protect(_ start: UInt32, length: UInt64, perms: UInt8) {
        for page in GuestMemory.pages(start, length: length) { flags[page] = (flags[page] & ~PageFlag.rwx) | perms }
    }

    /// Removes every permission from the range, unmaps it and zeroes its contents.
    public func unmap(_ start: UInt32, length: UInt32) {
        unmap(start, length: UInt64(length))
    }

    @_disfavoredOverload
    public func unmap(_ start: UInt32, length: UInt64) {
        let range = GuestMemory.pages(start, length: length)
        guard !range.isEmpty else { return }
        for page in range {
            if flags[page] & PageFlag.mapped != 0 { mappedPages -= 1 }
            flags[page] &= ~(PageFlag.rwx | PageFlag.mapped)
        }
        let firstByte = range.lowerBound << Int(GuestMemory.pageShift)
        let bytes = range.count << Int(GuestMemory.pageShift)
        // Give the host pages back; they read as zero if mapped again.
        madvise(base + firstByte, bytes, MADV_DONTNEED)
    }

    @inlinable
    public func pageFlags(_ address: UInt32) -> UInt8 { flags[Int(address >> GuestMemory.pageShift)] }

    /// Whether every byte of `[address, address + length)` has all the bits of `perms`.
    public func check(_ address: UInt32, length: UInt32, perms: UInt8) -> Bool {
        if length == 0 { return true }
        let end = UInt64(address) + UInt64(length)
        guard end <= 1 << 32 else { return false }
        var page = Int(address >> GuestMemory.pageShift)
        let last = Int((end - 1) >> UInt64(GuestMemory.pageShift))
        while page <= last {
            if flags[page] & perms != perms { return false }
            page += 1
        }
        return true
    }

    /// Host bytes of a checked guest range, or nil if any page lacks `perms`.
    public func buffer(_ address: UInt32, length: UInt32, perms: UInt8) -> UnsafeMutableRawBufferPointer? {
        guard check(address, length: length, perms: perms) else { return nil }
        return UnsafeMutableRawBufferPointer(start: base + Int(address), count: Int(length))
    }

    /// Host pointer for a guest address; callers must have checked permissions.
    @inlinable
    public func host(_ address: UInt32) -> UnsafeMutableRawPointer { base + Int(address) }

    // MARK: Unchecked access, for tests that set up memory before anything is translated
    // (the host's own writes go through `Machine.hostWrite`, which keeps translations coherent)

    public func writeBytes(_ address: UInt32, _ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0, let src = bytes.baseAddress else { return }
        (base + Int(address)).copyMemory(from: src, byteCount: bytes.count)
    }

    public func writeBytes(_ address: UInt32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { writeBytes(address, $0) }
    }

    public func readBytes(_ address: UInt32, count: Int) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: base + Int(address), count: count))
    }

    @inlinable
    public func read32(_ address: UInt32) -> UInt32 {
        UInt32(littleEndian: (base + Int(address)).loadUnaligned(as: UInt32.self))
    }

    @inlinable
    public func write32(_ address: UInt32, _ value: UInt32) {
        (base + Int(address)).storeBytes(of: value.littleEndian, as: UInt32.self)
    }

    /// Reads a NUL-terminated string from readable guest memory, at most `limit` bytes.
    public func cString(_ address: UInt32, limit: Int = 4096) -> String? {
        var bytes: [UInt8] = []
        var a = address
        while bytes.count < limit {
            guard check(a, length: 1, perms: PageFlag.read) else { return nil }
            let b = (base + Int(a)).load(as: UInt8.self)
            if b == 0 { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(b)
            a &+= 1
            if a == 0 { return nil }
        }
        return nil
    }
}

/// The executors' fast path for guest loads and stores: an ordinary page that has the
/// permission, and an access that stays inside it. Anything else (a fault, a device, a page that
/// holds translated code, an access straddling two pages) is left to the machine's slow path.
/// The interpreter and the JIT both use exactly this.
public enum FastAccess {
    /// The loaded and extended value, or nil for the slow path.
    @inlinable @inline(__always)
    public static func load(
        _ memory: UnsafeMutableRawPointer, _ flags: UnsafeMutablePointer<UInt8>, _ address: UInt32, _ width: MemoryWidth
    ) -> UInt32? {
        let size = width.size
        guard flags[Int(address >> 12)] & (PageFlag.read | PageFlag.device) == PageFlag.read,
            address & 0xfff <= 0x1000 &- size
        else { return nil }
        let p = memory + Int(address)
        let raw: UInt32
        switch size {
        case 1: raw = UInt32(p.load(as: UInt8.self))
        case 2: raw = UInt32(UInt16(littleEndian: p.loadUnaligned(as: UInt16.self)))
        default: raw = UInt32(littleEndian: p.loadUnaligned(as: UInt32.self))
        }
        return width.extend(raw)
    }

    /// Whether the store was done; false leaves it to the slow path.
    @inlinable @inline(__always)
    public static func store(
        _ memory: UnsafeMutableRawPointer, _ flags: UnsafeMutablePointer<UInt8>, _ address: UInt32, _ width: MemoryWidth,
        _ value: UInt32
    ) -> Bool {
        let size = width.size
        guard flags[Int(address >> 12)] & (PageFlag.write | PageFlag.device | PageFlag.code | PageFlag.watch) == PageFlag.write,
            address & 0xfff <= 0x1000 &- size
        else { return false }
        let p = memory + Int(address)
        switch size {
        case 1: p.storeBytes(of: UInt8(truncatingIfNeeded: value), as: UInt8.self)
        case 2: p.storeBytes(of: UInt16(truncatingIfNeeded: value).littleEndian, as: UInt16.self)
        default: p.storeBytes(of: value.littleEndian, as: UInt32.self)
        }
        return true
    }
}
