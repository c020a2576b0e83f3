/// A calling code whose national rules Nextsoft does not model.
///
/// A national significant number is accepted as written after the calling code when its length
/// is one the code's countries use and the whole number keeps within the fifteen digits of E.164. Numbers are only
/// ever shown in international form, the digits grouped plainly: `+39 061 234 5678`. Numbers
/// dialled nationally are not understood (the trunk rules are unknown).
struct GenericPlan: NumberingPlan {
    let callingCode: String

    var internationalPrefixes: [String] { ["00"] }

    func layout(of nsn: Digits) -> NumberLayout? {
        guard let lengths = NationalNumberLengths.range(forCallingCode: callingCode), lengths.contains(nsn.count),
            callingCode.utf8.count + nsn.count <= 15
        else { return nil }
        return NumberLayout(GenericPlan.plainGroups(nsn.count), trunk: .omitted)
    }

    /// Up to five digits in one group; six to eight in two; longer numbers lead with groups of
    /// three: 3-3-3, 3-3-4, 3-4-4, 3-3-3-3 …
    static func plainGroups(_ length: Int) -> [Int] {
        switch length {
        case ...5: return [length]
        case 6: return [3, 3]
        case 7: return [3, 4]
        case 8: return [4, 4]
        default: return [3] + plainGroups(length - 3)
        }
    }

    /// Kazakhstan within +7 by its leading 6 or 7; otherwise the default country when it uses
    /// the code, else the code's main country; `nil` for global services.
    func country(of nsn: Digits, defaultCountry: CountryCode) -> CountryCode? {
        let countries = CallingCodes.countries(sharing: callingCode)
        if callingCode == "7", nsn[0] == 6 || nsn[0] == 7 { return "KZ" }
        return countries.contains(defaultCountry) ? defaultCountry : countries.first
    }

    func nationalSignificantNumber(dialledNationally digits: Digits) -> Digits? { nil }

    func nationalSignificantNumber(afterCallingCode digits: Digits) -> Digits? {
        layout(of: digits) == nil ? nil : digits
    }

    func nationalFormat(of nsn: Digits, layout: NumberLayout) -> String? { nil }

    func internationalFormat(of nsn: Digits, layout: NumberLayout) -> String {
        "+" + callingCode + " " + layout.split(nsn).joined(separator: " ")
    }
}

/// The numbering plans Nextsoft models, by calling code.
enum NumberingPlans {
    /// The plan of `callingCode`: a modelled one, or a ``GenericPlan``.
    static func plan(forCallingCode callingCode: String) -> any NumberingPlan {
        modelled[callingCode] ?? GenericPlan(callingCode: callingCode)
    }

    /// The plan `country` dials in, or `nil` for a country without a calling code.
    static func plan(of country: CountryCode) -> (any NumberingPlan)? {
        CallingCodes.callingCode(of: country).map(plan(forCallingCode:))
    }

    private static let modelled: [String: any NumberingPlan] = [
        "1": NANPPlan(), "44": GBPlan(), "353": IEPlan(), "49": DEPlan(), "33": FRPlan(), "61": AUPlan(),
        "31": NLPlan(),
    ]
}
