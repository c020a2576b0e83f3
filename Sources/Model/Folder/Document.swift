import Foundation

/// A file filed in a customer's folder: a letter, a quote, a spreadsheet.
///
/// The record is immutable; the bytes live in a content-addressed store under their SHA-256
/// ``digest`` (lower-case hex), so the same bytes filed twice are stored once.
public struct Document: Identifiable, Sendable, Codable, Equatable {
    public var id: EntityID
    public var customerID: EntityID
    public var title: String
    public var fileName: String
    public var mediaType: String
    public var size: Int64
    public var digest: String
    public var addedAt: Date
    public var addedBy: String
    /// Set once the document was withdrawn (filed by mistake): the record stays, its bytes are
    /// erased on every node.
    public var withdrawal: Withdrawal?

    /// A document's withdrawal: when, by whom, why.
    public struct Withdrawal: Sendable, Codable, Equatable {
        public var at: Date
        public var by: String
        public var reason: String

        public init(at: Date, by: String, reason: String) {
            self.at = at
            self.by = by
            self.reason = reason
        }
    }

    public init(
        id: EntityID,
        customerID: EntityID,
        title: String,
        fileName: String,
        mediaType: String,
        size: Int64,
        digest: String,
        addedAt: Date,
        addedBy: String,
        withdrawal: Withdrawal? = nil
    ) {
        self.id = id
        self.customerID = customerID
        self.title = title
        self.fileName = fileName
        self.mediaType = mediaType
        self.size = size
        self.digest = digest
        self.addedAt = addedAt
        self.addedBy = addedBy
        self.withdrawal = withdrawal
    }

    /// A media type guessed from the file name's extension; `application/octet-stream` when
    /// the extension is not known.
    public static func mediaType(forFileName name: String) -> String {
        let ext = (name as NSString).pathExtension.lowercased()
        return [
            "pdf": "application/pdf", "txt": "text/plain", "csv": "text/csv", "md": "text/markdown",
            "doc": "application/msword",
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "xls": "application/vnd.ms-excel",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "odt": "application/vnd.oasis.opendocument.text",
            "ods": "application/vnd.oasis.opendocument.spreadsheet",
            "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
            "html": "text/html", "json": "application/json", "xml": "application/xml",
            "zip": "application/zip", "eml": "message/rfc822",
        ][ext] ?? "application/octet-stream"
    }
}
