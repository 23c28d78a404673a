#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Guest structures the host fills in its own layout; each is converted field by field into the
/// rv32 layout (little-endian, ilp32).
public enum GuestStruct: Sendable {
    /// `struct statx` (256 bytes; explicit-width fields, so the offsets are the same everywhere).
    case statx
    /// `struct __kernel_timespec` (time64: two 64-bit fields).
    case timespec64
    /// `struct new_utsname`: six 65-byte strings; answers sysname "Linux", machine "riscv32".
    case utsname

    public var guestSize: UInt32 {
        switch self {
        case .statx: return 256
        case .timespec64: return 16
        case .utsname: return 390
        }
    }

    var hostSize: Int {
        switch self {
        case .statx: return 256  // the kernel's struct statx, the same on every architecture
        case .timespec64: return MemoryLayout<timespec>.size
        case .utsname: return MemoryLayout<utsname>.size
        }
    }

    /// Guest statx field offsets.
    public enum StatxOffset {
        public static let mask = 0, blksize = 4, attributes = 8, nlink = 16, uid = 20, gid = 24, mode = 28
        public static let ino = 32, size = 40, blocks = 48, attributesMask = 56
        public static let atime = 64, btime = 80, ctime = 96, mtime = 112
        public static let rdevMajor = 128, rdevMinor = 132, devMajor = 136, devMinor = 140
    }

    /// Writes the guest layout into `out` (exactly `guestSize` bytes) from the host struct at `host`.
    func convert(from host: UnsafeRawPointer, to out: UnsafeMutableRawBufferPointer) {
        let w = GuestWriter(out)
        w.zero()
        switch self {
        case .statx:
            // The host's struct statx has the same explicit-width layout; read it field by field
            // (host byte order) and store each field little-endian at the guest offset.
            func h<T: FixedWidthInteger>(_ o: Int, _: T.Type) -> T { host.loadUnaligned(fromByteOffset: o, as: T.self) }
            w.u32(StatxOffset.mask, h(StatxOffset.mask, UInt32.self))
            w.u32(StatxOffset.blksize, h(StatxOffset.blksize, UInt32.self))
            w.u64(StatxOffset.attributes, h(StatxOffset.attributes, UInt64.self))
            for o in [StatxOffset.nlink, StatxOffset.uid, StatxOffset.gid] { w.u32(o, h(o, UInt32.self)) }
            w.u16(StatxOffset.mode, h(StatxOffset.mode, UInt16.self))
            for o in [StatxOffset.ino, StatxOffset.size, StatxOffset.blocks, StatxOffset.attributesMask] { w.u64(o, h(o, UInt64.self)) }
            for o in [StatxOffset.atime, StatxOffset.btime, StatxOffset.ctime, StatxOffset.mtime] {
                w.u64(o, h(o, UInt64.self))
                w.u32(o + 8, h(o + 8, UInt32.self))
            }
            for o in [StatxOffset.rdevMajor, StatxOffset.rdevMinor, StatxOffset.devMajor, StatxOffset.devMinor] {
                w.u32(o, h(o, UInt32.self))
            }
        case .timespec64:
            let t = host.load(as: timespec.self)
            w.u64(0, UInt64(bitPattern: Int64(t.tv_sec)))
            w.u64(8, UInt64(bitPattern: Int64(t.tv_nsec)))
        case .utsname:
            let fieldSize = 65
            let hostField = MemoryLayout<utsname>.size / 6
            for i in 0..<6 {
                var bytes: [UInt8]
                switch i {
                case 0: bytes = Array("Linux".utf8)
                case 4: bytes = Array("riscv32".utf8)
                default:
                    let p = (host + i * hostField).assumingMemoryBound(to: UInt8.self)
                    bytes = Array(UnsafeBufferPointer(start: p, count: hostField).prefix(while: { $0 != 0 }))
                }
                w.bytes(i * fieldSize, Array(bytes.prefix(fieldSize - 1)))
            }
        }
    }

    /// The statx answer for a virtual directory (an ancestor of a mapped directory): mode d--x--x--x.
    static func virtualDirectoryStatx(_ out: UnsafeMutableRawBufferPointer) {
        let w = GuestWriter(out)
        w.zero()
        w.u32(StatxOffset.mask, 0x7ff)
        w.u32(StatxOffset.blksize, 4096)
        w.u32(StatxOffset.nlink, 2)
        w.u16(StatxOffset.mode, UInt16(S_IFDIR) | 0o111)
    }
}

/// Little-endian stores into a checked guest buffer (offsets past its end are ignored).
struct GuestWriter {
    let out: UnsafeMutableRawBufferPointer
    init(_ out: UnsafeMutableRawBufferPointer) { self.out = out }

    func zero() {
        guard let base = out.baseAddress else { return }
        base.initializeMemory(as: UInt8.self, repeating: 0, count: out.count)
    }
    func put<T: FixedWidthInteger>(_ offset: Int, _ v: T) {
        guard offset >= 0, offset + MemoryLayout<T>.size <= out.count, let base = out.baseAddress else { return }
        (base + offset).storeBytes(of: v.littleEndian, as: T.self)
    }
    func u16(_ o: Int, _ v: UInt16) { put(o, v) }
    func u32(_ o: Int, _ v: UInt32) { put(o, v) }
    func u64(_ o: Int, _ v: UInt64) { put(o, v) }
    func bytes(_ o: Int, _ b: [UInt8]) {
        guard o >= 0, o + b.count <= out.count, let base = out.baseAddress else { return }
        for (i, x) in b.enumerated() { (base + o + i).storeBytes(of: x, as: UInt8.self) }
    }
}
