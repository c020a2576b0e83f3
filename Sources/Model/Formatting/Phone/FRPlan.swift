/// France (+33), metropolitan numbers (overseas departments have calling codes of their own).
///
/// Every number is nine digits after the trunk prefix 0, written in pairs: `01 23 45 67 89`,
/// `+33 1 23 45 67 89`. Special-rate 08 numbers are written in pairs too (`08 00 12 34 56`),
/// as the French write them. Source: ARCEP plan national de numérotation.
struct FRPlan: TrunkZeroPlan {
    var callingCode: String { "33" }
    var country: CountryCode { "FR" }

    func layout(of nsn: Digits) -> NumberLayout? {
        nsn.count == 9 && nsn[0] >= 1 ? NumberLayout([1, 2, 2, 2, 2]) : nil
    }
}
