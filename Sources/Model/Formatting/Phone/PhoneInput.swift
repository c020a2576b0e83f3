/// What a typed telephone number says, once its punctuation, letters and extension are read.
///
/// Accepts digits in any script (`０２０`, `٠٢٠`), fullwidth forms, any spaces, dashes, dots,
/// slashes and one level of parentheses; letters after at least three digits, read off the
/// phone keypad (`1-800-FLOWERS`); a leading `+`; a `tel:` URI; an extension after `x`, `ext`,
/// `ext.`, `extension`, `#`, `;ext=` or dial-string pauses (`,`). Anything else (emoji, other
/// symbols, text around the number) makes the input unreadable.
///
/// Guarantees: reading is linear in the input and stops early: more than
/// ``maximumLength`` characters or ``maximumDigits`` digits are refused without further work.
struct PhoneInput: Hashable, Sendable {
    /// Whether the number was written with a leading `+`.
    let hasPlus: Bool
    /// The digits dialled, letters already turned into digits.
    let digits: Digits
    /// Where in ``digits`` the user wrote `(0)`, the trunk prefix shown inside an international
    /// number (`+44 (0)20 …`).
    let parenthesisedZero: Int?
    /// The extension, ASCII digits.
    let extensionNumber: String?

    /// The most Unicode scalars read; longer inputs are not telephone numbers.
    static let maximumLength = 200
    /// The most digits a number (without extension) may have.
    static let maximumDigits = 20
    /// The most digits an extension may have.
    static let maximumExtensionDigits = 8

    /// Reads `text`, or `nil` when it is not written like a telephone number.
    init?(reading text: String) {
        guard var scalars = PhoneInput.normalised(text) else { return nil }
        var extensionNumber: String?
        if PhoneInput.hasPrefix(scalars, "tel:") {
            scalars.removeFirst(4)
            guard let uri = PhoneInput.splitURIParameters(scalars) else { return nil }
            scalars = uri.number
            extensionNumber = uri.extensionNumber
        }
        if let split = PhoneExtension.split(scalars) {
            guard extensionNumber == nil else { return nil }
            scalars = split.number
            extensionNumber = split.extensionNumber
        }
        if let digitsOfExtension = extensionNumber?.utf8.count {
            guard digitsOfExtension <= PhoneInput.maximumExtensionDigits else { return nil }
        }
        guard let main = PhoneInput.readNumber(scalars) else { return nil }
        self.hasPlus = main.hasPlus
        self.digits = main.digits
        self.parenthesisedZero = main.parenthesisedZero
        self.extensionNumber = extensionNumber
    }

    /// The scalars of `text` with digits of any script made ASCII, fullwidth forms made ASCII,
    /// letters lower case, every space a plain space, every dash a hyphen, invisible format
    /// characters dropped and the ends trimmed; `nil` when `text` is too long.
    private static func normalised(_ text: String) -> [Unicode.Scalar]? {
        var result: [Unicode.Scalar] = []
        var count = 0
        for scalar in text.unicodeScalars {
            count += 1
            guard count <= maximumLength else { return nil }
            var value = scalar.value
            if (0xFF01...0xFF5E).contains(value) { value -= 0xFEE0 }
            guard let mapped = Unicode.Scalar(value) else { return nil }
            if mapped.properties.generalCategory == .format { continue }
            if mapped.properties.numericType == .decimal, let digit = mapped.properties.numericValue,
                let ascii = Unicode.Scalar(UInt32(48 + Int(digit)))
            {
                result.append(ascii)
            } else if mapped.properties.isWhitespace {
                result.append(" ")
            } else if (0x2010...0x2015).contains(mapped.value) || mapped.value == 0x2212 {
                result.append("-")
            } else if mapped.isASCII, mapped.properties.isUppercase {
                result.append(Unicode.Scalar(UInt8(mapped.value) + 32))
            } else {
                result.append(mapped)
            }
        }
        let start = result.firstIndex { $0 != " " } ?? result.endIndex
        let end = result.lastIndex { $0 != " " }.map { $0 + 1 } ?? start
        return Array(result[start..<end])
    }

    static func hasPrefix(_ scalars: [Unicode.Scalar], _ prefix: String) -> Bool {
        scalars.count >= prefix.unicodeScalars.count && zip(scalars, prefix.unicodeScalars).allSatisfy { $0 == $1 }
    }

    /// Splits an RFC 3966 `tel:` URI at its parameters, keeping `ext=`; `nil` when the
    /// extension parameter holds anything but digits.
    private static func splitURIParameters(
        _ scalars: [Unicode.Scalar]
    ) -> (number: [Unicode.Scalar], extensionNumber: String?)? {
        let parts = scalars.split(separator: ";", omittingEmptySubsequences: false)
        var extensionNumber: String?
        for parameter in parts.dropFirst() where hasPrefix(Array(parameter), "ext=") {
            let value = String(String.UnicodeScalarView(parameter.dropFirst(4)))
            guard !value.isEmpty, value.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
            extensionNumber = value
        }
        return (Array(parts.first ?? []), extensionNumber)
    }

    /// The digits of the number part, or `nil` when a character does not belong in a number.
    private static func readNumber(
        _ scalars: [Unicode.Scalar]
    ) -> (hasPlus: Bool, digits: Digits, parenthesisedZero: Int?)? {
        var hasPlus = false
        var digits = ""
        var digitCount = 0
        var inParentheses = false
        var parenthesisedZero: Int?
        var word = ""
        for (index, scalar) in scalars.enumerated() {
            if ("a"..."z").contains(scalar) {
                word.unicodeScalars.append(scalar)
            } else {
                guard !danglingMarkers.contains(word) else { return nil }
                word = ""
            }
            switch scalar {
            case "0"..."9":
                digits.unicodeScalars.append(scalar)
                digitCount += 1
            case "a"..."z":
                guard digitCount >= 3, let key = keypad[scalar] else { return nil }
                digits.unicodeScalars.append(key)
                digitCount += 1
            case "+":
                guard digitCount == 0, !hasPlus else { return nil }
                hasPlus = true
            case " ", "-", ".", "/":
                continue
            case "(":
                guard !inParentheses else { return nil }
                inParentheses = true
                if index + 2 < scalars.count, scalars[index + 1] == "0", scalars[index + 2] == ")", digitCount > 0 {
                    parenthesisedZero = digitCount
                }
            case ")":
                guard inParentheses else { return nil }
                inParentheses = false
            default:
                return nil
            }
            guard digitCount <= maximumDigits else { return nil }
        }
        guard !danglingMarkers.contains(word), !inParentheses, digitCount > 0, let parsed = Digits(digits) else {
            return nil
        }
        return (hasPlus, parsed, parenthesisedZero)
    }

    /// Extension markers without an extension: never read as vanity letters.
    private static let danglingMarkers: Set<String> = ["x", "ext", "extension"]

    /// The telephone keypad (ITU E.161): ABC 2, DEF 3, GHI 4, JKL 5, MNO 6, PQRS 7, TUV 8, WXYZ 9.
    private static let keypad: [Unicode.Scalar: Unicode.Scalar] = {
        var result: [Unicode.Scalar: Unicode.Scalar] = [:]
        let keys = ["2": "abc", "3": "def", "4": "ghi", "5": "jkl", "6": "mno", "7": "pqrs", "8": "tuv", "9": "wxyz"]
        for (digit, letters) in keys {
            for letter in letters.unicodeScalars { result[letter] = digit.unicodeScalars.first }
        }
        return result
    }()
}
