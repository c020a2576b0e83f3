import Model
import Testing

/// One input and what a formatter must make of it: the formatted form, or nil when the input
/// must not be recognised (and so kept as typed).
struct NameCase: Sendable, CustomTestStringConvertible {
    let input: String
    let expected: String?

    init(_ input: String, _ expected: String?) {
        self.input = input
        self.expected = expected
    }

    var testDescription: String { input.count > 60 ? "\(input.prefix(60))… (\(input.count) chars)" : input }
}

/// The input with everything the formatters may change taken out: case, whitespace, dots.
private func folded(_ text: String, droppingDots: Bool) -> String {
    text.lowercased().replacing("ς", with: "σ").filter { !$0.isWhitespace && !(droppingDots && $0 == ".") }
}

/// Checks a formatter's answer against a case and against the guarantees of ``FormattedText``.
private func check(_ result: FormattedText, _ example: NameCase, droppingDots: Bool) {
    #expect(result.raw == example.input)
    #expect(result.isRecognised == (example.expected != nil))
    #expect(result.formatted == (example.expected ?? example.input))
    #expect(folded(result.formatted, droppingDots: droppingDots) == folded(example.input, droppingDots: droppingDots))
}

private let veryLong = String(repeating: "a", count: 10_000)

@Suite("Person names")
struct PersonNameTests {
    static let cases: [NameCase] = [
        NameCase("JOHN SMITH", "John Smith"),
        NameCase("john smith", "John Smith"),
        NameCase("  john   smith  ", "John Smith"),
        NameCase("John  Smith", "John Smith"),
        NameCase("John\tSmith\n", "John Smith"),
        NameCase("ronald mcdonald", "Ronald McDonald"),
        NameCase("RONALD MCDONALD", "Ronald McDonald"),
        NameCase("angus macdonald", "Angus MacDonald"),
        NameCase("DOUGLAS MACARTHUR", "Douglas MacArthur"),
        NameCase("john mackie", "John Mackie"),
        NameCase("MACY GRAY", "Macy Gray"),
        NameCase("antonio machado", "Antonio Machado"),
        NameCase("ALEJANDRO MACIAS", "Alejandro Macias"),
        NameCase("connie mack", "Connie Mack"),
        NameCase("MACKENZIE DAVIS", "Mackenzie Davis"),
        NameCase("conan o'brien", "Conan O'Brien"),
        NameCase("O'BRIEN", "O'Brien"),
        NameCase("D\u{2019}ANGELO RUSSO", "D\u{2019}Angelo Russo"),
        NameCase("maria dell'acqua", "Maria Dell'Acqua"),
        NameCase("ma'ayan cohen", "Ma'ayan Cohen"),
        NameCase("jack o'connell-mcbride", "Jack O'Connell-McBride"),
        NameCase("ludwig van beethoven", "Ludwig van Beethoven"),
        NameCase("JAN VAN DER BERG", "Jan van der Berg"),
        NameCase("van der berg", "Van der Berg"),
        NameCase("juan de la cruz", "Juan de la Cruz"),
        NameCase("DE LA CRUZ", "De la Cruz"),
        NameCase("LEONARDO DA VINCI", "Leonardo da Vinci"),
        NameCase("otto von bismarck", "Otto von Bismarck"),
        NameCase("maria dos santos", "Maria dos Santos"),
        NameCase("STEVEN LE", "Steven Le"),
        NameCase("da Silva", "da Silva"),
        NameCase("DeShawn Jackson", "DeShawn Jackson"),
        NameCase("McKenzie", "McKenzie"),
        NameCase("LaToya   Jackson", "LaToya Jackson"),
        NameCase("mary-kate smith-jones", "Mary-Kate Smith-Jones"),
        NameCase("JEAN-LUC PICARD", "Jean-Luc Picard"),
        NameCase("martin luther king jr", "Martin Luther King Jr."),
        NameCase("JOHN SMITH, JR.", "John Smith, Jr."),
        NameCase("henry ford ii", "Henry Ford II"),
        NameCase("jane doe ph.d.", "Jane Doe PhD"),
        NameCase("JANE DOE MD", "Jane Doe MD"),
        NameCase("john smith esq", "John Smith Esq."),
        NameCase("JOHN SMITH PhD", "John Smith PhD"),
        NameCase("John Smith sr", "John Smith Sr."),
        NameCase("md rahman", "Md Rahman"),
        NameCase("j. r. r. tolkien", "J. R. R. Tolkien"),
        NameCase("J.R.R. TOLKIEN", "J.R.R. Tolkien"),
        NameCase("SMITH, JOHN", "Smith, John"),
        NameCase("john and mary smith", "John and Mary Smith"),
        NameCase("JOHN \"JACK\" KENNEDY", "John \"Jack\" Kennedy"),
        NameCase("ИВАН ПЕТРОВ", "Иван Петров"),
        NameCase("ΓΙΏΡΓΟΣ ΠΑΠΑΔΌΠΟΥΛΟΣ", "Γιώργος Παπαδόπουλος"),
        NameCase("山田 太郎", "山田 太郎"),
        NameCase(" 山田\u{3000}太郎 ", "山田 太郎"),
        NameCase("josé garcía", "José García"),
        NameCase("ÉMILE ZOLA", "Émile Zola"),
        NameCase("ZOË O'NEILL", "Zoë O'Neill"),
        NameCase("björn ångström", "Björn Ångström"),
        NameCase("SØREN KIERKEGAARD", "Søren Kierkegaard"),
        NameCase("heinz großmann", "Heinz Großmann"),
        NameCase("KAʻIULANI", "Kaʻiulani"),
        NameCase("", nil),
        NameCase("   ", nil),
        NameCase("John Smith 3rd", nil),
        NameCase("John 😀 Smith", nil),
        NameCase("Jane Doe 👍🏽", nil),
        NameCase("R2-D2", nil),
        NameCase("@john", nil),
        NameCase("---", nil),
        NameCase("john\u{200B}smith", nil),
        NameCase(veryLong, nil),
    ]

