import Foundation
import Testing

@testable import RVJIT

/// Every instruction form the native tier emits, encoded by `X86Assembler` and by GNU `as`
/// (binutils), byte for byte. Skipped where `as` and `objcopy` are not installed.
@Suite struct X86AssemblerTests {
    typealias A = X86Assembler

    /// Intel-syntax text and the same instruction through the assembler.
    static let forms: [(String, @Sendable (inout A) -> Void)] = [
        ("mov eax, DWORD PTR [rbx+0x10]", { $0.load(.rax, A.Mem(base: .rbx, disp: 0x10)) }),
        ("mov r12, QWORD PTR [rbx+0x1c8]", { $0.load(.r12, A.Mem(base: .rbx, disp: 0x1c8), wide: true) }),
        ("mov rdx, QWORD PTR [rax+0x8]", { $0.load(.rdx, A.Mem(base: .rax, disp: 8), wide: true) }),
        ("mov eax, DWORD PTR [r12+rcx*1]", { $0.load(.rax, A.Mem(base: .r12, index: .rcx)) }),
        ("mov DWORD PTR [rbx+0x84], ecx", { $0.store(A.Mem(base: .rbx, disp: 0x84), .rcx) }),
        ("mov QWORD PTR [rbx+0x100], rax", { $0.store(A.Mem(base: .rbx, disp: 0x100), .rax, wide: true) }),
        ("mov WORD PTR [r12+rcx*1], ax", { $0.store16(A.Mem(base: .r12, index: .rcx), .rax) }),
        ("mov BYTE PTR [r12+rcx*1], al", { $0.store8(A.Mem(base: .r12, index: .rcx), .rax) }),
        ("mov DWORD PTR [rbx+0x4], 0x12345678", { $0.storeImmediate(A.Mem(base: .rbx, disp: 4), 0x1234_5678) }),
        ("mov QWORD PTR [rbx+0x120], 0x0", { $0.storeImmediate(A.Mem(base: .rbx, disp: 0x120), 0, wide: true) }),
        ("movzx edx, BYTE PTR [r13+rdx*1+0x0]", { $0.loadExtended(.rdx, A.Mem(base: .r13, index: .rdx), bits: 8, signed: false) }),
        ("movsx eax, BYTE PTR [r12+rcx*1]", { $0.loadExtended(.rax, A.Mem(base: .r12, index: .rcx), bits: 8, signed: true) }),
        ("movzx eax, WORD PTR [r12+rcx*1]", { $0.loadExtended(.rax, A.Mem(base: .r12, index: .rcx), bits: 16, signed: false) }),
        ("movsx eax, WORD PTR [r12+rcx*1]", { $0.loadExtended(.rax, A.Mem(base: .r12, index: .rcx), bits: 16, signed: true) }),
        ("mov ecx, 0xdeadbeef", { $0.moveImmediate(.rcx, 0xdead_beef) }),
        ("mov r9d, 0x5", { $0.moveImmediate(.r9, 5) }),
        ("movabs rax, 0x123456789abcdef0", { $0.moveImmediate64(.rax, 0x1234_5678_9abc_def0) }),
        ("movabs rcx, 0x7f0000001000", { $0.moveImmediate64(.rcx, 0x7f00_0000_1000) }),
        ("mov edx, ecx", { $0.move(.rdx, .rcx) }),
        ("mov rbx, rdi", { $0.move(.rbx, .rdi, wide: true) }),
        ("mov rdi, rbx", { $0.move(.rdi, .rbx, wide: true) }),
        ("mov esi, ecx", { $0.move(.rsi, .rcx) }),
        ("lea ecx, [rax+0x7f]", { $0.lea(.rcx, A.Mem(base: .rax, disp: 0x7f)) }),
        ("add eax, ecx", { $0.alu(.add, .rax, .rcx) }),
        ("sub ecx, edx", { $0.alu(.sub, .rcx, .rdx) }),
        ("xor eax, eax", { $0.alu(.xor, .rax, .rax) }),
        ("or edx, eax", { $0.alu(.or, .rdx, .rax) }),
        ("and ecx, eax", { $0.alu(.and, .rcx, .rax) }),
        ("cmp eax, ecx", { $0.alu(.cmp, .rax, .rcx) }),
        ("add eax, DWORD PTR [rbx+0x8]", { $0.alu(.add, .rax, A.Mem(base: .rbx, disp: 8)) }),
        ("cmp eax, DWORD PTR [rcx]", { $0.alu(.cmp, .rax, A.Mem(base: .rcx)) }),
        ("cmp rax, QWORD PTR [rbx+0x118]", { $0.alu(.cmp, .rax, A.Mem(base: .rbx, disp: 0x118), wide: true) }),
        ("add rcx, QWORD PTR [rbx+0x1d0]", { $0.alu(.add, .rcx, A.Mem(base: .rbx, disp: 0x1d0), wide: true) }),
        ("add ecx, 0x12345", { $0.alu(.add, .rcx, immediate: 0x12345) }),
        ("add eax, 0x7", { $0.alu(.add, .rax, immediate: 7) }),
        ("and eax, 0xfffffffe", { $0.alu(.and, .rax, immediate: -2) }),
        ("and edx, 0xfff", { $0.alu(.and, .rdx, immediate: 0xfff) }),
        ("cmp edx, 0xffc", { $0.alu(.cmp, .rdx, immediate: 0xffc) }),
        ("sub rsp, 0x8", { $0.alu(.sub, .rsp, immediate: 8, wide: true) }),
        ("add rax, 0x40", { $0.alu(.add, .rax, immediate: 0x40, wide: true) }),
        ("sub QWORD PTR [rbx+0x110], 0x3", { $0.alu(.sub, A.Mem(base: .rbx, disp: 0x110), immediate: 3, wide: true) }),
        ("sub DWORD PTR [rbx+0x138], 0x1", { $0.alu(.sub, A.Mem(base: .rbx, disp: 0x138), immediate: 1) }),
        ("add QWORD PTR [rax], 0x1", { $0.alu(.add, A.Mem(base: .rax), immediate: 1, wide: true) }),
        ("shl ecx, 0x4", { $0.shift(.shl, .rcx, by: 4) }),
        ("shr edx, 0xc", { $0.shift(.shr, .rdx, by: 12) }),
        ("sar eax, 0x3", { $0.shift(.sar, .rax, by: 3) }),
        ("shl eax, cl", { $0.shiftByCL(.shl, .rax) }),
        ("sar eax, cl", { $0.shiftByCL(.sar, .rax) }),
        ("imul eax, ecx", { $0.imul(.rax, .rcx) }),
        ("setl al\nmovzx eax, al", { $0.setAndExtend(.l, .rax) }),
        ("setb al\nmovzx eax, al", { $0.setAndExtend(.b, .rax) }),
        ("test al, 0x2", { $0.testLowByte(.rax, 2) }),
        ("test cl, 0x3", { $0.testLowByte(.rcx, 3) }),
        ("test rdx, rdx", { $0.test64(.rdx, .rdx) }),
        ("cmp BYTE PTR [rax+0x27], 0x2", { $0.compareByte(A.Mem(base: .rax, disp: 0x27), 2) }),
        ("jmp rdx", { $0.jump(.rdx) }),
        ("jmp rsi", { $0.jump(.rsi) }),
        ("call rax", { $0.call(.rax) }),
        ("push rbx\npush r12\npop r15\npop rbp\nret", { a in a.push(.rbx); a.push(.r12); a.pop(.r15); a.pop(.rbp); a.ret() }),
        // Guest registers in host registers: pinned (rbp, r14, r15, r8-r11) and per block (rsi, rdi).
        ("mov r8d, DWORD PTR [rbx+0x8]", { $0.load(.r8, A.Mem(base: .rbx, disp: 8)) }),
        ("mov ebp, DWORD PTR [rbx+0x3c]", { $0.load(.rbp, A.Mem(base: .rbx, disp: 0x3c)) }),
        ("mov DWORD PTR [rbx+0x2c], r11d", { $0.store(A.Mem(base: .rbx, disp: 0x2c), .r11) }),
        ("mov DWORD PTR [rbx+0x4c], edi", { $0.store(A.Mem(base: .rbx, disp: 0x4c), .rdi) }),
        ("mov r14d, DWORD PTR [r12+rsi*1]", { $0.load(.r14, A.Mem(base: .r12, index: .rsi)) }),
        ("mov eax, DWORD PTR [r12+r14*1]", { $0.load(.rax, A.Mem(base: .r12, index: .r14)) }),
        ("movzx r15d, BYTE PTR [r12+r14*1]", { $0.loadExtended(.r15, A.Mem(base: .r12, index: .r14), bits: 8, signed: false) }),
        ("movsx esi, WORD PTR [r12+rbp*1]", { $0.loadExtended(.rsi, A.Mem(base: .r12, index: .rbp), bits: 16, signed: true) }),
        ("mov DWORD PTR [r12+r8*1], edi", { $0.store(A.Mem(base: .r12, index: .r8), .rdi) }),
        ("mov WORD PTR [r12+rbp*1], r9w", { $0.store16(A.Mem(base: .r12, index: .rbp), .r9) }),
        ("mov BYTE PTR [r12+rcx*1], r15b", { $0.store8(A.Mem(base: .r12, index: .rcx), .r15) }),
        ("mov BYTE PTR [r12+rcx*1], sil", { $0.store8(A.Mem(base: .r12, index: .rcx), .rsi) }),
        ("mov BYTE PTR [r12+r11*1], bpl", { $0.store8(A.Mem(base: .r12, index: .r11), .rbp) }),
        ("lea ecx, [rbp-0x1]", { $0.lea(.rcx, A.Mem(base: .rbp, disp: -1)) }),
        ("lea ecx, [r14+0x800]", { $0.lea(.rcx, A.Mem(base: .r14, disp: 0x800)) }),
        ("lea ecx, [r8+0x4]", { $0.lea(.rcx, A.Mem(base: .r8, disp: 4)) }),
        ("mov edx, r14d", { $0.move(.rdx, .r14) }),
        ("mov r15d, ebp", { $0.move(.r15, .rbp) }),
        ("mov esi, r9d", { $0.move(.rsi, .r9) }),
        ("mov r10d, 0x13de8", { $0.moveImmediate(.r10, 0x13de8) }),
        ("mov DWORD PTR [rbx+0xf8], 0x20000", { $0.storeImmediate(A.Mem(base: .rbx, disp: 0xf8), 0x20000) }),
        ("movabs rsi, 0x55845c378a20", { $0.moveImmediate64(.rsi, 0x5584_5c37_8a20) }),
        ("add ebp, 0x1", { $0.alu(.add, .rbp, immediate: 1) }),
        ("sub r14d, r9d", { $0.alu(.sub, .r14, .r9) }),
        ("xor edi, esi", { $0.alu(.xor, .rdi, .rsi) }),
        ("add r15d, DWORD PTR [rbx+0x4c]", { $0.alu(.add, .r15, A.Mem(base: .rbx, disp: 0x4c)) }),
        ("cmp ebp, DWORD PTR [rbx+0x4c]", { $0.alu(.cmp, .rbp, A.Mem(base: .rbx, disp: 0x4c)) }),
        ("cmp r8d, 0x10", { $0.alu(.cmp, .r8, immediate: 0x10) }),
        ("and r11d, 0xff", { $0.alu(.and, .r11, immediate: 0xff) }),
        ("shl r15d, 0x2", { $0.shift(.shl, .r15, by: 2) }),
        ("sar esi, cl", { $0.shiftByCL(.sar, .rsi) }),
        ("shr r11d, cl", { $0.shiftByCL(.shr, .r11) }),
        ("imul r14d, r9d", { $0.imul(.r14, .r9) }),
        ("imul ebp, ecx", { $0.imul(.rbp, .rcx) }),
        ("test r14b, 0x3", { $0.testLowByte(.r14, 3) }),
        ("test bpl, 0x1", { $0.testLowByte(.rbp, 1) }),
        ("test sil, 0x3", { $0.testLowByte(.rsi, 3) }),
        ("test dil, 0x1", { $0.testLowByte(.rdi, 1) }),
    ]

