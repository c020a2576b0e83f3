/// Where an open invoice falls in the ageing of receivables, by days past due as of a date:
/// `current` at 0 or less, then 1–30, 31–60, 61–90, 91–120 and 121 or more. The raw values are
/// the contract's JSON keys (`d1_30`, …).
public enum AgeingBucket: String, CaseIterable, Sendable, Hashable {
    case current
    case days1To30 = "d1_30"
    case days31To60 = "d31_60"
    case days61To90 = "d61_90"
    case days91To120 = "d91_120"
    case days121Plus = "d121Plus"

    /// The bucket of an invoice due on `due`, as of `asOf`.
    public init(due: BusinessDate, asOf: BusinessDate) {
        self.init(daysPastDue: asOf.days(since: due))
    }

    public init(daysPastDue days: Int) {
        switch days {
        case ...0: self = .current
        case 1...30: self = .days1To30
        case 31...60: self = .days31To60
        case 61...90: self = .days61To90
        case 91...120: self = .days91To120
        default: self = .days121Plus
        }
    }
}
