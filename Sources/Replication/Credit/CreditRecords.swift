import Foundation

/// A promise to pay as carried in a `record` change (JSON, sorted keys).
struct PromiseRecord: Codable {
    var customerId: String
    var date: String
    var by: String
    var currency: String
    var amount: Int64
    var contact: String?
    var invoice: String?
    var notes: String?
    var madeBy: String
}

/// A credit hold placed on a customer.
struct CreditHoldRecord: Codable {
    var customerId: String
    var reason: String
    var placedAt: String
    var placedBy: String
    var node: String
    /// The writer's version vector when it placed the hold: an order or a service call it had
    /// not seen was made concurrently.
    var seen: [SeenVersion]
}

/// One origin's entry of a version vector, as records carry it (``RecordList/versions``).
struct SeenVersion: Codable {
    var node: String
    var seq: Int64
}

/// An office's settling of a business exception.
struct ExceptionResolutionRecord: Codable {
    var exception: String
    var decision: String
    var reason: String
    var resolvedAt: String
    var resolvedBy: String
    var node: String
}

/// A credit hold's release: `holds` are the holds its writer had seen (all it answers).
struct CreditReleaseRecord: Codable {
    var customerId: String
    var holds: [String]
    var reason: String
    var releasedAt: String
    var releasedBy: String
    var node: String
}
