import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Internal errors put in words (issue 10, item 8): bad input gets one clear line naming the
/// problem and exit status 1 — never `errno: 98` or `NSCocoaErrorDomain error 512`.
@Suite("Rough edges: internal errors in words, file names in bytes", .offThePool)
struct WordedErrorsTests {
    @Test func aPortInUseIsNamed() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        let (socket, port) = try Self.occupyLoopbackPort()
        defer { _ = close(socket) }
        let result = try NodeCtl.refused(
            ["serve", "--listen", "127.0.0.1:\(port)", "--interval", "1"],
            data: node.data,
            mentioning: "port \(port) is in use"
        )
        #expect(!result.stderr.contains("errno"), "\(result.stderr)")
    }

    @Test func anOutputThatIsAFolderOrInAMissingFolderIsNamed() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        let customer = try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: node.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let quote = folder.path("quote.txt")
        try Data("Quote 1\n".utf8).write(to: quote)
        let document = try NodeCtl.ok(["document", "add", customer, quote.path], data: node.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let target = folder.path("out")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let missing = folder.path("no-such-folder")
        let writers: [[String]] = [
            ["bundle", "create", "--output"],
            ["customer", "export", "--output"],
            ["backup", "--output"],
            ["document", "get", document, "--output"],
        ]
        for command in writers {
            let result = try NodeCtl.refused(
                command + [target.path],
                data: node.data,
                mentioning: "cannot write \(target.path): it is a folder"
            )
            for dump in ["NSCocoaErrorDomain", "Code=", "errno", "Error Domain"] {
                #expect(!result.stderr.contains(dump), "\(command): \(result.stderr)")
            }
            try NodeCtl.refused(
                command + [missing.appendingPathComponent("file").path],
                data: node.data,
                mentioning: "the folder \(missing.path) does not exist"
            )
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.path).isEmpty)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted() == ["hq", "out", "quote.txt"]
        )
        // Reading: a folder, a missing file.
        try NodeCtl.refused(["bundle", "apply", target.path], data: node.data, mentioning: "it is a folder")
        try NodeCtl.refused(["document", "add", customer, target.path], data: node.data, mentioning: "it is a folder")
        try NodeCtl.refused(
            ["restore", missing.path, "--data", folder.path("restored").path],
            data: nil,
            mentioning: "cannot read \(missing.path): there is no such file"
        )
    }

    @Test func aFullDiskIsNamed() throws {
        // /dev/full answers every write with ENOSPC, as a full disk does.
        try #require(FileManager.default.fileExists(atPath: "/dev/full"))
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: node.data)
        for command in ["customer list --json", "customer export", "status"] {
            let result = try Self.shell(
                "exec \"$NODECTL\" \(command) --data \"$DATA\" > /dev/full",
                in: folder.url,
                environment: ["DATA": node.data.path]
            )
            #expect(result.status == 1, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("the disk is full"), "\(command): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(command): \(result.stderr)")
        }
        // A node's folder where a file is.
        let file = folder.path("a-file")
        try Data("x".utf8).write(to: file)
        try NodeCtl.refused(
            ["init", "--data", file.appendingPathComponent("node").path],
            data: nil,
            mentioning: "cannot write \(file.path)/node: \(file.path) is not a folder"
        )
    }

    @Test func aDamagedBundleSaysItIsDamaged() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let laptop = try TestNode("laptop", in: folder)
        try laptop.trust(hq)
        try NodeCtl.ok(
            ["customer", "add", "Acme Ltd", "--notes", String(repeating: "notes ", count: 200)],
            data: hq.data
        )
        let good = folder.path("good.bundle")
        try NodeCtl.ok(["bundle", "create", "--output", good.path], data: hq.data)
        let bytes = [UInt8](try Data(contentsOf: good))
        let damaged = folder.path("damaged.bundle")
        // A byte of the contents, and one of the signature itself.
        for position in [bytes.count / 2, bytes.count - 5] {
            var copy = bytes
            copy[position] ^= 0x5A
            try Data(copy).write(to: damaged)
            try NodeCtl.refused(
                ["bundle", "apply", damaged.path],
                data: laptop.data,
                mentioning: "the bundle is damaged (signature does not verify)"
            )
        }
        try Data(bytes.dropLast(100)).write(to: damaged)
        try NodeCtl.refused(
            ["bundle", "apply", damaged.path],
            data: laptop.data,
            mentioning: "the bundle is damaged ("
        )
        #expect((try NodeCtl.json(["customer", "list"], data: laptop.data) as? [Any])?.count == 0)
    }

    @Test func aFileWhoseNameIsNotUTF8IsFiled() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        let customer = try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: node.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // "café invoice.pdf" in Latin-1: the é is the one byte E9, which is not UTF-8.
        let contents = Array("%PDF-1.4 an invoice\n".utf8)
        let name: [UInt8] = Array("caf".utf8) + [0xE9] + Array(" invoice.pdf".utf8)
        let path = Array(folder.url.path.utf8) + [UInt8(ascii: "/")] + name
        let descriptor = open(path.map { CChar(bitPattern: $0) } + [0], O_WRONLY | O_CREAT | O_EXCL, 0o644)
        try #require(descriptor >= 0)
        _ = contents.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        _ = close(descriptor)

        // The shell hands nodectl the bytes as they are; Foundation's Process could not.
        let added = try Self.shell(
            "exec \"$NODECTL\" document add \"$CUSTOMER\" \"$(printf 'caf\\351 invoice.pdf')\" --json --data \"$DATA\"",
            in: folder.url,
            environment: ["CUSTOMER": customer, "DATA": node.data.path]
        )
        #expect(added.status == 0, "\(added.stderr)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any]
        )
        #expect(document["fileName"] as? String == "café invoice.pdf")
        #expect(document["title"] as? String == "café invoice")
        #expect(document["size"] as? Int == contents.count)
        #expect(document["mediaType"] as? String == "application/pdf")
        let id = try #require(document["id"] as? String)
        let copy = folder.path("copy.pdf")
        try NodeCtl.ok(["document", "get", id, "--output", copy.path], data: node.data)
        #expect([UInt8](try Data(contentsOf: copy)) == contents)

        // A name that is not there is refused in one line, its bytes shown as the folder would.
        let missing = try Self.shell(
            "exec \"$NODECTL\" document add \"$CUSTOMER\" \"$(printf 'na\\357ve.txt')\" --data \"$DATA\"",
            in: folder.url,
            environment: ["CUSTOMER": customer, "DATA": node.data.path]
        )
        #expect(missing.status == 1, "\(missing.stderr)")
        #expect(missing.stderr.contains("cannot read naïve.txt: there is no such file"), "\(missing.stderr)")
        #expect(missing.stderr.split(separator: "\n").count == 1, "\(missing.stderr)")
    }

    /// Listens on a free loopback port, as another program would; returns the socket and port.
    static func occupyLoopbackPort() throws -> (Int32, Int) {
        #if canImport(Glibc)
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let socket = Darwin.socket(AF_INET, SOCK_STREAM, 0)
        #endif
        try #require(socket >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, size) }
        }
        try #require(bound == 0)
        try #require(listen(socket, 1) == 0)
        var length = size
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        return (socket, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// Runs `script` with `/bin/sh` in `directory`, `$NODECTL` set to the built executable.
    static func shell(_ script: String, in directory: URL, environment: [String: String]) throws -> NodeCtl.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = directory
        var variables = ProcessInfo.processInfo.environment
        variables["NODECTL"] = NodeCtl.executable.path
        variables.merge(environment) { $1 }
        process.environment = variables
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return NodeCtl.Result(
            status: process.terminationStatus,
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self)
        )
    }
}
