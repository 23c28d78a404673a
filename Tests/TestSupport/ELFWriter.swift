/// A minimal static ELF32 RISC-V executable, laid out as the GNU linker lays one out (qemu-user
/// would not run simpler layouts): a `PT_RISCV_ATTRIBUTES` header naming the ISA, one
/// read-execute segment from file offset 0 at 0x10000 holding the headers and then the code, one
/// read-write data segment, and section headers for .text, .data, .riscv.attributes, .shstrtab.
public enum ELFWriter {
    static let headerSize = 52 + 3 * 32
    public static let codeAddress: UInt32 = 0x10000 + UInt32(headerSize)
    /// The attributes section of an rv32i object: Tag_RISCV_arch = "rv32i2p1".
    static let attributes: [UInt8] = [
        0x41, 0x19, 0, 0, 0, 0x72, 0x69, 0x73, 0x63, 0x76, 0, 0x01, 0x0f, 0, 0, 0,
        0x05, 0x72, 0x76, 0x33, 0x32, 0x69, 0x32, 0x70, 0x31, 0,
    ]

    /// With the code as words (4-byte instructions).
    public static func executable(code: [UInt32], data: [UInt8], dataAddress: UInt32, dataMemorySize: UInt32) -> [UInt8] {
        executable(code: code.flatMap { w in withUnsafeBytes(of: w.littleEndian) { Array($0) } }, data: data,
                   dataAddress: dataAddress, dataMemorySize: dataMemorySize)
    }

    /// With the code as bytes (2- and 4-byte instructions mixed).
    public static func executable(code: [UInt8], data: [UInt8], dataAddress: UInt32, dataMemorySize: UInt32) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: headerSize)
        func put16(_ v: UInt16, _ at: Int) { b[at] = UInt8(v & 0xff); b[at + 1] = UInt8(v >> 8) }
        func put32(_ v: UInt32, _ at: Int) { for i in 0..<4 { b[at + i] = UInt8((v >> (8 * UInt32(i))) & 0xff) } }
        func programHeader(_ index: Int, _ values: [UInt32]) { for (k, v) in values.enumerated() { put32(v, 52 + 32 * index + 4 * k) } }
        b[0...3] = [0x7f, 0x45, 0x4c, 0x46]
        b[4] = 1; b[5] = 1; b[6] = 1  // ELF32, little-endian, version 1
        put16(2, 16); put16(243, 18); put32(1, 20)  // ET_EXEC, EM_RISCV, EV_CURRENT
        put32(codeAddress, 24); put32(52, 28); put32(0, 36)  // entry, phoff, flags
        put16(52, 40); put16(32, 42); put16(3, 44)  // ehsize, phentsize, phnum
        b += code
        let end = UInt32(b.count)
        let dataOffset = (end + 0xfff) & ~0xfff
        b += [UInt8](repeating: 0, count: Int(dataOffset) - b.count)
        b += data
        let attributesOffset = UInt32(b.count)
        b += attributes
        programHeader(0, [0x7000_0003, attributesOffset, 0, 0, UInt32(attributes.count), 0, 4, 1])  // PT_RISCV_ATTRIBUTES
        programHeader(1, [1, 0, 0x10000, 0x10000, end, end, 5, 0x1000])  // code, R+X
        programHeader(2, [1, dataOffset, dataAddress, dataAddress, UInt32(data.count), dataMemorySize, 6, 0x1000])  // data, R+W
        let names: [UInt8] = Array("\0.text\0.data\0.riscv.attributes\0.shstrtab\0".utf8)
        let namesOffset = UInt32(b.count)
        b += names
        while b.count % 4 != 0 { b.append(0) }
        let sectionOffset = b.count
        func section(_ name: UInt32, _ type: UInt32, _ flags: UInt32, _ addr: UInt32, _ offset: UInt32, _ size: UInt32, _ align: UInt32) {
            for v in [name, type, flags, addr, offset, size, 0, 0, align, 0] { withUnsafeBytes(of: v.littleEndian) { b += $0 } }
        }
        section(0, 0, 0, 0, 0, 0, 0)
        section(1, 1, 6, codeAddress, UInt32(headerSize), UInt32(code.count), 2)  // .text: PROGBITS, AX
        section(7, 1, 3, dataAddress, dataOffset, UInt32(data.count), 4)  // .data: PROGBITS, WA
        section(13, 0x7000_0003, 0, 0, attributesOffset, UInt32(attributes.count), 1)  // .riscv.attributes
        section(31, 3, 0, 0, namesOffset, UInt32(names.count), 1)  // .shstrtab
        put32(UInt32(sectionOffset), 32)
        put16(40, 46); put16(5, 48); put16(4, 50)
        return b
    }
}
