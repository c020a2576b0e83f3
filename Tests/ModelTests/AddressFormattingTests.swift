import Foundation
import Model
import Testing

/// One typed address, the country assumed, and the lines expected (`nil`: not recognised, so the
/// typed lines must come back unchanged).
struct AddressCase: Sendable, CustomTestStringConvertible {
    let input: String
    let defaultCountry: CountryCode
    let expected: [String]?

    init(_ input: String, _ defaultCountry: CountryCode, _ expected: [String]?) {
        self.input = input
        self.defaultCountry = defaultCountry
        self.expected = expected
    }

    var testDescription: String {
        let shown = input.count > 60 ? String(input.prefix(60)) + "…" : input
        return "\(defaultCountry): \(shown.debugDescription)"
    }

    /// The lines of the input as typed, split at any line break (`\n`, `\r\n`, `\r`).
    var typedLines: [String] {
        input.isEmpty ? [] : input.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
    }
}

enum AddressCases {
    static let unitedStates: [AddressCase] = [
        .init("123 main st, springfield il 62704", "US", ["123 Main St", "Springfield, IL 62704"]),
        .init("123 Main St\nSpringfield, IL 62704", "US", ["123 Main St", "Springfield, IL 62704"]),
        .init("  123   MAIN   ST  \n  SPRINGFIELD ,  IL   62704  ", "US", ["123 Main St", "Springfield, IL 62704"]),
        .init("123 main st springfield il 62704", "US", ["123 Main St", "Springfield, IL 62704"]),
        .init("123 main st\r\nspringfield il 62704", "US", ["123 Main St", "Springfield, IL 62704"]),
        .init(
            "John Smith\n123 MAIN ST APT 4B\nSPRINGFIELD, ILLINOIS 62704-1234",
            "US",
            ["John Smith", "123 Main St Apt 4B", "Springfield, IL 62704-1234"]
        ),
        .init("350 fifth avenue\nnew york, new york 10118", "US", ["350 Fifth Avenue", "New York, NY 10118"]),
        .init(
            "1600 pennsylvania ave nw\nwashington, d.c. 20500",
            "US",
            ["1600 Pennsylvania Ave NW", "Washington, DC 20500"]
        ),
        .init("p.o. box 1234\nanchorage ak 99501", "US", ["PO Box 1234", "Anchorage, AK 99501"]),
        .init("po box 1234 anchorage ak 99501", "US", ["PO Box 1234", "Anchorage, AK 99501"]),
        .init(
            "221 w 5th st #4b\nlos angeles, california 90013",
            "US",
            ["221 W 5th St #4B", "Los Angeles, CA 90013"]
        ),
        .init("1 mcdonald ave\nmcallen tx 78501", "US", ["1 McDonald Ave", "McAllen, TX 78501"]),
        .init("500 o'hare dr, chicago il 60601 1234", "US", ["500 O'Hare Dr", "Chicago, IL 60601-1234"]),
        .init(
            "742 evergreen terrace, springfield, or, 97477",
            "US",
            ["742 Evergreen Terrace", "Springfield, OR 97477"]
        ),
        .init("123 Peachtree St\nAtlanta, Georgia 30303", "US", ["123 Peachtree St", "Atlanta, GA 30303"]),
        .init(
            "Acme Widgets Inc\nAttn: Jane Doe\n4500 N Broadway Ste 200\nChicago, IL 60640",
            "US",
            ["Acme Widgets Inc", "Attn: Jane Doe", "4500 N Broadway Ste 200", "Chicago, IL 60640"]
        ),
        .init(
            "IBM Corp\n1 New Orchard Rd\nArmonk NY 10504",
            "US",
            ["IBM Corp", "1 New Orchard Rd", "Armonk, NY 10504"]
        ),
        .init("123 Main ST\nspringfield IL 62704", "US", ["123 Main St", "Springfield, IL 62704"]),
        .init("1 Calle Ñandú\nSan Juan PR 00901", "US", ["1 Calle Ñandú", "San Juan, PR 00901"]),
        .init("1 Infinite Loop\nCupertino CA 95014\nUSA", "US", ["1 Infinite Loop", "Cupertino, CA 95014"]),
        .init(
            "1 Infinite Loop\nCupertino CA 95014\nUnited States of America",
            "GB",
            ["1 Infinite Loop", "Cupertino, CA 95014", "UNITED STATES"]
        ),
        .init(
            "c/o Jane Doe\n123 Main St\nSpringfield IL 62704",
            "US",
            ["c/o Jane Doe", "123 Main St", "Springfield, IL 62704"]
        ),
        .init("123 main st st louis mo 63101", "US", ["123 Main St", "St Louis, MO 63101"]),
        .init("123 st charles ave new orleans la 70130", "US", ["123 St Charles Ave", "New Orleans, LA 70130"]),
        .init(
            "123 MAIN STREET NORTHWEST\nWASHINGTON DC 20001",
            "US",
            ["123 Main Street Northwest", "Washington, DC 20001"]
        ),
        .init(
            "Room 5, Building 7\nMIT\n77 Massachusetts Ave\nCambridge MA 02139",
            "US",
            ["Room 5", "Building 7", "MIT", "77 Massachusetts Ave", "Cambridge, MA 02139"]
        ),
        .init("123 Main St\nSpringfield, IL 6270", "US", nil),
        .init("123 Main St\nSpringfield, IL 90210", "US", nil),
        .init("123 Main St\nSpringfield, ZZ 62704", "US", nil),
        .init("123 Main St\nSpringfield, IL", "US", nil),
        .init("Springfield, IL 62704", "US", nil),
        .init("123 Main St\nSpringfield 62704", "US", nil),
        .init("123 Main St 🏠\nSpringfield IL 62704", "US", nil),
        .init("1-1 Chiyoda\nTokyo 100-0001\nJapan", "US", nil),
        .init("123 Main St\nSpringfield IL 62704", "JP", nil),
    ]