    @Test("formats names", arguments: cases)
    func formats(_ example: NameCase) {
        check(PersonNameFormatter.format(example.input), example, droppingDots: true)
    }

    @Test("a name of up to 500 characters is formatted, a longer one is kept as typed")
    func lengthLimit() {
        let words = Array(repeating: "abcd", count: 100).joined(separator: " ")
        #expect(PersonNameFormatter.format(words).isRecognised)
        #expect(PersonNameFormatter.format(words + " e").isRecognised == false)
    }
}

@Suite("Salutations")
struct SalutationTests {
    static let cases: [NameCase] = [
        NameCase("mr", "Mr."),
        NameCase("MR.", "Mr."),
        NameCase("Mr", "Mr."),
        NameCase("  mrs  ", "Mrs."),
        NameCase("MS", "Ms."),
        NameCase("miss.", "Miss"),
        NameCase("mx", "Mx."),
        NameCase("DR.", "Dr."),
        NameCase("prof", "Prof."),
        NameCase("rev.", "Rev."),
        NameCase("SIR", "Sir"),
        NameCase("dame", "Dame"),
        NameCase("hon", "Hon."),
        NameCase("herr", "Herr"),
        NameCase("FRAU", "Frau"),
        NameCase("m.", "M."),
        NameCase("mme", "Mme"),
        NameCase("MLLE", "Mlle"),
        NameCase("dhr", "Dhr."),
        NameCase("mevr.", "Mevr."),
        NameCase("dr. and mrs.", "Dr. and Mrs."),
        NameCase("MR & MRS", "Mr. & Mrs."),
        NameCase("Herr und Frau", "Herr und Frau"),
        NameCase("mr john smith", "Mr. John Smith"),
        NameCase("mr. and mrs. john smith", "Mr. and Mrs. John Smith"),
        NameCase("MRS. JANE DOE-SMITH", "Mrs. Jane Doe-Smith"),
        NameCase("herr dr. müller", "Herr Dr. Müller"),
        NameCase("frau prof. dr. schmidt", "Frau Prof. Dr. Schmidt"),
        NameCase("mr. van der berg", "Mr. Van der Berg"),
        NameCase("Mrs. Hon", "Mrs. Hon"),
        NameCase("m dupont", "M. Dupont"),
        NameCase("mr m smith", "Mr. M Smith"),
        NameCase("sir elton john", "Sir Elton John"),
        NameCase("  mr.   smith  ", "Mr. Smith"),
        NameCase("Mr. DeShawn Jackson", "Mr. DeShawn Jackson"),
        NameCase("dr martin luther king jr", "Dr. Martin Luther King Jr."),
        NameCase("Dear", nil),
        NameCase("Captain", nil),
        NameCase("Mr..", nil),
        NameCase("mr 😀", nil),
        NameCase("mr smith 3", nil),
        NameCase("", nil),
        NameCase("\n", nil),
        NameCase("mr " + veryLong, nil),
    ]

