// A libFuzzer harness for the change batch decoder. Built and run by
// scripts/fuzz-change-batch.sh, which explains how; not part of the Swift package.
//
// Every input is decoded twice: as an encoded batch, and as a body (wrapped in the header and
// a zlib stream here, so that mutations reach the body decoder instead of failing zlib's
// checksum). Either must throw a CodecError or give a batch that round-trips; anything else
// (a trap, an ASan report, a leak, a timeout) is a finding. The body limit is 1 MiB instead
// of 64 so that mutated zlib bombs cost milliseconds, not seconds; the code paths are the same.

import CompressNIO
import NIOCore
import Replication

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzChangeBatch(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    check(input)
    var body = ByteBuffer(bytes: input)
    let fast = ZlibConfiguration(compressionLevel: .fastestCompression)
    if size > 0, let compressed = try? body.compress(with: .zlib(configuration: fast)) {
        check(Array("NXCB".utf8) + [1] + Array(compressed.readableBytesView))
    }
    return 0
}

private let limits = ChangeBatchCodec.Limits(maxDecompressedBytes: 1 << 20)

private func check(_ bytes: [UInt8]) {
    let batch: ChangeBatch
    do {
        batch = try ChangeBatchCodec.decode(bytes, limits: limits)
    } catch is CodecError {
        return
    } catch {
        fatalError("decode threw \(type(of: error)), not a CodecError: \(error)")
    }
    do {
        let again = try ChangeBatchCodec.decode(ChangeBatchCodec.encode(batch))
        precondition(again == batch, "a decoded batch did not survive a round trip")
    } catch {
        fatalError("a decoded batch did not re-encode: \(error)")
    }
}
