/// The binary form of a ``ChangeBatch``: the one encoding of changes, used both in offline
/// bundle files and on the network.
///
/// Decoding is strict and bounded: any input either decodes to a batch or throws a
/// ``CodecError``; it never traps, and it never allocates beyond ``Limits`` (every count is
/// checked against a limit and against the bytes left before anything is reserved). A batch
/// that decodes re-encodes to bytes that decode to the same batch.
///
/// ```swift
/// let bytes = try ChangeBatchCodec.encode(ChangeBatch(base: held, changes: pending))
/// let batch = try ChangeBatchCodec.decode(bytes)
/// ```
///
/// ## Format, versions 1 and 2
///
/// Notation: `u8` is one byte; `varint` is an unsigned LEB128 integer of at most 64 bits (seven
/// bits a byte, least significant group first, the high bit set on every byte but the last), in
/// its shortest form (a last byte of 0x00 after another byte is refused); `svarint` is a varint
/// of `zigzag(n) = (n << 1) ^ (n >> 63)` for a signed 64-bit `n`; `string` is a varint byte
/// count then that many bytes of valid UTF-8. Differences of unsigned 64-bit values are taken
/// with wrapping arithmetic and read as signed (`Int64(bitPattern: a &- b)`), so every value
/// round-trips. Everything is big-endian where bytes are copied whole.
///
/// ```text
/// batch   = "NXCB" version:u8 zlib        ; version is 1 or 2; zlib is one RFC 1950 stream
///                                         ; (deflate, best compression) ending the file
/// body    = nodes base fields [persons] changes values    ; what zlib inflates to, nothing
///                                         ; after it; persons only in version 2
/// nodes   = count:varint digest*count     ; digest = the 32 bytes of a NodeID; distinct;
///                                         ; encoders list every node the batch names, sorted
/// base    = count:varint entry*count      ; the base VersionVector
/// entry   = node:varint seq:varint        ; node indexes strictly increasing; seq >= 1
/// fields  = count:varint string*count     ; the field names, in order of first use;
///                                         ; count at most Limits.maxChanges
/// persons = count:varint string*count     ; version 2: who wrote the changes, in order of
///                                         ; first use, distinct, each a PersonName (1-200
///                                         ; bytes, no control characters); count at most
///                                         ; Limits.maxChanges
/// changes = count:varint change*count     ; in the batch's order
/// change  = flags:u8 [origin:varint] seq:svarint ms:svarint counter:varint
///           [entity] field:varint [person:varint] [preds]
///                                         ; person only in version 2: 0 = not known,
///                                         ; k = persons[k - 1]
/// entity  = kind:u8 id                    ; absent when flags say "same entity"
/// preds   = count:varint (node:varint seq:varint)*count     ; count >= 1
/// values  = string*                       ; see below
/// ```
///
/// `flags` bits, from the least significant:
/// - bits 0-1, the entity form: 0 = the same kind and id as the previous change (refused for
///   the first change); 1 = a compact id of the change's origin; 2 = a compact id of another
///   node of the table, whose index follows `kind` as a varint; 3 = the id's 16 bytes
///   (``EntityID/bytes``) follow `kind`.
/// - bits 2-4, the ``Operation`` code (0-3 in release 0.2.0; 4-7 decode as
///   ``Operation/unknown(_:)``: a later release's operation, carried and held, never refused).
/// - bit 5, the change has a value (clear: the value is nil).
/// - bit 6, the change has predecessors (clear: none; then `preds` is absent).
/// - bit 7, `origin` follows: an index into `nodes`. Clear: the origin is the previous change's
///   (refused for the first change).
///
/// `seq` is `seq - (last + 1)`, where `last` is the seq of the previous change of the same
/// origin in this batch, or for its first change the base entry of the origin (0 if none).
/// `ms` is the time's milliseconds minus the previous change's (0 before the first change);
/// `counter` is the time's counter (at most 65535). `kind` is ``EntityKind/code``: any byte (a
/// code this build does not declare is a later release's kind, carried and held). `field` indexes `fields`. Predecessor nodes index `nodes`.
///
/// A compact id is an id that ``EntityID/init(milliseconds:counter:node:)`` makes from its
/// node's ``NodeID/discriminator``, i.e. whose low 58 bits are those of the discriminator. It
/// is written as `ms:svarint counter:varint`: its milliseconds minus those of the previous
/// compact id of the batch (0 before the first), and its 16-bit counter. The milliseconds must
/// fit in 48 bits and the counter in 16.
///
/// `values` holds one `string` for each change whose flags have bit 5 set, grouped by field
/// index ascending and, within a field, in change order: the values of one field sit next to
/// each other, which lets zlib find their repetitions at short distances.
///
/// **Versions.** Version 2 (release 0.3.0) adds who wrote each change (``Change/person``);
/// otherwise it is version 1. ``encode(_:)`` writes version 1 when no change of the batch has
/// a person, so a batch without persons is read by every release; a sender strips the persons
/// (``ChangeBatch/withoutPersons``) for a reader that does not announce the `persons` feature
/// (docs/PROTOCOL.md). A decoder reads both.
///
/// A decoder refuses (``CodecError``): a wrong magic or version, a stream that zlib refuses,
/// one cut short or followed by bytes, a body over ``Limits/maxDecompressedBytes``, a count or
/// string over a limit, an index out of range, invalid UTF-8, a duplicate
/// node, a person name that is over 200 bytes, empty, holds a control character or repeats
/// an earlier one, and bytes left after `values`.
public enum ChangeBatchCodec {
    /// The four bytes every encoded batch starts with.
    static let magic: [UInt8] = Array("NXCB".utf8)
    /// The format version of a batch without persons: every release reads it.
    static let version: UInt8 = 1
    /// The format version that carries persons (release 0.3.0 on).
    static let personsVersion: UInt8 = 2

    /// Encodes a batch.
    ///
    /// Throws ``CodecError/Code/tooLarge`` if the batch is beyond ``Limits/default`` (so that
    /// what is encoded always decodes with the default limits).
    /// Writes version 1 when no change has a person, else version 2.
    public static func encode(_ batch: ChangeBatch) throws -> [UInt8] {
        let written = batch.changes.contains { $0.person != nil } ? personsVersion : version
        let body = try BodyEncoder.encode(batch, version: written, limits: .default)
        return magic + [written] + (try ZlibBody.deflate(body))
    }

    /// Decodes a batch, refusing anything that is not exactly one well-formed batch within
    /// `limits`.
    public static func decode(_ bytes: [UInt8], limits: Limits = .default) throws -> ChangeBatch {
        let header = magic.count + 1
        for (index, expected) in magic.enumerated() {
            guard index < bytes.count else {
                throw CodecError(.truncated, at: index, "the bytes end inside the magic at offset \(index)")
            }
            guard bytes[index] == expected else {
                throw CodecError(.malformed, at: index, "not a change batch: wrong magic byte at offset \(index)")
            }
        }
        guard bytes.count > magic.count else {
            throw CodecError(.truncated, at: magic.count, "the bytes end before the version at offset \(magic.count)")
        }
        let found = bytes[magic.count]
        guard found == version || found == personsVersion else {
            throw CodecError(
                .unsupportedVersion,
                at: magic.count,
                "format version \(found) is not supported (only \(version) and \(personsVersion)) at offset \(magic.count)"
            )
        }
        let body = try ZlibBody.inflate(bytes[header...], maxSize: limits.maxDecompressedBytes, offset: header)
        return try BodyDecoder.decode(body, version: found, limits: limits)
    }
}