    static let canada: [AddressCase] = [
        .init("100 queen st w\ntoronto on m5h 2n2", "CA", ["100 Queen St W", "TORONTO ON M5H 2N2"]),
        .init(
            "100 Queen St W, Toronto, Ontario M5H2N2, Canada",
            "US",
            ["100 Queen St W", "TORONTO ON M5H 2N2", "CANADA"]
        ),
        .init(
            "1000 rue sherbrooke ouest\nmontréal (québec) h3a 3g4",
            "CA",
            ["1000 Rue Sherbrooke Ouest", "MONTRÉAL QC H3A 3G4"]
        ),
        .init("24 sussex dr\nottawa on k1m 1m4", "CA", ["24 Sussex Dr", "OTTAWA ON K1M 1M4"]),
        .init("1 Main St\nVancouver, British Columbia V6B 1A1", "CA", ["1 Main St", "VANCOUVER BC V6B 1A1"]),
        .init(
            "PO Box 123, Station A\nHalifax NS B3J 2K9",
            "CA",
            ["PO Box 123", "Station A", "HALIFAX NS B3J 2K9"]
        ),
        .init(
            "Toronto Office\n100 Queen St W\nToronto ON M5H 2N2\nCA",
            "US",
            ["Toronto Office", "100 Queen St W", "TORONTO ON M5H 2N2", "CANADA"]
        ),
        .init("1 Main St\nAnytown, CA 90210", "CA", nil),
        .init("1 Main St\nToronto ON D5H 2N2", "CA", nil),
        .init("1 Main St\nVancouver ON V6B 1A1", "CA", nil),
        .init("100 Queen St W\nToronto M5H 2N2", "CA", nil),
    ]

