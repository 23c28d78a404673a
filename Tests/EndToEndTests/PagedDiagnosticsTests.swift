import Foundation
import TestSupport
import Testing

/// Traces and fault reports under Sv32 say which mode ran and which addresses are virtual
/// (docs/privileged.md, "What traces and reports show").
@Suite("Paged diagnostics")
struct PagedDiagnosticsTests {
    static let svpager = Repository.bareELF("svpager-small")

    func rvjit(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        try spawn(try #require(rvjitExecutable, "the rvjit executable is not built beside the test bundle"), arguments)
    }

    @Test("a trap taken below M with Sv32 on carries its ASID, the same under both engines")
    func trapLines() throws {
        var outputs: [String] = []
        for engine in ["interp", "jit"] {
            let r = try rvjit(["run", "--engine", engine, "--machine", "bare", "--isa", "rv32i", "--priv", "msu",
                               "--trace", "traps", "--trace-file", "-", Self.svpager])
            #expect(r.status == 0)
            outputs.append(r.out.split(separator: "\n").filter { $0.hasPrefix("trap ") }.joined(separator: "\n"))
        }
        #expect(outputs[0] == outputs[1])
        // The first trap: process 1's first touch of its data, a page fault at a virtual pc.
        let first = outputs[0].split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.contains("(load page fault) at 0x00400024"), "\(first)")
        #expect(first.contains("tval 0x00500000") && first.contains("priv U->S vm sv32 asid 1"), "\(first)")
        let json = try rvjit(["run", "--machine", "bare", "--isa", "rv32i", "--priv", "msu", "--trace", "traps",
                              "--trace-format", "jsonl", "--trace-file", "-", Self.svpager])
        #expect(json.out.contains(#""sv32_asid":2"#))
    }

    @Test("insns and exec lines name the address space of their virtual addresses, under both engines",
          arguments: ["interp", "jit"])
    func instructionAndExecLines(_ engine: String) throws {
        let r = try rvjit(["run", "--engine", engine, "--machine", "bare", "--isa", "rv32i", "--priv", "msu",
                           "--trace", "insns,exec", "--trace-file", "-", Self.svpager])
        #expect(r.status == 0)
        let lines = r.out.split(separator: "\n").map(String.init)
        // The firmware and the kernel before its first `satp` write run on physical addresses.
        let firstVirtual = try #require(lines.firstIndex { $0.hasSuffix("vm sv32 asid 1") }, "no line names ASID 1")
        #expect(lines[firstVirtual].contains("csrw    satp"), "\(lines[firstVirtual])")
        #expect(!lines[..<firstVirtual].contains { $0.contains(" vm sv32") })
        #expect(lines.contains { $0.hasPrefix("core ") && $0.hasSuffix("vm sv32 asid 2") }, "process 2's instructions")
        #expect(lines.contains { $0.hasPrefix("exec ") && $0.hasSuffix("vm sv32 asid 2") }, "process 2's blocks")
        // User code (privilege 0) and the S-mode kernel both run on virtual addresses.
        #expect(lines.contains { $0.hasPrefix("core   0: 0 ") && $0.hasSuffix("vm sv32 asid 1") })
        #expect(lines.contains { $0.hasPrefix("core   0: 1 ") && $0.hasSuffix("vm sv32 asid 2") })
        let json = try rvjit(["run", "--engine", engine, "--machine", "bare", "--isa", "rv32i", "--priv", "msu",
                              "--trace", "insns,exec", "--trace-format", "jsonl", "--trace-file", "-", Self.svpager])
        #expect(json.out.contains(#""kind":"insns","icount":"#) && json.out.contains(#""sv32_asid":2,"pc""#))
    }

    @Test("a report after a budget names the virtual pc, its ASID and where it maps", arguments: ["interp", "jit"])
    func faultReport(_ engine: String) throws {
        let r = try rvjit(["run", "--engine", engine, "--machine", "bare", "--isa", "rv32i", "--priv", "msu",
                           "--max-instructions", "400000", Self.svpager])
        // 400,000 instructions end in process 2's kernel, just after its first data page fault.
        #expect(r.err.contains("last trap (15 taken): exception load page fault into S-mode, "
            + "sepc virtual address 0x400024 (Sv32, ASID 2) at physical 0x80002024, "
            + "stval virtual address 0x505000 (Sv32, ASID 2) not mapped"), "\(r.err)")
        #expect(r.err.contains("at 0x400024 (virtual address 0x400024 (Sv32, ASID 2) at physical 0x80002024): 000e2e83  lw t4,0(t3)"), "\(r.err)")
    }
}
