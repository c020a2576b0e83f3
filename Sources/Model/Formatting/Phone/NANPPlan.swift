/// The North American Numbering Plan (+1): the United States, Canada and much of the Caribbean.
///
/// A number is ten digits, NPA-NXX-XXXX: a three-digit area code (NPA) whose first digit is
/// 2–9, which is not an N11 service code (211…911) and whose middle digit is not 9 (reserved
/// for expansion); a three-digit exchange (NXX) whose first digit is 2–9 and which is not an
/// N11 code; and four line digits. Inside the plan it is dialled with or without the trunk
/// prefix 1; the international prefix is 011. Written `(NPA) NXX-XXXX` at home and
/// `+1 NPA-NXX-XXXX` abroad.
struct NANPPlan: NumberingPlan {
    var callingCode: String { "1" }
    var internationalPrefixes: [String] { ["011"] }

    func layout(of nsn: Digits) -> NumberLayout? {
        guard nsn.count == 10 else { return nil }
        guard NANPPlan.isValidAreaCode(nsn[0], nsn[1], nsn[2]) else { return nil }
        guard NANPPlan.isValidExchange(nsn[3], nsn[4], nsn[5]) else { return nil }
        return NumberLayout([3, 3, 4], trunk: .omitted)
    }

    /// NPA: N = 2–9, not N11, middle digit not 9.
    static func isValidAreaCode(_ first: Int, _ second: Int, _ third: Int) -> Bool {
        (2...9).contains(first) && !(second == 1 && third == 1) && second != 9
    }

    /// The exchange: any three digits but the N11 service codes (211, 311, ... 911).
    ///
    /// The plan reserves exchanges starting with 0 or 1, but people type them (the textbook
    /// `(555) 123-4567` among them), and refusing to format a number typed in full helps no
    /// one: such numbers are formatted like any other.
    static func isValidExchange(_ first: Int, _ second: Int, _ third: Int) -> Bool {
        !((2...9).contains(first) && second == 1 && third == 1)
    }

    /// The country of the area code; non-geographic codes (toll-free 8XX, 5XX, 900) belong to
    /// the default country when it is in the plan, to the United States otherwise.
    func country(of nsn: Digits, defaultCountry: CountryCode) -> CountryCode? {
        if let country = NANPAreaCodes.country(ofAreaCode: nsn.text(from: 0, to: 3)) {
            return country
        }
        if NANPAreaCodes.isNonGeographic(nsn.text(from: 0, to: 3)),
            CallingCodes.countries(sharing: callingCode).contains(defaultCountry)
        {
            return defaultCountry
        }
        return .us
    }

    /// Ten digits, or eleven starting with the trunk prefix 1.
    func nationalSignificantNumber(dialledNationally digits: Digits) -> Digits? {
        let nsn = digits.count == 11 && digits.starts(with: "1") ? digits.dropping(1) : digits
        return layout(of: nsn) == nil ? nil : nsn
    }

    func nationalSignificantNumber(afterCallingCode digits: Digits) -> Digits? {
        layout(of: digits) == nil ? nil : digits
    }

    func nationalFormat(of nsn: Digits, layout: NumberLayout) -> String? {
        "(" + nsn.text(from: 0, to: 3) + ") " + nsn.text(from: 3, to: 6) + "-" + nsn.text(from: 6, to: 10)
    }

    func internationalFormat(of nsn: Digits, layout: NumberLayout) -> String {
        "+1 " + nsn.text(from: 0, to: 3) + "-" + nsn.text(from: 3, to: 6) + "-" + nsn.text(from: 6, to: 10)
    }
}