    @Test("formats salutations", arguments: cases)
    func formats(_ example: NameCase) {
        check(SalutationFormatter.format(example.input), example, droppingDots: true)
    }
}

@Suite("Job titles")
struct JobTitleTests {
    static let cases: [NameCase] = [
        NameCase("vp of sales", "VP of Sales"),
        NameCase("VP OF SALES", "VP of Sales"),
        NameCase("head of it", "Head of IT"),
        NameCase("Head Of It", "Head of IT"),
        NameCase("ceo", "CEO"),
        NameCase("CEO", "CEO"),
        NameCase("MANAGER", "Manager"),
        NameCase("senior accounts payable clerk", "Senior Accounts Payable Clerk"),
        NameCase("SENIOR ACCOUNTS PAYABLE CLERK", "Senior Accounts Payable Clerk"),
        NameCase("  chief   executive officer ", "Chief Executive Officer"),
        NameCase("director of r&d", "Director of R&D"),
        NameCase("cfo & coo", "CFO & COO"),
        NameCase("head of sales and marketing", "Head of Sales and Marketing"),
        NameCase("the head of the department", "The Head of the Department"),
        NameCase("of counsel", "Of Counsel"),
        NameCase("assistant to the ceo", "Assistant to the CEO"),
        NameCase("head of hr (emea)", "Head of HR (EMEA)"),
        NameCase("Senior SAP consultant", "Senior SAP Consultant"),
        NameCase("SENIOR SAP CONSULTANT", "Senior SAP Consultant"),
        NameCase("ios developer", "iOS Developer"),
        NameCase("iOS Developer at McKinsey", "iOS Developer at McKinsey"),
        NameCase("devops engineer", "DevOps Engineer"),
        NameCase("vice-president, hr", "Vice-President, HR"),
        NameCase("software engineer iii", "Software Engineer III"),
        NameCase("level 2 support", "Level 2 Support"),
        NameCase("c++ developer", "C++ Developer"),
        NameCase(".net developer", ".NET Developer"),
        NameCase("b2b sales manager", "B2B Sales Manager"),
        NameCase("children's services manager", "Children's Services Manager"),
        NameCase("sales/marketing", "Sales/Marketing"),
        NameCase("Sales & Marketing Director", "Sales & Marketing Director"),
        NameCase("Geschäftsführer", "Geschäftsführer"),
        NameCase("GESCHÄFTSFÜHRER", "Geschäftsführer"),
        NameCase("ГЕНЕРАЛЬНЫЙ ДИРЕКТОР", "Генеральный Директор"),
        NameCase("社長", "社長"),
        NameCase("", nil),
        NameCase("   ", nil),
        NameCase("🚀 growth hacker", nil),
        NameCase("1️⃣ manager", nil),
        NameCase("co-founder & ceo", "Co-Founder & CEO"),
        NameCase("CHIEF OF STAFF", "Chief of Staff"),
        NameCase("Director Of SALES", "Director of SALES"),
        NameCase("12345", nil),
        NameCase("head of sales @ acme", nil),
        NameCase(veryLong, nil),
    ]

    @Test("formats job titles", arguments: cases)
    func formats(_ example: NameCase) {
        check(JobTitleFormatter.format(example.input), example, droppingDots: false)
    }
}
