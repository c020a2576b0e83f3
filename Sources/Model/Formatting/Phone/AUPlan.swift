/// Australia (+61).
///
/// Geographic numbers are nine digits after the trunk prefix 0, the one-digit area code in
/// parentheses: `(02) 1234 5678`; mobiles `0412 345 678`. Local-rate and freephone numbers are
/// dialled without the 0: `1300 123 456`, `1800 123 456`, `13 12 34`. The international prefix
/// is 0011 (0014–0019 through other carriers). Source: ACMA Telecommunications Numbering Plan.
struct AUPlan: TrunkZeroPlan {
    var callingCode: String { "61" }
    var country: CountryCode { "AU" }
    var internationalPrefixes: [String] { ["0011", "0014", "0015", "0016", "0018", "0019"] }

    func layout(of nsn: Digits) -> NumberLayout? {
        switch (nsn[0], nsn.count) {
        case (2, 9), (3, 9), (7, 9), (8, 9):
            return NumberLayout([1, 4, 4], trunk: .parenthesised)
        case (4, 9):
            return NumberLayout([3, 3, 3])
        case (1, 6):
            return nsn.starts(with: "13") ? NumberLayout([2, 2, 2], trunk: .omitted) : nil
        case (1, 10):
            let known = nsn.starts(withAnyOf: ["1300", "1800", "1900", "1901", "1902", "1906"])
            return known ? NumberLayout([4, 3, 3], trunk: .omitted) : nil
        default:
            return nil
        }
    }
}
