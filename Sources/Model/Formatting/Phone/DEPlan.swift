/// Germany (+49).
///
/// Geographic numbers are an area code of two to five digits and a subscriber number, six to
/// twelve digits in all after the trunk prefix 0, written with one space after the area code:
/// `030 12345678`, `0211 1234567`, `06221 123456`, `035204 12345`. Mobiles `0171 1234567`,
/// `01512 3456789`; services `0800 1234567`, `0180 1 23456`, `0900 1 234567`,
/// `0700 1234 5678`. Source: Bundesnetzagentur Nummernplan.
struct DEPlan: TrunkZeroPlan {
    var callingCode: String { "49" }
    var country: CountryCode { "DE" }

    func layout(of nsn: Digits) -> NumberLayout? {
        let length = nsn.count
        if nsn[0] == 1 { return serviceLayout(of: nsn) }
        if nsn.starts(with: "700") { return length == 11 ? NumberLayout([3, 4, 4]) : nil }
        if nsn.starts(with: "800") { return (10...15).contains(length) ? NumberLayout([3, length - 3]) : nil }
        if nsn.starts(with: "900") {
            let premium = (length == 10 && [1, 3, 5].contains(nsn[3])) || (length == 11 && nsn[3] == 9)
            return premium ? NumberLayout([3, 1, length - 4]) : nil
        }
        if nsn.starts(withAnyOf: ["701", "709", "801", "901", "902", "903", "904", "905"]) { return nil }
        guard nsn[0] >= 2, let area = DEAreaCodes.length(ofAreaCodeOf: nsn) else { return nil }
        let subscriber = length - area
        guard (6...12).contains(length), subscriber >= 3 else { return nil }
        return NumberLayout([area, subscriber])
    }

    /// 01: mobiles (015, 016, 017) and the 0180 shared-cost range.
    private func serviceLayout(of nsn: Digits) -> NumberLayout? {
        let length = nsn.count
        if nsn.starts(with: "15") {
            guard length == 11 else { return nil }
            return [1, 2, 7, 9].contains(nsn[2]) ? NumberLayout([4, 7]) : NumberLayout([5, 6])
        }
        if nsn.starts(withAnyOf: ["160", "162", "163", "17"]) {
            return length == 10 || length == 11 ? NumberLayout([3, length - 3]) : nil
        }
        if nsn.starts(with: "180") {
            return (8...14).contains(length) ? NumberLayout([3, 1, length - 4]) : nil
        }
        return nil
    }
}
