/// Reading and writing exact decimals — amounts, quantities, percentages — as integers scaled by
/// a power of ten. Never a `Double`, never Foundation's `Decimal`: the text is read digit by
/// digit.
enum ExactDecimal {
    /// Reads `[-]DIGITS[.DIGITS]` with at most `maxFraction` digits after the point, as the
    /// integer `value × 10^scale`. Refuses (with a message naming `what` and the text) an empty
    /// text, signs other than a leading `-` (only when `allowNegative`), `-0`, separators,
    /// exponents, spaces, a point without digits on both sides, too many fraction digits, and
    /// a value whose scaled integer does not fit in 64 bits.
    static func parse(
        _ text: String,
        scale: Int,
        maxFraction: Int,
        allowNegative: Bool,
        what: String
    ) throws -> Int64 {
        func refuse(_ why: String) -> ModelError {
            ModelError(.invalidValue, "'\(text)' is not \(what): \(why)")
        }
        var bytes = Array(text.utf8)[...]
        guard !bytes.isEmpty else { throw ModelError(.invalidValue, "\(what) is empty") }
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            guard allowNegative else { throw refuse("it may not be negative") }
            negative = true
            bytes = bytes.dropFirst()
        }
        let parts = bytes.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count > 1 ? parts[1] : []
        let isDigit = { (byte: UInt8) in (48...57).contains(byte) }
        guard whole.allSatisfy(isDigit), fraction.allSatisfy(isDigit) else {
            throw refuse("write digits with an optional '.' and no separators, signs or exponents, as 1234.50")
        }
        guard !whole.isEmpty, parts.count == 1 || !fraction.isEmpty else {
            throw refuse("write digits on both sides of the point, as 0.50")
        }
        guard fraction.count <= maxFraction else {
            throw refuse(maxFraction == 0 ? "it has no decimals" : "at most \(maxFraction) digits after the point")
        }
        var value: Int64 = 0
        for byte in whole + fraction + Array(repeating: UInt8(ascii: "0"), count: scale - fraction.count) {
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(byte - 48))
            guard !overflow, !overflow2 else { throw refuse("it is too large") }
            value = sum
        }
        if negative {
            guard value != 0 else { throw refuse("-0 is not a number to write; write 0") }
            value = -value
        }
        return value
    }

    /// Writes `value / 10^scale` with exactly `fractionDigits` digits after the point (none and
    /// no point when 0), `-` in front of a negative value.
    static func format(_ value: Int64, scale: Int, fractionDigits: Int) -> String {
        let unit = UInt64(pow10(scale))
        let whole = String(value.magnitude / unit)
        var fraction = scale == 0 ? "" : String(value.magnitude % unit)
        fraction = String(repeating: "0", count: scale - fraction.count) + fraction
        fraction = String(fraction.prefix(fractionDigits))
        let text = fractionDigits > 0 ? whole + "." + fraction : whole
        return value < 0 ? "-" + text : text
    }

    /// Writes a value with as many fraction digits as it needs (at least none): `2.5`, `3`.
    static func formatShortest(_ value: Int64, scale: Int) -> String {
        var digits = scale
        var rest = value.magnitude
        while digits > 0 && rest % 10 == 0 {
            rest /= 10
            digits -= 1
        }
        return format(value, scale: scale, fractionDigits: digits)
    }

    /// 10^exponent, for exponents 0…18.
    static func pow10(_ exponent: Int) -> Int64 {
        var result: Int64 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    /// `numerator / denominator` rounded half away from zero (`denominator` > 0): 2.5 → 3,
    /// −2.5 → −3, 2.4999 → 2.
    static func roundedQuotient(_ numerator: Int128, _ denominator: Int128) -> Int128 {
        let magnitude = numerator.magnitude
        let unsignedDenominator = denominator.magnitude
        let rounded = (magnitude + unsignedDenominator / 2) / unsignedDenominator
        return numerator < 0 ? -Int128(rounded) : Int128(rounded)
    }
}
