/// Which country of the North American Numbering Plan an area code belongs to.
///
/// Area codes not listed here and not non-geographic are in the United States (including its
/// territories that share US area codes). Source: NANPA area code assignments.
enum NANPAreaCodes {
    /// The country of a geographic area code outside the United States, or `nil`.
    static func country(ofAreaCode areaCode: String) -> CountryCode? {
        outsideUnitedStates[areaCode]
    }

    /// Area codes not tied to a place: toll-free, personal and premium services.
    static func isNonGeographic(_ areaCode: String) -> Bool {
        nonGeographic.contains(areaCode)
    }

    private static let nonGeographic: Set<String> = [
        "500", "521", "522", "523", "524", "525", "526", "527", "528", "529", "533", "544", "566", "577", "588",
        "800", "833", "844", "855", "866", "877", "888", "900",
    ]

    private static let outsideUnitedStates: [String: CountryCode] = [
        // Canada, including its non-geographic 600, 622 and 633.
        "204": "CA", "226": "CA", "236": "CA", "249": "CA", "250": "CA", "257": "CA", "263": "CA", "273": "CA",
        "289": "CA", "306": "CA", "343": "CA", "354": "CA", "365": "CA", "367": "CA", "368": "CA", "382": "CA",
        "403": "CA", "416": "CA", "418": "CA", "428": "CA", "431": "CA", "437": "CA", "438": "CA", "450": "CA",
        "468": "CA", "474": "CA", "506": "CA", "514": "CA", "519": "CA", "548": "CA", "579": "CA", "581": "CA",
        "584": "CA", "587": "CA", "600": "CA", "604": "CA", "613": "CA", "622": "CA", "633": "CA", "639": "CA",
        "647": "CA", "672": "CA", "683": "CA", "705": "CA", "709": "CA", "742": "CA", "753": "CA", "778": "CA",
        "780": "CA", "782": "CA", "807": "CA", "819": "CA", "825": "CA", "867": "CA", "873": "CA", "879": "CA",
        "902": "CA", "905": "CA", "942": "CA",
        // The Caribbean and the Pacific.
        "242": "BS", "246": "BB", "264": "AI", "268": "AG", "284": "VG", "340": "VI", "345": "KY", "441": "BM",
        "473": "GD", "649": "TC", "658": "JM", "664": "MS", "670": "MP", "671": "GU", "684": "AS", "721": "SX",
        "758": "LC", "767": "DM", "784": "VC", "787": "PR", "809": "DO", "829": "DO", "849": "DO", "868": "TT",
        "869": "KN", "876": "JM", "939": "PR",
    ]
}
