import Foundation

/// A bar chart as a small, self-contained SVG document: `report sales --format svg` draws
/// amounts per period as vertical bars, `report top` as horizontal ones.
///
/// Guarantees: the document is well-formed XML (every text escaped); each bar is one
/// `<rect class="bar">` carrying its key and exact amount (`data-key`, `data-amount`), whose
/// length is proportional to the amount on one scale (zero at the axis, negative amounts — a
/// period of more credit notes than invoices — on the other side of it). A small writer of our
/// own: no mirrored package draws charts, and a bar chart is a few rectangles of SVG.
struct BarChart {
    enum Orientation { case vertical, horizontal }

    struct Bar {
        let key: String
        let label: String
        /// The exact amount as printed (`1234.50`).
        let amount: String
        /// The amount in minor units: the bar's length.
        let value: Int64
    }

    let title: String
    let orientation: Orientation
    let bars: [Bar]

    /// The plot's extent along the bars, in SVG units.
    static let length = 400.0
    /// One bar's thickness and the gap after it.
    static let thickness = 24.0
    static let gap = 8.0
    /// Room for labels.
    static let margin = 160.0

    func svg() -> String {
        let top = Double(max(0, bars.map(\.value).max() ?? 0))
        let bottom = Double(min(0, bars.map(\.value).min() ?? 0))
        let span = max(1, top - bottom)
        let scale = Self.length / span
        let zero = -bottom * scale  // the axis, from the plot's start
        let across = Double(bars.count) * (Self.thickness + Self.gap) + Self.gap
        let (width, height) =
            orientation == .vertical
            ? (Self.margin + across + 20, Self.length + 2 * Self.margin)
            : (2 * Self.margin + Self.length + 20, across + 60)
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Self.number(width))" height="\(Self.number(height))" \
            viewBox="0 0 \(Self.number(width)) \(Self.number(height))" font-family="sans-serif" font-size="11">
            <title>\(Self.escaped(title))</title>
            <text x="10" y="20" font-size="14">\(Self.escaped(title))</text>

            """
        for (index, bar) in bars.enumerated() {
            let along = Double(bar.value) * scale
            let offset = Self.gap + Double(index) * (Self.thickness + Self.gap)
            let start = along >= 0 ? zero : zero + along
            let size = abs(along)
            let (x, y, w, h): (Double, Double, Double, Double)
            let labelX: Double
            let labelY: Double
            if orientation == .vertical {
                // Up from the axis: SVG's y grows downward.
                x = Self.margin + offset
                y = Self.margin + Self.length - start - size
                (w, h) = (Self.thickness, size)
                (labelX, labelY) = (x + Self.thickness / 2, Self.margin + Self.length + 14)
            } else {
                x = Self.margin + start
                y = 40 + offset
                (w, h) = (size, Self.thickness)
                (labelX, labelY) = (Self.margin - 6, y + Self.thickness / 2 + 4)
            }
            out += """
                <rect class="bar" data-key="\(Self.escaped(bar.key))" data-amount="\(Self.escaped(bar.amount))" \
                x="\(Self.number(x))" y="\(Self.number(y))" width="\(Self.number(w))" height="\(Self.number(h))" \
                fill="\(bar.value < 0 ? "#c0504d" : "#4f81bd")"><title>\(Self.escaped(bar.label)): \(Self.escaped(bar.amount))</title></rect>
                <text x="\(Self.number(labelX))" y="\(Self.number(labelY))" text-anchor="\(orientation == .vertical ? "middle" : "end")"\
                \(orientation == .vertical ? " transform=\"rotate(-45 \(Self.number(labelX)) \(Self.number(labelY)))\"" : "")>\
                \(Self.escaped(bar.label))</text>

                """
        }
        return out + "</svg>\n"
    }

    static func number(_ value: Double) -> String { String(format: "%.2f", value) }

    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            // Characters XML 1.0 cannot carry at all.
            case _ where scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r": out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
