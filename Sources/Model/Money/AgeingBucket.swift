/// Where an open invoice falls in the ageing of receivables, by days past due as of a date:
/// `current` at 0 or less, then 1–30, 31–60, 61–90, 91–120 and 121 or more.
public enum AgeingBucket: String, CaseIterable, Sendable, Hashable {
    case current
    case d1_30
    case d31_60
    case d61_90
    case d91_120
    case d121Plus

    /// The bucket of an invoice due on `due`, as of `asOf`.
    public init(due: BusinessDate, asOf: BusinessDate) {
        self.init(daysPastDue: asOf.days(since: due))
    }

    public init(daysPastDue days: Int) {
        switch days {
        case ...0: self = .current
        case 1...30: self = .d1_30
        case 31...60: self = .d31_60
        case 61...90: self = .d61_90
        case 91...120: self = .d91_120
        default: self = .d121Plus
        }
    }
}
