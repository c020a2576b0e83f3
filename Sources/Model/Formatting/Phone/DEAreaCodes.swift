/// How many digits a German area code (Ortsnetzkennzahl, without the 0) takes.
///
/// German area codes are prefix-free and two to five digits long: Berlin, Hamburg, Frankfurt
/// and Munich take two, the large cities three, most towns four, and much of the 03 range (the
/// former East German network) five. Source: Bundesnetzagentur Ortsnetzkennzahlen.
enum DEAreaCodes {
    /// The length of the area code that starts `nsn`, or `nil` when no area code does.
    static func length(ofAreaCodeOf nsn: Digits) -> Int? {
        guard nsn[0] >= 2 else { return nil }
        let two = nsn.text(from: 0, to: 2)
        let three = nsn.text(from: 0, to: 3)
        if twoDigit.contains(two) { return 2 }
        if three == "212" { return nsn[3] == 9 ? 4 : 3 }
        if threeDigit.contains(three) { return 3 }
        guard nsn[0] == 3 else { return 4 }
        if let fourthDigits = fourDigitIn03[three], nsn[3] >= 0, fourthDigits.contains(String(nsn[3])) {
            return 4
        }
        return 5
    }

    private static let twoDigit: Set<String> = ["30", "32", "40", "69", "89"]

    private static let threeDigit: Set<String> = [
        "201", "202", "203", "208", "209", "211", "214", "221", "228", "231", "234", "241", "251", "261", "271",
        "281", "291", "331", "335", "340", "341", "345", "351", "355", "361", "365", "371", "375", "381", "385",
        "391", "395", "421", "431", "441", "451", "461", "471", "481", "491", "511", "521", "531", "541", "551",
        "561", "571", "581", "591", "611", "621", "631", "641", "651", "661", "671", "681", "711", "721", "731",
        "741", "751", "761", "771", "781", "791", "811", "821", "831", "841", "851", "861", "871", "881", "906",
        "911", "921", "931", "941", "951", "961", "971", "981", "991",
    ]

    /// In the 03 range, the first three digits of four-digit area codes and the fourth digits
    /// that complete them; other 03 area codes take five digits.
    private static let fourDigitIn03: [String: String] = [
        "330": "123467", "332": "12789", "333": "124578", "334": "1246", "336": "1246", "337": "125789",
        "338": "1256", "339": "145", "342": "135", "343": "1357", "344": "13578", "346": "1246", "347": "1356",
        "349": "1346", "350": "14", "352": "123589", "353": "1357", "354": "1246", "356": "1234", "357": "13468",
        "358": "13568", "359": "1246", "360": "1356", "362": "123489", "363": "12456", "364": "1347", "366": "13",
        "367": "12579", "368": "12356", "369": "135", "372": "1234567", "373": "1357", "374": "145",
        "376": "12345", "377": "1234", "382": "1", "383": "1468", "384": "1347", "386": "0123456789",
        "387": "1467", "388": "136", "390": "12479", "392": "1358", "393": "1357", "394": "134679",
        "396": "123456789", "397": "136", "398": "147", "399": "1468",
    ]
}
