/// The United Kingdom (+44), shared with the Crown Dependencies (Jersey, Guernsey, Isle of Man).
///
/// Numbers are ten digits after the trunk prefix 0, a few nine or seven. Geographic numbers
/// (01, 02) group by area code: `020 7946 0958`, `0121 496 0000`, `01632 960000`,
/// `016977 3456`; mobiles `07700 900123`; 03, 08 and 09 services `0800 123 4567`; 055, 056, 070
/// and most 076 numbers `056 1234 5678`. Source: Ofcom National Telephone Numbering Plan.
struct GBPlan: TrunkZeroPlan {
    var callingCode: String { "44" }
    var country: CountryCode { "GB" }

    func layout(of nsn: Digits) -> NumberLayout? {
        let length = nsn.count
        switch nsn[0] {
        case 1: return geographicLayout(of: nsn)
        case 2: return length == 10 ? NumberLayout([2, 4, 4]) : nil
        case 3: return length == 10 && [0, 3, 4, 7].contains(nsn[1]) ? NumberLayout([3, 3, 4]) : nil
        case 5: return length == 10 && [5, 6].contains(nsn[1]) ? NumberLayout([2, 4, 4]) : nil
        case 7: return length == 10 ? mobileRangeLayout(of: nsn) : nil
        case 8: return serviceLayout(of: nsn)
        case 9: return length == 10 && [0, 1, 8].contains(nsn[1]) ? NumberLayout([3, 3, 4]) : nil
        default: return nil
        }
    }

    /// 01 numbers: a five-digit area code in a few mixed areas, a three-digit one for 011X and
    /// 01X1 cities (ten digits only), a four-digit one elsewhere.
    private func geographicLayout(of nsn: Digits) -> NumberLayout? {
        let length = nsn.count
        guard length == 9 || length == 10, nsn[1] != 0 else { return nil }
        if nsn.starts(withAnyOf: GBPlan.fiveDigitAreaCodes) {
            return NumberLayout([5, length - 5])
        }
        if nsn[1] == 7 || nsn[1] == 8 || (nsn[1] != 1 && nsn[2] != 1) {
            return NumberLayout([4, length - 4])
        }
        return length == 10 ? NumberLayout([3, 3, 4]) : nil
    }

    /// Area codes that take five digits (Brampton, Sedbergh, …).
    private static let fiveDigitAreaCodes = [
        "13873", "15242", "15394", "15395", "15396", "16973", "16974", "16977", "17683", "17684", "17687", "19467",
    ]

    /// 07: personal numbers (070) and pagers (076, except 07624 mobiles of the Isle of Man) are
    /// grouped 2-4-4, mobiles 4-6.
    private func mobileRangeLayout(of nsn: Digits) -> NumberLayout? {
        let pager = nsn[1] == 6 && (nsn[2] == 0 || nsn[2] >= 3 || (nsn[2] == 2 && [3, 5, 6].contains(nsn[3])))
        if nsn[1] == 0 || pager {
            return NumberLayout([2, 4, 4])
        }
        return NumberLayout([4, 6])
    }

    /// 08: freephone, and the 084 and 087 service ranges.
    private func serviceLayout(of nsn: Digits) -> NumberLayout? {
        switch nsn.count {
        case 7: return nsn.starts(with: "8001111") ? NumberLayout([3, 4]) : nil
        case 9: return nsn.starts(with: "800") ? NumberLayout([3, 6]) : nil
        case 10:
            let known = nsn.starts(withAnyOf: ["800", "808", "842", "843", "844", "845", "870", "871", "872", "873"])
            return known ? NumberLayout([3, 3, 4]) : nil
        default: return nil
        }
    }

    /// Jersey, Guernsey and the Isle of Man by their fixed-line area codes and Manx mobiles.
    func country(of nsn: Digits, defaultCountry: CountryCode) -> CountryCode? {
        if nsn.starts(with: "1534") { return "JE" }
        if nsn.starts(with: "1481") { return "GG" }
        if nsn.starts(withAnyOf: ["1624", "7624"]) { return "IM" }
        return country
    }
}
