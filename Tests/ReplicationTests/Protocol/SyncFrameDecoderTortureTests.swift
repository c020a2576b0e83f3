import NIOCore
import NIOTestUtils
import Replication
import TestSupport
import Testing

/// The frame decoder fed the way networks and attackers feed it: a byte at a time, many frames
/// at once, cut short, oversized, garbage, randomly mutated. It must decode what is whole,
/// wait for what is not, and refuse the rest with a ``ProtocolError``; never trap.
@Suite(.offThePool)
struct SyncFrameDecoderTortureTests {
    static func stream() throws -> (bytes: [UInt8], boundaries: [Int]) {
        var bytes: [UInt8] = []
        var boundaries: [Int] = []
        for message in SyncSamples.messages where !isHuge(message) {
            bytes += try SyncSamples.encoded(message)
            boundaries.append(bytes.count)
        }
        return (bytes, boundaries)
    }

    static func isHuge(_ message: SyncMessage) -> Bool {
        if case .blobChunk(let chunk) = message { return chunk.bytes.count > 4096 }
        return false
    }

    static var smallMessages: [SyncMessage] { SyncSamples.messages.filter { !isHuge($0) } }

    @Test func passesNIOsDecoderVerifier() throws {
        let pairs = try Self.smallMessages.map { message in
            (ByteBuffer(bytes: try SyncSamples.encoded(message)), [message])
        }
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) { SyncFrameDecoder() }
    }

    @Test func oneByteAtATime() throws {
        let (bytes, boundaries) = try Self.stream()
        var decoder = SyncFrameDecoder()
        var buffer = ByteBuffer()
        var decoded: [SyncMessage] = []
        for (index, byte) in bytes.enumerated() {
            buffer.writeInteger(byte)
            while let message = try decoder.decode(buffer: &buffer) { decoded.append(message) }
            // A message appears exactly when its last byte arrives.
            #expect(decoded.count == boundaries.filter { $0 <= index + 1 }.count)
        }
        #expect(decoded == Self.smallMessages)
        #expect(buffer.readableBytes == 0)
    }

    @Test func manyFramesInOneBuffer() throws {
        var all: [UInt8] = []
        var expected: [SyncMessage] = []
        for _ in 0..<20 {
            all += try Self.stream().bytes
            expected += Self.smallMessages
        }
        var decoder = SyncFrameDecoder()
        var buffer = ByteBuffer(bytes: all)
        var decoded: [SyncMessage] = []
        while let message = try decoder.decode(buffer: &buffer) { decoded.append(message) }
        #expect(decoded == expected)
        #expect(try decoder.decodeLast(buffer: &buffer, seenEOF: true) == nil)
    }

    @Test(arguments: [1, 2, 3, 7, 64, 1000])
    func randomlySizedPieces(seed: UInt64) throws {
        let (bytes, _) = try Self.stream()
        var random = SyncTestRandom(seed: seed)
        var decoder = SyncFrameDecoder()
        var buffer = ByteBuffer()
        var decoded: [SyncMessage] = []
        var offset = 0
        while offset < bytes.count {
            let count = min(bytes.count - offset, Int.random(in: 1...300, using: &random))
            buffer.writeBytes(bytes[offset..<(offset + count)])
            offset += count
            while let message = try decoder.decode(buffer: &buffer) { decoded.append(message) }
            buffer.discardReadBytes()
        }
        #expect(decoded == Self.smallMessages)
    }

    @Test func everyTruncationWaitsForMoreAndNeverThrows() throws {
        let (bytes, boundaries) = try Self.stream()
        for cut in 0..<bytes.count {
            var decoder = SyncFrameDecoder()
            var buffer = ByteBuffer(bytes: bytes[0..<cut])
            var decoded = 0
            while try decoder.decode(buffer: &buffer) != nil { decoded += 1 }
            #expect(try decoder.decodeLast(buffer: &buffer, seenEOF: true) == nil)
            let whole = boundaries.filter { $0 <= cut }
            #expect(decoded == whole.count, "cut at \(cut)")
            #expect(buffer.readableBytes == cut - (whole.last ?? 0), "cut at \(cut): the partial frame stays")
        }
    }

    @Test func oversizedLengthIsRefusedFromTheHeaderAlone() throws {
        var decoder = SyncFrameDecoder(maxFrameLength: 1024)
        var buffer = ByteBuffer(bytes: [0, 0, 4])
        #expect(try decoder.decode(buffer: &buffer) == nil)
        buffer.writeInteger(UInt8(1))  // 1025: one byte over, and none of the frame has arrived
        let error = #expect(throws: ProtocolError.self) { try decoder.decode(buffer: &buffer) }
        #expect(error?.code == .frameTooLarge)
        #expect(error?.message.contains("1025") == true)
    }

    @Test(arguments: [11, 12, 13, 14, 15])
    func randomGarbageNeverTraps(seed: UInt64) {
        var random = SyncTestRandom(seed: seed)
        for _ in 0..<2000 {
            let count = Int.random(in: 0...64, using: &random)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            if bytes.count >= 4 && Bool.random(using: &random) {
                // A plausible small length, so the payload decoders are reached too.
                bytes[0] = 0
                bytes[1] = 0
                bytes[2] = 0
                bytes[3] = UInt8(min(count - 4, 60))
                if count > 4 { bytes[4] = UInt8.random(in: 0...10, using: &random) }
            }
            Self.decodeCanonically(bytes)
        }
    }

    /// Random mutations of a valid stream: flipped bits, overwritten, inserted and deleted
    /// bytes, cuts. Whatever decodes must re-encode to exactly the bytes it was read from,
    /// except a batch (whose encoding the codec may normalise) and a hello (whose unknown
    /// extensions are skipped and absent ones read as empty: it must re-encode to a hello that
    /// decodes to the same value).
    @Test(arguments: [101, 202, 303, 404])
    func seededMutationsNeverTrap(seed: UInt64) throws {
        let (original, _) = try Self.stream()
        var random = SyncTestRandom(seed: seed)
        var outcomes = (decoded: 0, refused: 0)
        for _ in 0..<400 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let position = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<5, using: &random) {
                case 0: bytes[position] ^= UInt8(1) << UInt8.random(in: 0...7, using: &random)
                case 1: bytes[position] = UInt8.random(in: 0...255, using: &random)
                case 2: bytes.insert(UInt8.random(in: 0...255, using: &random), at: position)
                case 3: bytes.remove(at: position)
                default: bytes.removeLast(min(bytes.count - 1, Int.random(in: 1...40, using: &random)))
                }
            }
            let result = Self.decodeCanonically(bytes)
            outcomes.decoded += result.decoded
            outcomes.refused += result.refused ? 1 : 0
        }
        // Both paths were exercised.
        #expect(outcomes.decoded > 0)
        #expect(outcomes.refused > 0)
    }

    /// Decodes until the bytes run out or the decoder throws, checking each message re-encodes
    /// to the bytes it came from (a hello: to the same value).
    @discardableResult
    static func decodeCanonically(_ bytes: [UInt8]) -> (decoded: Int, refused: Bool) {
        var decoder = SyncFrameDecoder()
        var buffer = ByteBuffer(bytes: bytes)
        var decoded = 0
        do {
            while true {
                let start = buffer.readerIndex
                guard let message = try decoder.decode(buffer: &buffer) else { break }
                decoded += 1
                if case .batch = message { continue }
                if case .hello(let hello) = message {
                    guard hello.version == Hello.currentVersion else { continue }
                    let again = try? SyncSamples.decodeAll(SyncSamples.encoded(message))
                    #expect(again == [message], "\(message) does not re-encode to the same hello")
                    continue
                }
                let frame = Array(bytes[start..<buffer.readerIndex])
                #expect((try? SyncSamples.encoded(message)) == frame, "\(message) does not re-encode to its bytes")
            }
            return (decoded, false)
        } catch {
            #expect(error is ProtocolError, "\(error)")
            return (decoded, true)
        }
    }

    /// Inputs that once broke a decoder like this one, replayed on every run.
    static let pastCrashers: [[UInt8]] = [
        [0xFF, 0xFF, 0xFF, 0xFF, 1],  // a length that overflows Int32 arithmetic
        [0, 0, 0, 1],  // a whole length, no type byte yet
        [0, 0, 0, 6, 6] + [0xFF],  // a chunk cut inside its digest
        [0, 0, 0, 2, 5] + [0xFF],  // a count varint cut short
        [0, 0, 0, 12, 3, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],  // count overflowing
    ]

    @Test(arguments: pastCrashers)
    func pastCrashersAreHandled(bytes: [UInt8]) {
        Self.decodeCanonically(bytes)
    }
}
