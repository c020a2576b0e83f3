import CompressNIO
import NIOCore

/// zlib (RFC 1950) for the body of a change batch, with the checks the decoder needs that
/// compress-nio's one-shot `decompress(with:maxSize:)` does not make: it reports a stream cut
/// short as success, and grows its output by recursion.
enum ZlibBody {
    /// The size of the window the inflater writes into before the bytes are appended.
    private static let chunk = 64 * 1024

    /// The zlib stream of `bytes` at the best compression level.
    static func deflate(_ bytes: [UInt8]) throws -> [UInt8] {
        var input = ByteBuffer(bytes: bytes)
        let configuration = ZlibConfiguration(
            windowSize: .window128k,
            compressionLevel: .bestCompression,
            memoryLevel: .memory256K
        )
        do {
            let output = try input.compress(with: .zlib(configuration: configuration))
            return Array(output.readableBytesView)
        } catch {
            throw CodecError(.decompression, at: 0, "zlib could not compress a \(bytes.count)-byte body: \(error)")
        }
    }

    /// Inflates one complete zlib stream that must fill `bytes` exactly.
    ///
    /// Throws `.tooLarge` as soon as the output passes `maxSize` (so memory stays below
    /// `maxSize` plus one chunk), `.truncated` if the stream ends early, `.decompression` if
    /// zlib finds the stream corrupt, and `.malformed` if bytes follow the stream's end.
    /// `offset` is where `bytes` starts in the encoded batch, for messages.
    static func inflate(_ bytes: ArraySlice<UInt8>, maxSize: Int, offset: Int) throws -> [UInt8] {
        let end = offset + bytes.count
        let truncated = CodecError(.truncated, at: end, "the compressed body ends early at offset \(end)")
        guard !bytes.isEmpty else { throw truncated }
        let decompressor: ZlibDecompressor
        do {
            decompressor = try ZlibDecompressor(algorithm: .zlib)
        } catch {
            throw CodecError(.decompression, at: offset, "zlib could not start inflating: \(error)")
        }
        var input = ByteBuffer(bytes: bytes)
        // zlib stops consuming input only at the stream's end, at an error or when the output
        // window is full; when it returns with all input consumed, the stream may or may not
        // have ended. A probe byte tells: at the end zlib leaves it, otherwise it reads it.
        var probe = ByteBuffer(bytes: [0])
        var window = ByteBuffer()
        window.reserveCapacity(chunk)
        var output: [UInt8] = []
        while true {
            let probing = input.readableBytes == 0
            if probing && probe.readableBytes == 0 { throw truncated }
            window.clear()
            var returned = true
            do {
                if probing {
                    try decompressor.inflate(from: &probe, to: &window)
                } else {
                    try decompressor.inflate(from: &input, to: &window)
                }
            } catch let error as CompressNIOError where error == .bufferOverflow {
                returned = false
            } catch let error as CompressNIOError where error == .inputBufferOverflow {
                throw truncated
            } catch {
                if probing && probe.readableBytes == 0 { throw truncated }
                let position = end - input.readableBytes
                throw CodecError(
                    .decompression,
                    at: position,
                    "zlib found the compressed body corrupt (\(error)) near offset \(position)"
                )
            }
            output.append(contentsOf: window.readableBytesView)
            guard output.count <= maxSize else {
                throw CodecError(
                    .tooLarge,
                    at: offset,
                    "the body at offset \(offset) inflates to more than the limit of \(maxSize) bytes"
                )
            }
            guard returned else { continue }
            if probing {
                // Left untouched: the stream had ended exactly at the last byte.
                guard probe.readableBytes == 1 else { throw truncated }
                return output
            }
            if input.readableBytes > 0 {
                let position = end - input.readableBytes
                throw CodecError(
                    .malformed,
                    at: position,
                    "\(input.readableBytes) trailing bytes after the compressed body at offset \(position)"
                )
            }
        }
    }
}
