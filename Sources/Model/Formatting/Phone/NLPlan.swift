/// The Netherlands (+31).
///
/// Geographic numbers are nine digits after the trunk prefix 0: `020 123 4567` in cities with
/// two-digit area codes, `0111 123 456` elsewhere; mobiles `06 12345678`; freephone and premium
/// numbers seven to ten digits, `0800 1234`; 084, 085, 087, 088 and 091 numbers `085 123 4567`.
/// Source: ACM Nummerplan.
struct NLPlan: TrunkZeroPlan {
    var callingCode: String { "31" }
    var country: CountryCode { "NL" }

    func layout(of nsn: Digits) -> NumberLayout? {
        let length = nsn.count
        switch nsn[0] {
        case 6:
            guard length == 9 else { return nil }
            if nsn[1] == 6 { return NumberLayout([2, 7]) }
            return [1, 2, 3, 4, 5, 8].contains(nsn[1]) ? NumberLayout([1, 8]) : nil
        case 8, 9:
            if nsn.starts(withAnyOf: ["800", "900", "906", "909"]) {
                return (7...10).contains(length) ? NumberLayout([3, length - 3]) : nil
            }
            let known = nsn.starts(withAnyOf: ["84", "85", "87", "88", "91"])
            return known && length == 9 ? NumberLayout([2, 3, 4]) : nil
        case 1, 2, 3, 4, 5, 7:
            guard length == 9 else { return nil }
            return nsn.starts(withAnyOf: NLPlan.threeDigitAreaCodes)
                ? NumberLayout([3, 3, 3]) : NumberLayout([2, 3, 4])
        default:
            return nil
        }
    }

    /// The leading digits of area codes that take three digits (0111, 0223, …); the rest take two.
    private static let threeDigitAreaCodes = [
        "11", "16", "17", "18", "22", "25", "29", "31", "32", "34", "41", "47", "48", "49", "51", "52", "54", "56",
        "57", "59",
    ]
}
