/// The digits of phone numbers, as phone search compares them.
///
/// A stored number is indexed by its digits alone (`(555) 123-4567` → `5551234567`); a query
/// that looks like a phone number is compared by its digits as a substring of those, in each
/// form it may take in a stored number (``queryForms(_:)``).
///
/// ```swift
/// PhoneDigits.of("+1 (555) 123-4567")             // "15551234567"
/// PhoneDigits.queryForms("+1 (555) 123-4567")     // ["15551234567", "5551234567"]
/// PhoneDigits.queryForms("555 123")               // ["555123"]
/// PhoneDigits.queryForms("Müller")                // []
/// ```
public enum PhoneDigits {
    /// The shortest digit string a phone query compares (shorter ones match too much).
    public static let minimumQueryDigits = 3

    /// The decimal digits of `text` in order, as ASCII: a digit of any script counts (`٥` is 5),
    /// everything else is dropped.
    public static func of(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars where scalar.properties.numericType == .decimal {
            if let value = scalar.properties.numericValue, value >= 0, value <= 9 {
                result.unicodeScalars.append(Unicode.Scalar(UInt8(48 + Int(value))))
            }
        }
        return result
    }

    /// The digit strings to look for in stored numbers' digits when `query` looks like a phone
    /// number (digits, spaces and `+ ( ) - . /` only, at least ``minimumQueryDigits`` digits);
    /// empty otherwise.
    ///
    /// The digits as typed come first. A number typed in international form (`+` or `00`, then a
    /// calling code) adds the digits after the calling code, as a number stored in national form
    /// holds them; one typed in national form with a trunk `0` (seven digits or more) adds the
    /// digits after the `0`, as a number stored in international form holds them.
    public static func queryForms(_ query: String) -> [String] {
        let allowed = Set(" +()-./\t")
        guard query.allSatisfy({ $0.isWholeNumber || allowed.contains($0) }) else { return [] }
        let digits = of(query)
        guard digits.count >= minimumQueryDigits else { return [] }
        var forms = [digits]
        let trimmed = query.drop { $0 == " " || $0 == "(" || $0 == "\t" }
        var international: Substring?
        if trimmed.hasPrefix("+") {
            international = Substring(digits)
        } else if digits.hasPrefix("00") {
            international = digits.dropFirst(2)
        } else if digits.hasPrefix("0"), digits.count >= 7 {
            forms.append(String(digits.dropFirst()))
        }
        if let international, let number = Digits(international), let (_, rest) = CallingCodes.split(number) {
            forms.append(rest.description)
        }
        return forms.filter { $0.count >= minimumQueryDigits }.reduce(into: []) { unique, form in
            if !unique.contains(form) { unique.append(form) }
        }
    }
}