    static var binutils: Bool {
        ["/usr/bin/as", "/usr/bin/objcopy"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test(.enabled(if: binutils)) func everyFormMatchesGNUAs() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rvjit-x86asm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // One assembly file for all the forms, each between labels so its bytes can be cut out.
        var source = ".intel_syntax noprefix\n.text\n"
        var ours: [[UInt8]] = []
        for (k, (text, encode)) in Self.forms.enumerated() {
            source += "f\(k):\n\(text)\n"
            var a = A()
            encode(&a)
            ours.append(a.bytes)
        }
        let asm = directory.appendingPathComponent("forms.s"), object = directory.appendingPathComponent("forms.o")
        let binary = directory.appendingPathComponent("forms.bin")
        try source.write(to: asm, atomically: true, encoding: .utf8)
        try Self.run("/usr/bin/as", ["--64", "-o", object.path, asm.path])
        try Self.run("/usr/bin/objcopy", ["-O", "binary", "--only-section=.text", object.path, binary.path])
        let theirs = try [UInt8](Data(contentsOf: binary))
        var offset = 0
        for (k, (text, _)) in Self.forms.enumerated() {
            let expected = Array(theirs[min(offset, theirs.count)..<min(offset + ours[k].count, theirs.count)])
            #expect(ours[k] == expected, "\(text): ours \(ours[k].map { String(format: "%02x", $0) }) as \(expected.map { String(format: "%02x", $0) })")
            offset += ours[k].count
        }
        #expect(offset == theirs.count, "the forms together are as long as GNU as made them")
    }

    static func run(_ tool: String, _ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(tool) \(arguments)")
    }

    /// Jump displacements are bound relative to the end of the jump, as the CPU reads them.
    @Test func jumpsBindRelativeToTheirEnd() {
        var a = A()
        let site = a.jump()
        a.ret()
        a.bind(site, to: a.count)
        #expect(a.bytes == [0xe9, 0x01, 0x00, 0x00, 0x00, 0xc3])
        var b = A()
        let back = b.count
        let s = b.jump(if: .ne)
        b.bind(s, to: back)
        #expect(b.bytes == [0x0f, 0x85, 0xfa, 0xff, 0xff, 0xff])
    }
}
