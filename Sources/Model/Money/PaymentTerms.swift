/// Payment terms: `net N`, or `D/E net N` — `2/10 net 30`: 2 % off when paid in full within 10
/// days of issue (that day included), else due in 30.
///
/// The due date is the issue date + N days. A discount is taken only when a payment names it,
/// is dated within the window, and asks at most the terms' percentage of the invoice total
/// (rounded half away from zero): ``maximumDiscount(on:)``, ``checkDiscount(_:on:paidOn:issuedOn:)``.
public struct PaymentTerms: Hashable, Sendable, CustomStringConvertible {
    /// Days from issue to due.
    public let netDays: Int
    /// The early-payment discount, if any.
    public let discount: Percentage?
    /// Days from issue during which the discount may be taken (that day included).
    public let discountDays: Int?

    /// The terms when neither the invoice nor the customer names any.
    public static let standard = PaymentTerms(netDays: 30)

    public init(netDays: Int, discount: Percentage? = nil, discountDays: Int? = nil) {
        self.netDays = netDays
        self.discount = discount
        self.discountDays = discountDays
    }

    /// Reads `net 30` or `2/10 net 30` (case and spacing between words free: `Net  30`,
    /// `2.5/10 net 45`). Days run 0–3650; the discount's window may not end after the due
    /// date and its percentage is above 0 and at most 100. Anything else is refused with a
    /// line naming the text.
    public init(parsing text: String) throws {
        func refuse(_ why: String) -> ModelError {
            ModelError(.invalidValue, "'\(text)' are not payment terms: \(why) (write 'net 30' or '2/10 net 30')")
        }
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        func days(_ word: String) throws -> Int {
            guard !word.isEmpty, word.utf8.allSatisfy({ (48...57).contains($0) }), word.count <= 4,
                let value = Int(word), value <= 3650
            else { throw refuse("'\(word)' is not a number of days (0 to 3650)") }
            return value
        }
        switch words.count {
        case 2 where words[0].lowercased() == "net":
            self.init(netDays: try days(words[1]))
        case 3 where words[1].lowercased() == "net":
            let early = words[0].split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard early.count == 2 else { throw refuse("'\(words[0])' is not a discount and its days, as 2/10") }
            let percentage: Percentage
            do { percentage = try Percentage(parsing: early[0]) } catch {
                throw refuse("'\(early[0])' is not a percentage")
            }
            guard percentage.tenThousandths > 0 else { throw refuse("a discount of 0 is no discount") }
            let window = try days(early[1])
            let net = try days(words[2])
            guard window <= net else { throw refuse("the discount's \(window) days end after the \(net) days to pay") }
            self.init(netDays: net, discount: percentage, discountDays: window)
        default:
            throw refuse("unknown form")
        }
    }

    /// `net 30`, `2/10 net 30`.
    public var description: String {
        guard let discount, let discountDays else { return "net \(netDays)" }
        return "\(discount.description.dropLast())/\(discountDays) net \(netDays)"
    }

    /// The due date of an invoice issued on `issued`.
    public func dueDate(issuedOn issued: BusinessDate) -> BusinessDate { issued.adding(days: netDays) }

    /// The last day the discount may be taken, or `nil` without one.
    public func discountDeadline(issuedOn issued: BusinessDate) -> BusinessDate? {
        discountDays.map { issued.adding(days: $0) }
    }

    /// The most discount a payment may take on an invoice of `total`: the percentage of it,
    /// rounded half away from zero; zero without a discount.
    public func maximumDiscount(on total: Money) throws -> Money {
        guard let discount else { return .zero(total.currency) }
        return try discount.of(total)
    }

    /// Whether a payment dated `paid` may take `requested` off an invoice of `total` issued on
    /// `issued`. Throws the reason when it may not, in one line.
    public func checkDiscount(
        _ requested: Money,
        on total: Money,
        paidOn paid: BusinessDate,
        issuedOn issued: BusinessDate
    )
        throws
    {
        guard !requested.isZero else { return }
        guard !requested.isNegative else { throw ModelError(.invalidValue, "a discount of \(requested) is negative") }
        guard let deadline = discountDeadline(issuedOn: issued) else {
            throw ModelError(.invalidValue, "the terms '\(self)' give no discount")
        }
        guard paid <= deadline else {
            throw ModelError(
                .invalidValue,
                "a discount is taken only by \(deadline) under '\(self)'; the payment is dated \(paid)"
            )
        }
        let maximum = try maximumDiscount(on: total)
        guard requested <= maximum else {
            throw ModelError(.invalidValue, "a discount of \(requested) is more than '\(self)' allows: \(maximum)")
        }
    }
}
