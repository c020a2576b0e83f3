/// Words that mark the end of a street in English addresses, compared lower case without dots.
///
/// Used to tell `123 Main St Springfield` apart into a street and a town, and to re-case a
/// street word typed in capitals inside a mixed-case line (`Main ST` → `Main St`).
enum AddressStreetWords {
    /// Street types (`St`, `Avenue`, `Crescent`).
    static let types: Set<String> = [
        "street", "st", "avenue", "ave", "av", "road", "rd", "boulevard", "blvd", "drive", "dr", "lane", "ln",
        "way", "court", "ct", "place", "pl", "terrace", "ter", "tce", "circle", "cir", "parkway", "pkwy",
        "highway", "hwy", "square", "sq", "trail", "trl", "loop", "row", "crescent", "cres", "close", "parade",
        "pde", "grove", "gr", "gardens", "gdns", "mews", "walk", "broadway", "plaza", "plz", "alley", "aly",
        "esplanade", "esp", "quay", "wharf", "pike", "turnpike", "expressway", "expy", "freeway", "fwy",
    ]
    /// Unit designators, followed by a number (`Apt 4B`, `Suite 100`).
    static let units: Set<String> = [
        "apt", "apartment", "unit", "suite", "ste", "flat", "fl", "floor", "rm", "room", "bldg", "building",
        "dept", "lot", "spc", "space", "trlr",
    ]
    /// Directions written after a street (`NW`, `East`).
    static let directions: Set<String> = [
        "n", "s", "e", "w", "ne", "nw", "se", "sw", "north", "south", "east", "west",
    ]
    static let all: Set<String> = types.union(units)
}
