/// A document line as a user writes it: `PART QTY [@PRICE] [-DISCOUNT%]` — `W-100 3`,
/// `LAB 2.5 @85.00 -10%`. Without `@PRICE` the price list's price applies; the item's tax rate
/// always does.
public struct LineRequest: Hashable, Sendable {
    public let part: String
    public let quantity: Quantity
    /// The unit price given on the line (a decimal, read in the document's currency later), or
    /// `nil` for the price list's.
    public let price: String?
    public let discount: Percentage

    public init(part: String, quantity: Quantity, price: String? = nil, discount: Percentage = .zero) {
        self.part = part
        self.quantity = quantity
        self.price = price
        self.discount = discount
    }

    /// Reads `PART QTY [@PRICE] [-DISCOUNT%]`; a malformed line is refused with one line naming it.
    public init(parsing text: String) throws {
        func refuse(_ why: String) -> ModelError {
            ModelError(.invalidValue, "'\(text)' is not a line: \(why) (write 'PART QTY [@PRICE] [-DISCOUNT%]')")
        }
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard words.count >= 2 else { throw refuse("it needs a part and a quantity") }
        guard words.count <= 4 else { throw refuse("too many words") }
        var price: String?
        var discount = Percentage.zero
        for word in words.dropFirst(2) {
            if word.hasPrefix("@"), price == nil {
                let text = String(word.dropFirst())
                do { try Money.checkPrice(text) } catch let error as ModelError { throw refuse(error.message) }
                price = text
            } else if word.hasPrefix("-"), word.hasSuffix("%"), discount == .zero {
                do { discount = try Percentage(parsing: String(word.dropFirst())) } catch let error as ModelError {
                    throw refuse(error.message)
                }
                guard discount < .whole else { throw refuse("a discount of 100% or more gives the line away") }
            } else {
                throw refuse("'\(word)' is neither @PRICE nor -DISCOUNT%")
            }
        }
        let quantity: Quantity
        do { quantity = try Quantity(parsing: words[1]) } catch let error as ModelError { throw refuse(error.message) }
        guard quantity.tenThousandths > 0 else { throw refuse("the quantity must be above 0") }
        self.init(part: words[0], quantity: quantity, price: price, discount: discount)
    }
}

/// A delivered quantity of one part: `PART QTY`.
public struct DeliveredQuantity: Hashable, Sendable {
    public let part: String
    public let quantity: Quantity

    public init(part: String, quantity: Quantity) {
        self.part = part
        self.quantity = quantity
    }

    /// Reads `PART QTY`; a malformed line is refused with one line naming it.
    public init(parsing text: String) throws {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard words.count == 2 else {
            throw ModelError(.invalidValue, "'\(text)' is not a delivered line: write 'PART QTY'")
        }
        let quantity: Quantity
        do { quantity = try Quantity(parsing: words[1]) } catch let error as ModelError {
            throw ModelError(.invalidValue, "'\(text)' is not a delivered line: \(error.message)")
        }
        guard quantity.tenThousandths > 0 else {
            throw ModelError(.invalidValue, "'\(text)' is not a delivered line: the quantity must be above 0")
        }
        self.init(part: words[0], quantity: quantity)
    }
}
