/// Finds the town, region and postal code at the end of an address, by the country's layout,
/// and checks that what is left reads as street lines.
///
/// Guarantees: `nil` unless a town is found, the country's required postal code and region are
/// found and valid (a region's postal codes must fit it: `IL` takes `6xxxx`), and at least one
/// street line remains. A country that requires neither (Ireland) needs some other evidence:
/// an Eircode, a county, or a town named like a county.
enum AddressLocality {
    /// What was found, still as typed words.
    private struct Reading {
        var street: [[String]]
        var town: [String]
        var region: Int?
        var postalCode: String?
    }

    static func analyse(_ segments: [[String]], rules: AddressRules) -> AddressParts? {
        let readings = rules.postalCodeFirst ? postalCodeFirst(segments, rules) : postalCodeLast(segments, rules)
        for reading in readings {
            if let parts = finish(reading, rules) { return parts }
        }
        return nil
    }

    // MARK: Layouts

    /// `10117 Berlin`, `75008 Paris Cedex 08`, `1012 AB Amsterdam`: the postal code opens the
    /// last line; or stands alone on the line before the town; or sits inside a one-line address.
    private static func postalCodeFirst(_ segments: [[String]], _ rules: AddressRules) -> [Reading] {
        guard let last = segments.last else { return [] }
        let earlier = Array(segments.dropLast())
        var readings: [Reading] = []
        for width in [2, 1] where width < last.count {
            if let code = rules.postalCode(last.prefix(width)) {
                readings.append(Reading(street: earlier, town: Array(last.dropFirst(width)), postalCode: code))
            }
        }
        if segments.count >= 2, segments[segments.count - 2].count <= 2,
            let code = rules.postalCode(segments[segments.count - 2][...])
        {
            readings.append(Reading(street: Array(segments.dropLast(2)), town: last, postalCode: code))
        }
        for start in 1..<max(1, last.count - 1) {
            for width in [2, 1] where start + width < last.count {
                guard let code = rules.postalCode(last[start..<start + width]) else { continue }
                let street = earlier + [Array(last[..<start])]
                readings.append(Reading(street: street, town: Array(last[(start + width)...]), postalCode: code))
            }
        }
        return readings
    }

    /// `Springfield, IL 62704`, `Toronto ON M5V 2T6`, `London SW1A 1AA`, `Dublin 2, D02 X285`:
    /// the postal code closes the last line, the region comes before it (same line or the line
    /// before), the town before that.
    private static func postalCodeLast(_ segments: [[String]], _ rules: AddressRules) -> [Reading] {
        var earlier = segments
        guard var rest = earlier.popLast() else { return [] }
        var code: String?
        for width in [2, 1] where width <= rest.count {
            if let found = rules.postalCode(rest.suffix(width)) {
                code = found
                rest.removeLast(width)
                break
            }
        }
        if code == nil && rules.requiresPostalCode { return [] }
        let options: [Bool] =
            rules.metadata.regions.isEmpty ? [false] : rules.requiresRegion ? [true] : [true, false]
        return options.compactMap { takeRegion in
            reading(rest: rest, earlier: earlier, postalCode: code, takeRegion: takeRegion, rules: rules)
        }
    }

    private static func reading(
        rest: [String],
        earlier: [[String]],
        postalCode: String?,
        takeRegion: Bool,
        rules: AddressRules
    ) -> Reading? {
        var rest = rest
        var earlier = earlier
        var region: Int?
        if takeRegion {
            if !rest.isEmpty {
                region = takeRegionSuffix(&rest, rules)
            } else if var line = earlier.last {
                region = takeRegionSuffix(&line, rules)
                if region != nil {
                    earlier.removeLast()
                    if !line.isEmpty { earlier.append(line) }
                }
            }
            guard region != nil else { return nil }
        }
        var town = rest
        if town.isEmpty {
            guard let line = earlier.popLast() else { return nil }
            town = line
        }
        if earlier.isEmpty {
            guard let (street, rest) = splitStreet(town) else { return nil }
            earlier = [street]
            town = rest
        }
        return Reading(street: earlier, town: town, region: region, postalCode: postalCode)
    }