    static let unitedKingdom: [AddressCase] = [
        .init("10 downing street\nlondon\nsw1a2aa", "GB", ["10 Downing Street", "LONDON", "SW1A 2AA"]),
        .init("10 Downing St, London SW1A 2AA", "GB", ["10 Downing St", "LONDON", "SW1A 2AA"]),
        .init("10 Downing St London SW1A 2AA", "GB", ["10 Downing St", "LONDON", "SW1A 2AA"]),
        .init(
            "flat 2, 14 high st\nguildford, surrey gu1 3aa",
            "GB",
            ["Flat 2", "14 High St", "GUILDFORD", "Surrey", "GU1 3AA"]
        ),
        .init(
            "221b baker street\nlondon nw1 6xe\nuk",
            "US",
            ["221B Baker Street", "LONDON", "NW1 6XE", "UNITED KINGDOM"]
        ),
        .init("1 macdonald road\nedinburgh\neh7 4na\nscotland", "GB", ["1 MacDonald Road", "EDINBURGH", "EH7 4NA"]),
        .init(
            "The Old Rectory\nChurch Lane\nstratford-upon-avon\ncv37 6bb",
            "GB",
            ["The Old Rectory", "Church Lane", "STRATFORD-UPON-AVON", "CV37 6BB"]
        ),
        .init(
            "12 o'connell st\nwestminster\nlondon\nsw1a 1aa\ngreat britain",
            "GB",
            ["12 O'Connell St", "Westminster", "LONDON", "SW1A 1AA"]
        ),
        .init("Flat 3\n12 High Street\nDurham\nDH1 3RN", "GB", ["Flat 3", "12 High Street", "DURHAM", "DH1 3RN"]),
        .init("1 high st\nbury st edmunds\nip33 1aa", "GB", ["1 High St", "BURY ST EDMUNDS", "IP33 1AA"]),
        .init("10 Downing St\nLondon\nSW1A 2AA", "US", nil),
        .init("10 Downing St\nLondon\nSW1A 2A", "GB", nil),
        .init("10 Downing St\nLondon\nQQ1 1AA", "GB", nil),
        .init("london sw1a 1aa", "GB", nil),
        .init("10 Downing St\nLondon", "GB", nil),
    ]

    static let ireland: [AddressCase] = [
        .init("1 grafton street\ndublin 2\nd02 x285", "IE", ["1 Grafton Street", "Dublin 2", "D02 X285"]),
        .init(
            "Main Street, Killarney, Co. Kerry V93 A0X3",
            "IE",
            ["Main Street", "Killarney", "Co. Kerry", "V93 A0X3"]
        ),
        .init("12 the crescent\nballincollig\ncounty cork", "IE", ["12 The Crescent", "Ballincollig", "Co. Cork"]),
        .init("1 patrick st, cork", "IE", ["1 Patrick St", "Cork"]),
        .init(
            "1 main st\ndublin 6w\nco dublin\nd6w xk24",
            "IE",
            ["1 Main St", "Dublin 6W", "Co. Dublin", "D6W XK24"]
        ),
        .init(
            "5 o'connell street upper\ndublin 1\nireland",
            "GB",
            ["5 O'Connell Street Upper", "Dublin 1", "IRELAND"]
        ),
        .init("1 main st\ncork\néire", "US", ["1 Main St", "Cork", "IRELAND"]),
        .init("1 Main Street\nKillarney", "IE", nil),
        .init("1 Main St\nKillarney\nZ99 1234", "IE", nil),
    ]

    static let australia: [AddressCase] = [
        .init("1 george st\nsydney nsw 2000", "AU", ["1 George St", "SYDNEY NSW 2000"]),
        .init(
            "Level 5, 100 Collins Street, Melbourne, Victoria 3000",
            "AU",
            ["Level 5", "100 Collins Street", "MELBOURNE VIC 3000"]
        ),
        .init("unit 4/12 smith st\nfitzroy vic 3065", "AU", ["Unit 4/12 Smith St", "FITZROY VIC 3065"]),
        .init(
            "1 macquarie st\nsydney new south wales 2000\naustralia",
            "US",
            ["1 Macquarie St", "SYDNEY NSW 2000", "AUSTRALIA"]
        ),
        .init("1 Main St\nPerth WA 2000", "AU", nil),
        .init("1 main st\nbrisbane qld 400", "AU", nil),
        .init("1 main st\nbrisbane 4000", "AU", nil),
    ]

    static let germany: [AddressCase] = [
        .init("hauptstraße 5\n10117 berlin", "DE", ["Hauptstraße 5", "10117 Berlin"]),
        .init("Musterstr. 12a, 80331 München", "DE", ["Musterstr. 12a", "80331 München"]),
        .init("FRIEDRICHSTRASSE 43\n10117 BERLIN", "DE", ["Friedrichstrasse 43", "10117 Berlin"]),
        .init(
            "Straße des 17. Juni 135\n10623 berlin\nDeutschland",
            "US",
            ["Straße des 17. Juni 135", "10623 Berlin", "GERMANY"]
        ),
        .init("Am Main 3\n60311 frankfurt am main", "DE", ["Am Main 3", "60311 Frankfurt am Main"]),
        .init("Hauptstr. 5 10117 Berlin", "DE", ["Hauptstr. 5", "10117 Berlin"]),
        .init("Hauptstr. 5\nD-10117 Berlin", "DE", ["Hauptstr. 5", "10117 Berlin"]),
        .init("Hauptstr. 5\n10117\nBerlin", "DE", ["Hauptstr. 5", "10117 Berlin"]),
        .init("Unter den Linden 77\n10117 Berlin", "DE", ["Unter den Linden 77", "10117 Berlin"]),
        .init("Hauptstr. 5\n1011 Berlin", "DE", nil),
        .init("ul. Marszałkowska 1\n00-001 Warszawa\nPoland", "DE", nil),
        .init("10117 Berlin", "DE", nil),
    ]

