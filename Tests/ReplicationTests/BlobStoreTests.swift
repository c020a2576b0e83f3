import Foundation
import Replication
import TestSupport
import Testing

@Suite("Blob store", .offThePool)
struct BlobStoreTests {
    /// A fresh directory under the system's temporary directory, removed when the test ends.
    struct TemporaryDirectory: ~Copyable {
        let url: URL

        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("blob-tests-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }

        deinit {
            try? FileManager.default.removeItem(at: url)
        }
    }

    /// Known SHA-256 values (FIPS 180-2 examples, the empty string, and UTF-8 text hashed by
    /// Python's hashlib).
    static let vectors: [(String, String)] = [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        ("Müller & Söhne 🏭", "2ab246d041457369a65b34311f225c8da0115d7b7f0ed993e559932507517d72"),
    ]

    @Test("put returns the SHA-256 and lays the file out as ab/abcdef…")
    func putAndLayout() throws {
        let temporary = try TemporaryDirectory()
        let store = try BlobStore(directory: temporary.url.appendingPathComponent("deep/blobs"))
        for (text, expected) in Self.vectors {
            let digest = try store.put(Array(text.utf8))
            #expect(digest == expected)
            #expect(BlobStore.isValidDigest(digest))
            let url = try store.url(for: digest)
            #expect(url.lastPathComponent == digest)
            #expect(url.deletingLastPathComponent().lastPathComponent == String(digest.prefix(2)))
            #expect(
                url.deletingLastPathComponent().deletingLastPathComponent().standardizedFileURL.path
                    == store.directory.standardizedFileURL.path
            )
            #expect(store.contains(digest))
            #expect(try store.read(digest) == Array(text.utf8))
        }
        // Data works as well as arrays.
        #expect(try store.put(Data("abc".utf8)) == Self.vectors[1].1)
    }

    @Test("put is idempotent and leaves no temporary files")
    func idempotentPut() throws {
        let temporary = try TemporaryDirectory()
        let store = try BlobStore(directory: temporary.url)
        let bytes = Array("the same invoice".utf8)
        let first = try store.put(bytes)
        let modified = try FileManager.default.attributesOfItem(atPath: store.url(for: first).path)[.modificationDate]
        let second = try store.put(bytes)
        #expect(first == second)
        #expect(
            try FileManager.default.attributesOfItem(atPath: store.url(for: first).path)[.modificationDate] as? Date
                == modified as? Date
        )
        let file = temporary.url.appendingPathComponent("invoice.txt")
        try Data(bytes).write(to: file)
        let streamed = try store.put(contentsOf: file)
        #expect(streamed.digest == first && streamed.size == Int64(bytes.count))
        let everything = FileManager.default.enumerator(atPath: temporary.url.path)?.allObjects as? [String] ?? []
        #expect(everything.sorted() == ["\(first.prefix(2))", "\(first.prefix(2))/\(first)", "invoice.txt"])
    }

    @Test("corruption is detected by read and copy, and put repairs it")
    func corruption() throws {
        let temporary = try TemporaryDirectory()
        let store = try BlobStore(directory: temporary.url.appendingPathComponent("blobs"))
        let bytes = Array(repeating: Array("scanned page ".utf8), count: 1_000).flatMap { $0 }
        let digest = try store.put(bytes)
        let path = try store.url(for: digest).path
        let destination = temporary.url.appendingPathComponent("export.pdf")

        var flipped = bytes
        flipped[5_000] ^= 0x01
        let damages: [(String, [UInt8])] = [
            ("a flipped bit", flipped), ("a cut", Array(bytes.prefix(100))), ("emptied", []),
        ]
        for (what, damaged) in damages {
            try Data(damaged).write(to: URL(fileURLWithPath: path))
            #expect(throws: BlobError(.corrupt, ""), "read after \(what)") { try store.read(digest) }
            #expect(throws: BlobError(.corrupt, ""), "copy after \(what)") { try store.copy(digest, to: destination) }
            #expect(!FileManager.default.fileExists(atPath: destination.path))
            #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.url.path) == ["blobs"])
        }
        // Putting the bytes again replaces the corrupt copy.
        #expect(try store.put(bytes) == digest)
        #expect(try store.read(digest) == bytes)
    }

    @Test(
        "bad digests are refused before any path is built",
        arguments: [
            "",
            "../../../../etc/passwd",
            "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555",
            "g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "e3/../c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85\u{0}",
            "é3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85",
            " e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ]
    )
    func badDigest(_ digest: String) throws {
        let temporary = try TemporaryDirectory()
        let store = try BlobStore(directory: temporary.url)
        try store.put([UInt8]())
        #expect(!BlobStore.isValidDigest(digest))
        #expect(!store.contains(digest))
        #expect(throws: BlobError(.invalidDigest, "")) { try store.url(for: digest) }
        #expect(throws: BlobError(.invalidDigest, "")) { try store.read(digest) }
        #expect(throws: BlobError(.invalidDigest, "")) {
            try store.copy(digest, to: temporary.url.appendingPathComponent("out"))
        }
    }

    @Test("a missing blob or source file is .notFound")
    func missing() throws {
        let temporary = try TemporaryDirectory()
        let store = try BlobStore(directory: temporary.url)
        let absent = String(repeating: "ab", count: 32)
        #expect(!store.contains(absent))
        #expect(throws: BlobError(.notFound, "")) { try store.read(absent) }
        #expect(throws: BlobError(.notFound, "")) {
            try store.copy(absent, to: temporary.url.appendingPathComponent("x"))
        }
        #expect(throws: BlobError(.notFound, "")) {
            try store.put(contentsOf: temporary.url.appendingPathComponent("nope"))
        }
        #expect(throws: BlobError(.io, "")) {
            try store.copy(store.put([1, 2, 3]), to: temporary.url.appendingPathComponent("no/such/folder/x"))
        }
    }

    @Test("a file of several MB is streamed in, copied out and verified")
    func largeFile() throws {
        let temporary = try TemporaryDirectory()
        let store = try BlobStore(directory: temporary.url.appendingPathComponent("blobs"))
        var generator = ChangeBatchFixtures.SeededGenerator(seed: 99)
        // Not a multiple of the chunk size, so the last chunk is short.
        let bytes = (0..<(6 * BlobStore.chunkSize + 12_345)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let source = temporary.url.appendingPathComponent("scan.tiff")
        try Data(bytes).write(to: source)

        let (digest, size) = try store.put(contentsOf: source)
        #expect(size == Int64(bytes.count))
        #expect(digest == (try store.put(bytes)))
        #expect(try store.read(digest) == bytes)

        let destination = temporary.url.appendingPathComponent("copy.tiff")
        try Data("an older file in the way".utf8).write(to: destination)
        try store.copy(digest, to: destination)
        #expect(try Data(contentsOf: destination) == Data(bytes))

        // The million-'a' SHA-256 test vector, through the streaming path.
        let millionA = temporary.url.appendingPathComponent("a")
        try Data(repeating: UInt8(ascii: "a"), count: 1_000_000).write(to: millionA)
        #expect(
            try store.put(contentsOf: millionA).digest
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        )
        let names = try FileManager.default.contentsOfDirectory(atPath: store.directory.path)
        #expect(!names.contains { $0.hasPrefix(".tmp") })
    }
}
