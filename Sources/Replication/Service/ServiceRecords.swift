/// A crew note on a service call as its record carries it (``FolderSchema/serviceNote``).
struct ServiceNoteRecord: Codable {
    var service: String
    var text: String
    var writtenAt: String
    var writtenBy: String
    var node: String
}

/// Labour and parts charged on a service call (``FolderSchema/serviceCharge``): lines priced
/// and rounded as an invoice's, amounts in minor units of `currency`.
struct ServiceChargeRecord: Codable {
    var service: String
    var date: String
    var currency: String
    var subtotal: Int64
    var tax: Int64
    var total: Int64
    var lines: [SalesLine]
    var chargedBy: String
    var node: String
}