    static let france: [AddressCase] = [
        .init("12, rue de la paix\n75002 paris", "FR", ["12 rue de la Paix", "75002 PARIS"]),
        .init(
            "8 AVENUE DES CHAMPS-ÉLYSÉES\n75008 PARIS CEDEX 08",
            "FR",
            ["8 avenue des Champs-Élysées", "75008 PARIS CEDEX 08"]
        ),
        .init("3 place de l'église\n69001 lyon\nfrance", "DE", ["3 place de l'Église", "69001 LYON", "FRANCE"]),
        .init(
            "10 bis rue du faubourg saint-honoré, 75008 paris",
            "FR",
            ["10 bis rue du Faubourg Saint-Honoré", "75008 PARIS"]
        ),
        .init("1 rue de rivoli\n75 001 paris", "FR", ["1 rue de Rivoli", "75001 PARIS"]),
        .init("5 cours mirabeau\n13100 aix-en-provence", "FR", ["5 cours Mirabeau", "13100 AIX-EN-PROVENCE"]),
        .init("23 rue d'alsace\n75010 paris", "FR", ["23 rue d'Alsace", "75010 PARIS"]),
        .init("1 rue de Rivoli\n7500 Paris", "FR", nil),
        .init("1 rue de Rivoli\nParis", "FR", nil),
    ]

    static let netherlands: [AddressCase] = [
        .init("damrak 1\n1012lg amsterdam", "NL", ["Damrak 1", "1012 LG Amsterdam"]),
        .init(
            "Laan van Meerdervoort 12\n2517 AJ Den Haag",
            "NL",
            ["Laan van Meerdervoort 12", "2517 AJ Den Haag"]
        ),
        .init(
            "kerkstraat 12\n2514 ab 's-gravenhage\nnederland",
            "US",
            ["Kerkstraat 12", "2514 AB 's-Gravenhage", "NETHERLANDS"]
        ),
        .init("ijsselstraat 5\n1234ab amsterdam", "NL", ["IJsselstraat 5", "1234 AB Amsterdam"]),
        .init(
            "Prinsengracht 263, 1016 GV Amsterdam, The Netherlands",
            "GB",
            ["Prinsengracht 263", "1016 GV Amsterdam", "NETHERLANDS"]
        ),
        .init("Damrak 1\n1012 LG Amsterdam\nHolland", "US", ["Damrak 1", "1012 LG Amsterdam", "NETHERLANDS"]),
        .init("POSTBUS 123\n1000 AB AMSTERDAM", "NL", ["Postbus 123", "1000 AB Amsterdam"]),
        .init("Damrak 1\n1012 SA Amsterdam", "NL", nil),
        .init("Damrak 1\n0123 AB Amsterdam", "NL", nil),
    ]

    static let others: [AddressCase] = [
        .init("1 queen st\nauckland 1010", "NZ", ["1 Queen St", "Auckland 1010"]),
        .init(
            "bahnhofstrasse 1\n8001 zürich\nschweiz",
            "DE",
            ["Bahnhofstrasse 1", "CH-8001 Zürich", "SWITZERLAND"]
        ),
        .init("Bahnhofstrasse 1\nCH-8001 Zürich", "CH", ["Bahnhofstrasse 1", "8001 Zürich"]),
        .init("stephansplatz 1\n1010 wien", "AT", ["Stephansplatz 1", "1010 Wien"]),
        .init("Musterweg 1\nA-1010 Wien\nÖsterreich", "DE", ["Musterweg 1", "1010 Wien", "AUSTRIA"]),
        .init("rue de la loi 16\n1000 bruxelles", "BE", ["Rue de la Loi 16", "1000 Bruxelles"]),
    ]

