/// Finds the extension written after a telephone number.
///
/// Recognised markers, in any case, before one to ``PhoneInput/maximumExtensionDigits`` digits
/// at the very end: `x`, `ext`, `ext.`, `ext:`, `extension`, `;ext=`, `#`, and dial-string
/// pauses (`,` or `,,` directly before the digits). A word marker must stand on its own (not
/// the end of a word such as `TAX`), so vanity numbers keep their letters.
enum PhoneExtension {
    /// The number before the marker and the extension digits, or `nil` when there is no marker.
    static func split(
        _ scalars: [Unicode.Scalar]
    ) -> (number: [Unicode.Scalar], extensionNumber: String)? {
        var digitsStart = scalars.count
        while digitsStart > 0, ("0"..."9").contains(scalars[digitsStart - 1]) { digitsStart -= 1 }
        guard digitsStart < scalars.count, digitsStart > 0 else { return nil }
        let extensionNumber = String(String.UnicodeScalarView(scalars[digitsStart...]))

        if scalars[digitsStart - 1] == "," {
            var start = digitsStart - 1
            while start > 0, scalars[start - 1] == "," { start -= 1 }
            return (trimmed(scalars[..<start]), extensionNumber)
        }

        var markerEnd = digitsStart
        while markerEnd > 0, [" ", ".", ":", "="].contains(scalars[markerEnd - 1]) { markerEnd -= 1 }
        for marker in ["extension", "ext", "x", "#"] {
            let length = marker.unicodeScalars.count
            guard markerEnd >= length else { continue }
            let start = markerEnd - length
            guard PhoneInput.hasPrefix(Array(scalars[start..<markerEnd]), marker) else { continue }
            if marker != "#", start > 0, ("a"..."z").contains(scalars[start - 1]) { continue }
            return (trimmed(scalars[..<start]), extensionNumber)
        }
        return nil
    }

    /// `number` without the spaces, commas and semicolons that separated it from the marker.
    private static func trimmed(_ number: ArraySlice<Unicode.Scalar>) -> [Unicode.Scalar] {
        var end = number.endIndex
        while end > number.startIndex, [" ", ",", ";"].contains(number[end - 1]) { end -= 1 }
        return Array(number[number.startIndex..<end])
    }
}
