import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The command line as the kernel gave it: bytes, not text.
///
/// Swift decodes each argument as UTF-8 and replaces bytes that are not with U+FFFD, so a
/// Latin-1 file name (`caf\xE9 invoice.pdf`) reaches a command as "caf� invoice.pdf", a path
/// that does not exist. ``bytes(of:)`` finds the bytes the user really typed.
enum RawArguments {
    /// The bytes of the argument that decoded to `text`, when they are not UTF-8 (`nil` when
    /// `text` is what was typed). Of several arguments that decode alike, the first that names
    /// an existing file.
    static func bytes(of text: String) -> [UInt8]? {
        var candidates: [[UInt8]] = []
        for index in 1..<Int(CommandLine.argc) {
            guard let pointer = CommandLine.unsafeArgv[index] else { continue }
            let raw = UnsafeRawBufferPointer(start: pointer, count: strlen(pointer))
            guard String(validating: raw, as: UTF8.self) == nil, String(decoding: raw, as: UTF8.self) == text
            else { continue }
            candidates.append(Array(raw))
        }
        return candidates.first { access($0.map { CChar(bitPattern: $0) } + [0], F_OK) == 0 } ?? candidates.first
    }
}