    static let garbage: [AddressCase] = [
        .init("", "US", nil),
        .init("   \n  ", "US", nil),
        .init("asdf qwer zxcv", "US", nil),
        .init("!!!???", "GB", nil),
        .init("🏠🏡🏢\n🚀 12345", "DE", nil),
        .init("\u{0}\u{1}123 Main St\nSpringfield IL 62704", "US", nil),
        .init(String(repeating: "a1 ", count: 3_334), "US", nil),
        .init(String(repeating: "ß", count: 10_000), "DE", nil),
        .init(String(repeating: "Main St, ", count: 20) + "Springfield IL 62704", "US", nil),
        .init("Hauptstr. 5\n\n\n10117 Berlin\n", "DE", ["Hauptstr. 5", "10117 Berlin"]),
    ]

    static let all: [AddressCase] =
        unitedStates + canada + unitedKingdom + ireland + australia + germany + france + netherlands + others
        + garbage
}

@Suite("Address formatting")
struct AddressFormattingTests {
    @Test("formats or refuses each address", arguments: AddressCases.all)
    func formats(_ item: AddressCase) {
        let address = Address(parsing: item.input, defaultCountry: item.defaultCountry)
        #expect(address.isRecognised == (item.expected != nil))
        #expect(address.formattedLines == (item.expected ?? item.typedLines))
    }

    @Test("keeps the typed text, and every typed line when not recognised", arguments: AddressCases.all)
    func keepsWhatWasTyped(_ item: AddressCase) {
        let address = Address(parsing: item.input, defaultCountry: item.defaultCountry)
        #expect(address.raw == item.input)
        #expect(address.formattedText.raw == item.input)
        #expect(address.formattedText.isRecognised == address.isRecognised)
        if address.isRecognised {
            #expect(address.formatted == address.formattedLines.joined(separator: "\n"))
            #expect(address.formattedText.formatted == address.formatted)
        } else {
            #expect(address.formattedLines == item.typedLines)
            #expect(address.formatted == item.input)
            #expect(address.formattedText.formatted == item.input)
            #expect(address.country == nil && address.locality == nil && address.postalCode == nil)
        }
    }

    @Test("formatting a formatted address changes nothing", arguments: AddressCases.all.filter { $0.expected != nil })
    func isStable(_ item: AddressCase) {
        let once = Address(parsing: item.input, defaultCountry: item.defaultCountry)
        let twice = Address(parsing: once.formatted, defaultCountry: item.defaultCountry)
        #expect(twice.isRecognised)
        #expect(twice.formattedLines == once.formattedLines)
    }

    @Test("exposes the analysed parts")
    func parts() {
        let address = Address(parsing: "john smith\n123 main st\nspringfield illinois 62704", defaultCountry: .us)
        #expect(address.streetLines == ["John Smith", "123 Main St"])
        #expect(address.locality == "Springfield")
        #expect(address.region == "IL")
        #expect(address.postalCode == "62704")
        #expect(address.country == .us)

        let irish = Address(parsing: "1 main st, ballincollig, co cork p31 kx26, ireland", defaultCountry: "GB")
        #expect(irish.region == "Co. Cork")
        #expect(irish.postalCode == "P31 KX26")
        #expect(irish.country == "IE")
        #expect(irish.formattedLines.last == "IRELAND")
    }

    @Test("survives a Codable round trip")
    func codable() throws {
        let address = Address(parsing: "10 downing st, london sw1a 2aa", defaultCountry: "GB")
        let decoded = try JSONDecoder().decode(Address.self, from: JSONEncoder().encode(address))
        #expect(decoded == address)
        #expect(decoded.formattedLines == ["10 Downing St", "LONDON", "SW1A 2AA"])
    }

    @Test("long input is refused quickly", arguments: [10_000, 1_000_000])
    func longInputIsFast(length: Int) {
        let text = String(repeating: "123 Main St, Springfield IL 62704\n", count: length / 34 + 1)
        let clock = ContinuousClock()
        var address: Address?
        let elapsed = clock.measure { address = Address(parsing: text, defaultCountry: .us) }
        #expect(address?.isRecognised == false)
        #expect(
            address?.formattedLines.count
                == text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).count
        )
        #expect(elapsed < .seconds(2))
    }

    @Test("lists the supported countries")
    func supported() {
        let countries = Set(Address.supportedCountries.map(\.rawValue))
        #expect(countries.isSuperset(of: ["US", "CA", "GB", "IE", "AU", "DE", "FR", "NL"]))
    }
}
