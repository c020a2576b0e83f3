// A libFuzzer harness for the sync protocol's frame decoder. Built and run by
// scripts/fuzz-sync-frame.sh, which explains how; not part of the Swift package.
//
// Every input is used twice: as a byte stream for SyncFrameDecoder (decoded whole, and again
// delivered in two pieces, which must give the same outcome), and as one frame's type byte
// followed by its payload for SyncMessage.decode (so that mutations reach the payload decoders
// without having to get the length prefix right). Decoding must either throw a ProtocolError or
// give messages that re-encode to exactly the bytes they came from (a batch: to bytes that
// decode to the same batch); anything else (a trap, an ASan report, a leak, a timeout) is a
// finding. Batches are decoded within 1 MiB instead of 64 so that zlib bombs cost
// milliseconds; the code paths are the same.

import NIOCore
import Replication

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSyncFrame(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let whole = decodeStream(input, splitAt: nil)
    let split = decodeStream(input, splitAt: size / 2)
    precondition(whole == split, "the stream decoded differently when delivered in two pieces")
    if let type = input.first {
        decodePayload(typeByte: type % 12, Array(input.dropFirst()))
    }
    return 0
}

private let decoder = SyncFrameDecoder(
    maxFrameLength: 1 << 20,
    batchLimits: ChangeBatchCodec.Limits(maxDecompressedBytes: 1 << 20)
)

/// What a stream decoded to: its messages, and whether the decoder refused it in the end.
private struct Outcome: Equatable {
    var messages: [SyncMessage] = []
    var refused = false
}

private func decodeStream(_ bytes: [UInt8], splitAt split: Int?) -> Outcome {
    var frames = decoder
    var buffer = ByteBuffer(bytes: bytes[0..<(split ?? bytes.count)])
    var rest = split.map { Array(bytes[$0...]) }
    var outcome = Outcome()
    do {
        while true {
            let start = buffer.readerIndex
            if let message = try frames.decode(buffer: &buffer) {
                let frame = Array(bytes[start..<buffer.readerIndex])  // the buffer's indexes are the input's
                checkReencodes(message, from: frame)
                outcome.messages.append(message)
            } else if let more = rest {
                buffer.writeBytes(more)
                rest = nil
            } else {
                break
            }
        }
    } catch is ProtocolError {
        outcome.refused = true
    } catch {
        fatalError("the frame decoder threw \(type(of: error)), not a ProtocolError: \(error)")
    }
    return outcome
}

private func decodePayload(typeByte: UInt8, _ payload: [UInt8]) {
    let message: SyncMessage
    do {
        message = try SyncMessage.decode(
            type: typeByte,
            payload: ByteBuffer(bytes: payload),
            batchLimits: decoder.batchLimits
        )
    } catch is ProtocolError {
        return
    } catch {
        fatalError("SyncMessage.decode threw \(type(of: error)), not a ProtocolError: \(error)")
    }
    var frame = ByteBuffer()
    frame.writeInteger(UInt32(payload.count + 1))
    frame.writeInteger(typeByte)
    frame.writeBytes(payload)
    checkReencodes(message, from: Array(frame.readableBytesView))
}

/// A decoded message re-encodes to its own bytes; a batch, to bytes that decode to it.
private func checkReencodes(_ message: SyncMessage, from frame: [UInt8]) {
    if case .hello(let hello) = message, hello.version != Hello.currentVersion { return }
    var buffer = ByteBuffer()
    do {
        try message.encode(into: &buffer, maxFrameLength: Int(UInt32.max))
    } catch {
        fatalError("a decoded \(message) did not re-encode: \(error)")
    }
    if case .batch = message {
        var frames = SyncFrameDecoder(maxFrameLength: Int(UInt32.max))
        let again = try? frames.decode(buffer: &buffer)
        precondition(again == message, "a decoded batch did not survive a round trip")
    } else {
        precondition(Array(buffer.readableBytesView) == frame, "a decoded message re-encoded to other bytes")
    }
}
