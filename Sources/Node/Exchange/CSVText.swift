import Foundation

/// How the export writes one CSV field and one record (RFC 4180).
///
/// A field that holds `"`, `,`, CR or LF is written between quotes, its quotes doubled;
/// any other field as it is. Records end with CRLF. (CSV.swift's own writer issues one stream
/// write per byte; this is the same rule, written to a buffer.)
public enum CSVText {
    public static func field(_ text: String) -> String {
        let special: Set<UInt8> = [0x22, 0x2C, 0x0D, 0x0A]  // " , CR LF
        guard text.utf8.contains(where: special.contains) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }
}
