import Foundation
import RVJITCommands
import RVTracing
import TestSupport
import Testing

/// Output files open as Unix tools open them; every test works in its own temporary directory.
@Suite struct OutputFileTests {
    final class TempDir {
        let path: String
        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("rvjit-out-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    @Test func symlinkIsFollowedAndItsTargetWritten() throws {
        let dir = try TempDir()
        let target = dir.path + "/target.txt", link = dir.path + "/link.txt"
        try Data("old contents, longer than the new\n".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "target.txt")
        do {
            let f = try OutputFile.open(link)
            f.write("new\n")
            #expect(f.failure == nil)
        }
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "target.txt")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new\n")
    }

    @Test func fifoIsWrittenInPlace() throws {
        let dir = try TempDir()
        let fifo = dir.path + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let received = ReceivedBytes()
        let reader = Thread {
            var bytes: [UInt8] = []
            let fd = open(fifo, O_RDONLY)
            var chunk = [UInt8](repeating: 0, count: 256)
            while fd >= 0 {
                let n = read(fd, &chunk, chunk.count)
                if n <= 0 { break }
                bytes += chunk[0..<n]
            }
            if fd >= 0 { close(fd) }
            received.set(Data(bytes))
        }
        reader.start()
        do {
            let f = try OutputFile.open(fifo)  // blocks until the reader has opened its end
            f.write("through the fifo\n")
        }
        let data = received.wait()
        #expect(String(decoding: data, as: UTF8.self) == "through the fifo\n")
        var st = stat()
        #expect(lstat(fifo, &st) == 0 && st.st_mode & S_IFMT == S_IFIFO)
    }

    @Test func missingDirectoryIsAnError() throws {
        let dir = try TempDir()
        #expect(throws: OutputFileError.self) { try OutputFile.open(dir.path + "/no/such/dir/trace.txt") }
    }

    /// `--trace-file -` and `--cfg -` write to standard output (the rvjit executable, run as a
    /// subprocess); a trace through a symlink lands in the link's target.
    @Test func dashIsStandardOutputAndLinksAreFollowed() throws {
        let rvjit = try #require(rvjitExecutable, "the rvjit executable is not beside the test bundle")
        let hello = Repository.elf("hello")
        let traced = try spawn(rvjit, ["run", "--trace", "syscalls", "--trace-file", "-", hello, "x"])
        #expect(traced.status == 0)
        #expect(traced.out.contains("write(1, "))
        let graph = try spawn(rvjit, ["run", "--cfg", "-", hello, "x"])
        #expect(graph.status == 0)
        #expect(graph.out.contains("digraph"))

        let dir = try TempDir()
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/trace", withDestinationPath: dir.path + "/real")
        let linked = try spawn(rvjit, ["run", "--trace", "syscalls", "--trace-file", dir.path + "/trace", hello, "x"])
        #expect(linked.status == 0)
        #expect(try String(contentsOfFile: dir.path + "/real", encoding: .utf8).contains("exit"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir.path + "/trace") == dir.path + "/real")
    }
}

final class ReceivedBytes: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()
    func set(_ d: Data) { data = d; done.signal() }
    func wait() -> Data { done.wait(); return data }
}
