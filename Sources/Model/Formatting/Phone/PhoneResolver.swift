/// Turns the digits of a typed number into a calling code and national significant number.
///
/// In order: a leading `+` means the calling code follows; the default country's international
/// prefix (011 in North America, 00 in Europe, 0011 in Australia) likewise; then the digits are
/// read as a number dialled inside the default country (with its trunk prefix); failing that,
/// 00 and 011 are tried as international prefixes anyway (people copy numbers between
/// countries), and last a number that starts with the default country's own calling code
/// without the `+` (as spreadsheets store them).
enum PhoneResolver {
    /// A valid number: the calling code, the national significant number and its country.
    struct Resolved: Hashable, Sendable {
        let callingCode: String
        let nationalNumber: Digits
        let country: CountryCode?

        var e164: String { "+" + callingCode + nationalNumber.description }
    }

    /// The number `input` denotes when dialled in `defaultCountry`, or `nil`.
    static func resolve(_ input: PhoneInput, defaultCountry: CountryCode) -> Resolved? {
        let digits = input.digits
        let zero = input.parenthesisedZero
        if input.hasPlus { return international(digits, parenthesisedZero: zero, defaultCountry: defaultCountry) }

        let home = NumberingPlans.plan(of: defaultCountry)
        let homePrefixes = home?.internationalPrefixes ?? ["00"]
        if let found = afterInternationalPrefix(homePrefixes, input, defaultCountry: defaultCountry) {
            return found
        }
        if let home, let nsn = home.nationalSignificantNumber(dialledNationally: digits) {
            return Resolved(
                callingCode: home.callingCode,
                nationalNumber: nsn,
                country: home.country(of: nsn, defaultCountry: defaultCountry)
            )
        }
        let otherPrefixes = ["00", "011"].filter { !homePrefixes.contains($0) }
        if let found = afterInternationalPrefix(otherPrefixes, input, defaultCountry: defaultCountry) {
            return found
        }
        if let home, digits.starts(with: home.callingCode) {
            return international(digits, parenthesisedZero: zero, defaultCountry: defaultCountry)
        }
        return nil
    }

    /// The number after whichever of `prefixes` the digits start with, or `nil`.
    private static func afterInternationalPrefix(
        _ prefixes: [String],
        _ input: PhoneInput,
        defaultCountry: CountryCode
    ) -> Resolved? {
        for prefix in prefixes where input.digits.starts(with: prefix) {
            let length = prefix.utf8.count
            let found = international(
                input.digits.dropping(length),
                parenthesisedZero: input.parenthesisedZero.map { $0 - length },
                defaultCountry: defaultCountry
            )
            if let found { return found }
        }
        return nil
    }

    /// The number `digits` denote when they start with a calling code, or `nil`. A `(0)` right
    /// after the calling code is dropped, except in Italy (+39), where the 0 belongs to the number.
    static func international(_ digits: Digits, parenthesisedZero: Int?, defaultCountry: CountryCode) -> Resolved? {
        guard let (code, rest) = CallingCodes.split(digits) else { return nil }
        var afterCode = rest
        if parenthesisedZero == code.utf8.count, rest[0] == 0, code != "39" { afterCode = rest.dropping(1) }
        let plan = NumberingPlans.plan(forCallingCode: code)
        guard let nsn = plan.nationalSignificantNumber(afterCallingCode: afterCode) else { return nil }
        return Resolved(
            callingCode: code,
            nationalNumber: nsn,
            country: plan.country(of: nsn, defaultCountry: defaultCountry)
        )
    }

    /// The calling code, national significant number and plan of a valid E.164 text, or `nil`.
    static func parts(ofE164 e164: String) -> (
        code: String, nsn: Digits, plan: any NumberingPlan, layout: NumberLayout
    )? {
        guard e164.hasPrefix("+"), let digits = Digits(e164.dropFirst()), let (code, nsn) = CallingCodes.split(digits)
        else { return nil }
        let plan = NumberingPlans.plan(forCallingCode: code)
        guard plan.nationalSignificantNumber(afterCallingCode: nsn) == nsn, let layout = plan.layout(of: nsn) else {
            return nil
        }
        return (code, nsn, plan, layout)
    }
}
