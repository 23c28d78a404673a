/// The framing and encodings of gdb's remote serial protocol, free of sockets so that tests
/// can feed it any bytes. Everything here treats its input as hostile: no force-unwraps, no
/// trapping arithmetic or conversions on packet contents.
enum RemoteProtocol {
    /// The largest packet accepted (and announced as `PacketSize`).
    static let maxPacket = 0x4000

    static func checksum<S: Sequence>(_ bytes: S) -> UInt8 where S.Element == UInt8 {
        bytes.reduce(0) { $0 &+ $1 }
    }

    /// `$payload#cs`, with `$`, `#`, `}` and `*` escaped.
    static func frame(_ payload: [UInt8]) -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(payload.count + 8)
        for b in payload {
            if b == 0x24 || b == 0x23 || b == 0x7d || b == 0x2a {
                body.append(0x7d)
                body.append(b ^ 0x20)
            } else {
                body.append(b)
            }
        }
        return [0x24] + body + [0x23] + hexByte(checksum(body))
    }

    static func frame(_ payload: String) -> [UInt8] { frame(Array(payload.utf8)) }

    static func hexByte(_ b: UInt8) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        return [digits[Int(b >> 4)], digits[Int(b & 15)]]
    }

    static func hex(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.flatMap(hexByte), as: UTF8.self)
    }

    /// A 32-bit value as gdb's register encoding: little-endian bytes in hex.
    static func hexLE(_ v: UInt32) -> String {
        hex([UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 24)])
    }

    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        case 0x41...0x46: return c - 0x41 + 10
        default: return nil
        }
    }

    /// Bytes from pairs of hex digits; nil for an odd count or a non-digit.
    static func bytes<S: Collection>(hex s: S) -> [UInt8]? where S.Element == UInt8 {
        guard s.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(s.count / 2)
        var it = s.makeIterator()
        while let h = it.next(), let l = it.next() {
            guard let a = nibble(h), let b = nibble(l) else { return nil }
            out.append(a << 4 | b)
        }
        return out
    }

    /// A hex number of at most 8 digits (a 32-bit value); nil otherwise.
    static func number<S: Collection>(_ s: S) -> UInt32? where S.Element == UInt8 {
        guard !s.isEmpty, s.count <= 8 else { return nil }
        var v: UInt32 = 0
        for c in s {
            guard let d = nibble(c) else { return nil }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    /// A register value in gdb's little-endian hex encoding (8 digits).
    static func littleEndian<S: Collection>(_ s: S) -> UInt32? where S.Element == UInt8 {
        guard s.count == 8, let b = bytes(hex: s) else { return nil }
        return b.reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// A register value of `bytes` bytes (4 or 8) in gdb's little-endian hex encoding.
    static func littleEndian<S: Collection>(_ s: S, bytes count: Int) -> UInt64? where S.Element == UInt8 {
        guard s.count == 2 * count, let b = bytes(hex: s) else { return nil }
        return b.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A value of `bytes` bytes (4 or 8) as gdb's register encoding.
    static func hexLE(_ v: UInt64, bytes count: Int) -> String {
        hex((0..<count).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) })
    }

    /// `X` packet data: `}` escapes the next byte (xor 0x20).
    static func unescape<S: Sequence>(_ s: S) -> [UInt8]? where S.Element == UInt8 {
        var out: [UInt8] = []
        var escaped = false
        for b in s {
            if escaped {
                out.append(b ^ 0x20)
                escaped = false
            } else if b == 0x7d {
                escaped = true
            } else {
                out.append(b)
            }
        }
        return escaped ? nil : out
    }

    /// Splits `a,b,c` (or at `:` and `;`) into fields.
    static func fields(_ s: ArraySlice<UInt8>, separators: Set<UInt8> = [0x2c]) -> [ArraySlice<UInt8>] {
        s.split(omittingEmptySubsequences: false, whereSeparator: { separators.contains($0) })
    }

    /// What the reader of a byte stream found next.
    enum Input: Equatable {
        /// A packet whose checksum matched (to be acknowledged with `+`).
        case packet([UInt8])
        /// A packet whose checksum did not match (to be NAKed with `-`).
        case corrupt
        /// Ctrl-C (0x03) outside a packet.
        case interrupt
        /// `+` or `-` from the client.
        case ack(Bool)
    }

    /// Turns the stream into inputs; bytes outside packets other than the above are ignored,
    /// and a packet longer than `maxPacket` is dropped as corrupt.
    struct Reader {
        private enum State { case idle, body, checksum1, checksum2(UInt8) }
        private var state = State.idle
        private var body: [UInt8] = []

        mutating func feed(_ byte: UInt8) -> Input? {
            switch state {
            case .idle:
                switch byte {
                case 0x24: body.removeAll(keepingCapacity: true); state = .body
                case 0x03: return .interrupt
                case 0x2b: return .ack(true)
                case 0x2d: return .ack(false)
                default: break
                }
            case .body:
                if byte == 0x23 {
                    state = .checksum1
                } else if byte == 0x24 {
                    body.removeAll(keepingCapacity: true)  // a new packet restarts
                } else if body.count >= RemoteProtocol.maxPacket {
                    state = .idle
                    body.removeAll()
                    return .corrupt
                } else {
                    body.append(byte)
                }
            case .checksum1:
                guard let h = RemoteProtocol.nibble(byte) else { state = .idle; return .corrupt }
                state = .checksum2(h)
            case .checksum2(let h):
                state = .idle
                guard let l = RemoteProtocol.nibble(byte), h << 4 | l == RemoteProtocol.checksum(body) else { return .corrupt }
                return .packet(body)
            }
            return nil
        }
    }
}