    /// Removes the region named by the last one to four words of `words`; its index.
    private static func takeRegionSuffix(_ words: inout [String], _ rules: AddressRules) -> Int? {
        for width in stride(from: min(4, words.count), through: 1, by: -1) {
            if let region = rules.region(named: words.suffix(width).joined(separator: " ")) {
                words.removeLast(width)
                return region
            }
        }
        return nil
    }

    /// Splits `123 Main St Apt 4B Springfield` after the street (its type word, a direction,
    /// a unit) or `PO Box 12 Springfield` after the box number.
    private static func splitStreet(_ words: [String]) -> ([String], [String])? {
        let keys = words.map { String($0.lowercased().filter(\.isLetter)) }
        var end: Int?
        for index in 1..<max(1, words.count - 1) {
            if AddressStreetWords.types.contains(keys[index]) && words[index - 1].contains(where: \.isLetter) {
                end = index + 1
                break
            }
            if keys[index] == "box" && words[index + 1].first?.isNumber == true {
                end = index + 2
                break
            }
        }
        guard var end else { return nil }
        if end < words.count - 1 && AddressStreetWords.directions.contains(keys[end]) { end += 1 }
        if end < words.count - 2 && AddressStreetWords.units.contains(keys[end]) {
            end += 2
        } else if end < words.count - 1 && words[end].hasPrefix("#") {
            end += 1
        }
        guard end < words.count else { return nil }
        return (Array(words[..<end]), Array(words[end...]))
    }

    // MARK: Checks and formatting

    private static func finish(_ reading: Reading, _ rules: AddressRules) -> AddressParts? {
        let street = mergingHouseNumbers(reading.street)
        guard !street.isEmpty, street.count <= 8,
            street.allSatisfy({ $0.contains { $0.contains { $0.isLetter || $0.isNumber } } }),
            isTown(reading.town),
            let country = CountryCode(rawValue: rules.metadata.code)
        else { return nil }
        if let region = reading.region, let code = reading.postalCode,
            !rules.postalCode(code, fitsRegion: region)
        {
            return nil
        }
        if !rules.requiresPostalCode && !rules.requiresRegion && reading.postalCode == nil && reading.region == nil {
            guard let first = reading.town.first, rules.region(named: first) != nil else { return nil }
        }
        let upper = rules.metadata.upper
        var locality = rules.casing.line(reading.town)
        if upper.contains("C") { locality = locality.uppercased() }
        var region = reading.region.map { rules.metadata.regions[$0].key }
        if upper.contains("S") { region = region?.uppercased() }
        return AddressParts(
            streetLines: street.map(rules.casing.line),
            locality: locality,
            region: region,
            postalCode: reading.postalCode,
            country: country
        )
    }

    /// A town starts with a letter (after an opening `'` or `(`: `'s-Gravenhage`), has at most
    /// six words and no `#`.
    private static func isTown(_ words: [String]) -> Bool {
        let first = words.first?.first { !"'’(".contains($0) }
        guard let first, first.isLetter, words.count <= 6 else { return false }
        return !words.contains { $0.contains("#") }
    }

    /// Joins a line that is only a house number to the line after it (`12, rue de la Paix`).
    private static func mergingHouseNumbers(_ lines: [[String]]) -> [[String]] {
        var merged: [[String]] = []
        var pending: [String]?
        for line in lines {
            if let number = pending {
                merged.append(number + line)
                pending = nil
            } else if line.count == 1, line[0].first?.isNumber == true, line[0].count <= 6 {
                pending = line
            } else {
                merged.append(line)
            }
        }
        if let number = pending { merged.append(number) }
        return merged
    }
}
