/// The rules of one country calling code's numbering plan: which national significant numbers
/// exist, how they are dialled from inside the country, and how they are written.
///
/// A national significant number (NSN) is what follows the country calling code in E.164: no
/// trunk prefix, no international prefix. Plans are pure values; every method is total and runs
/// in time bounded by the length of the number (at most ``PhoneInput/maximumDigits`` digits).
protocol NumberingPlan: Sendable {
    /// The ITU country calling code, digits only ("1", "44").
    var callingCode: String { get }
    /// The prefixes dialled before a calling code to call abroad from this plan ("00", "011").
    var internationalPrefixes: [String] { get }
    /// How a national significant number is grouped, or `nil` when the plan has no such number.
    func layout(of nsn: Digits) -> NumberLayout?
    /// The country a valid number belongs to; `defaultCountry` settles numbers the plan shares.
    func country(of nsn: Digits, defaultCountry: CountryCode) -> CountryCode?
    /// The national significant number of digits dialled inside the country, or `nil`.
    func nationalSignificantNumber(dialledNationally digits: Digits) -> Digits?
    /// The national significant number of digits written after the calling code, or `nil`.
    func nationalSignificantNumber(afterCallingCode digits: Digits) -> Digits?
    /// The number as written inside the country, or `nil` when the plan has no national form.
    func nationalFormat(of nsn: Digits, layout: NumberLayout) -> String?
    /// The number as written abroad, starting with "+" and the calling code.
    func internationalFormat(of nsn: Digits, layout: NumberLayout) -> String
}

/// How the digits of a national significant number are grouped for display.
struct NumberLayout: Hashable, Sendable {
    /// How the trunk prefix appears in the national form.
    enum Trunk: Hashable, Sendable {
        /// Written without a trunk prefix (Irish and Australian 1800 numbers).
        case omitted
        /// The trunk prefix leads the first group: `020 7946 0958`.
        case plain
        /// The trunk prefix and first group are in parentheses: `(02) 1234 5678`.
        case parenthesised
    }

    /// The sizes of the groups; they add up to the length of the number.
    let groups: [Int]
    let trunk: Trunk

    init(_ groups: [Int], trunk: Trunk = .plain) {
        self.groups = groups
        self.trunk = trunk
    }

    /// Cuts `nsn` into the groups; the last group takes whatever the sizes leave over.
    func split(_ nsn: Digits) -> [String] {
        var parts: [String] = []
        var start = 0
        for (index, size) in groups.enumerated() {
            let end = index == groups.count - 1 ? nsn.count : min(start + size, nsn.count)
            guard start < end else { break }
            parts.append(nsn.text(from: start, to: end))
            start = end
        }
        return parts
    }
}

/// A plan whose numbers are dialled nationally after the trunk prefix "0", except those whose
/// layout says the trunk prefix is omitted (dialled as written).
protocol TrunkZeroPlan: NumberingPlan {
    /// The one country of the plan.
    var country: CountryCode { get }
}

extension TrunkZeroPlan {
    var internationalPrefixes: [String] { ["00"] }

    func country(of nsn: Digits, defaultCountry: CountryCode) -> CountryCode? { country }

    /// "0" + NSN for numbers written with the trunk prefix; the bare NSN for the few written
    /// without it. Anything else (a local number without its area code) is refused.
    func nationalSignificantNumber(dialledNationally digits: Digits) -> Digits? {
        if digits.starts(with: "0") {
            let nsn = digits.dropping(1)
            guard let layout = layout(of: nsn), layout.trunk != .omitted else { return nil }
            return nsn
        }
        guard let layout = layout(of: digits), layout.trunk == .omitted else { return nil }
        return digits
    }

    /// Accepts the trunk "0" written after the calling code (`+44 (0)20 …`, `+49 030 …`): no
    /// number of these plans starts with 0, so the zero can only be the trunk prefix.
    func nationalSignificantNumber(afterCallingCode digits: Digits) -> Digits? {
        let nsn = digits.starts(with: "0") ? digits.dropping(1) : digits
        return layout(of: nsn) == nil ? nil : nsn
    }

    func nationalFormat(of nsn: Digits, layout: NumberLayout) -> String? {
        let parts = layout.split(nsn)
        guard let first = parts.first else { return nil }
        let rest = parts.dropFirst().joined(separator: " ")
        switch layout.trunk {
        case .omitted: return parts.joined(separator: " ")
        case .plain: return rest.isEmpty ? "0" + first : "0" + first + " " + rest
        case .parenthesised: return rest.isEmpty ? "(0" + first + ")" : "(0" + first + ") " + rest
        }
    }

    func internationalFormat(of nsn: Digits, layout: NumberLayout) -> String {
        "+" + callingCode + " " + layout.split(nsn).joined(separator: " ")
    }
}
