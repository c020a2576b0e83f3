/// Ireland (+353).
///
/// Numbers are seven to ten digits after the trunk prefix 0. Geographic numbers put the area
/// code in parentheses: `(01) 234 5678`, `(021) 123 4567`, `(0402) 12345`; mobiles and 076 and
/// 0700 numbers do not: `085 123 4567`, `0700 123 456`; freephone and shared-cost numbers are
/// dialled without the 0: `1800 123 456`. Source: ComReg National Numbering Scheme.
struct IEPlan: TrunkZeroPlan {
    var callingCode: String { "353" }
    var country: CountryCode { "IE" }

    func layout(of nsn: Digits) -> NumberLayout? {
        let length = nsn.count
        switch nsn[0] {
        case 1:
            if length == 10 {
                let known = nsn.starts(withAnyOf: ["1800", "1850", "1890", "15"])
                return known ? NumberLayout([4, 3, 3], trunk: .omitted) : nil
            }
            return length == 8 || length == 9 ? NumberLayout([1, length - 5, 4], trunk: .parenthesised) : nil
        case 2, 4, 5, 6, 9:
            return geographicLayout(of: nsn)
        case 7:
            guard length == 9 else { return nil }
            switch nsn[1] {
            case 0: return NumberLayout([3, 3, 3])
            case 1, 4: return NumberLayout([2, 3, 4], trunk: .parenthesised)
            case 6: return NumberLayout([2, 3, 4])
            default: return nil
            }
        case 8:
            guard length == 9 else { return nil }
            if nsn.starts(with: "818") { return NumberLayout([3, 3, 3], trunk: .parenthesised) }
            let mobile = nsn.starts(with: "822") || [3, 5, 6, 7, 8, 9].contains(nsn[1])
            return mobile ? NumberLayout([2, 3, 4]) : nil
        default:
            return nil
        }
    }

    /// Area codes of two or three digits, seven to nine digits in all (ten in the 04 range).
    private func geographicLayout(of nsn: Digits) -> NumberLayout? {
        switch nsn.count {
        case 7:
            let shortAreas =
                nsn.starts(withAnyOf: ["22", "24", "25", "26", "27", "28", "29", "47", "58"])
                || nsn.starts(withAnyOf: ["62", "63", "67", "68", "69", "93", "95", "96", "97", "98", "99"])
            return shortAreas ? NumberLayout([2, 5], trunk: .parenthesised) : nil
        case 8 where nsn.starts(withAnyOf: ["40", "50"]):
            return NumberLayout([3, 5], trunk: .parenthesised)
        case 8, 9:
            guard nsn[0] != 4 || [1, 2, 3, 4, 5, 6, 9].contains(nsn[1]) else { return nil }
            return NumberLayout([2, 3, nsn.count - 5], trunk: .parenthesised)
        case 10:
            return nsn[0] == 4 ? NumberLayout([2, 4, 4], trunk: .parenthesised) : nil
        default:
            return nil
        }
    }
}
