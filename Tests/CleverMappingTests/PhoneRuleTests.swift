import CleverFormat
import Testing

@testable import CleverMapping

/// mapping-rules.md, "Contact phone": Home, then Cell, then Business [required]; cleaned to
/// digits, and a number that is not 10 or 11 digits is passed over [ours].
struct PhoneCase: Sendable, CustomTestStringConvertible {
  let name: String
  let home: String, cell: String, business: String
  let phone: String
  let phoneType: String
  /// The kinds passed over, in order.
  let rejected: [String]

  var testDescription: String { name }
}

let phoneCases: [PhoneCase] = [
  // Precedence [required].
  .init(name: "all three: Home", home: "5551110000", cell: "5552220000", business: "5553330000",
        phone: "5551110000", phoneType: "Home", rejected: []),
  .init(name: "no home: Cell", home: "", cell: "5552220000", business: "5553330000",
        phone: "5552220000", phoneType: "Cell", rejected: []),
  .init(name: "only business: Work", home: "", cell: "", business: "5553330000",
        phone: "5553330000", phoneType: "Work", rejected: []),
  .init(name: "home and business: Home", home: "5551110000", cell: "", business: "5553330000",
        phone: "5551110000", phoneType: "Home", rejected: []),
  .init(name: "none: empty", home: "", cell: "", business: "",
        phone: "", phoneType: "", rejected: []),
  // Cleaning [ours].
  .init(name: "(555) 123-4567 → 10 digits", home: "(555) 123-4567", cell: "", business: "",
        phone: "5551234567", phoneType: "Home", rejected: []),
  .init(name: "+1 555 123 4567 → 11 digits", home: "+1 555 123 4567", cell: "", business: "",
        phone: "15551234567", phoneType: "Home", rejected: []),
  .init(name: "1-555-123-4567 → 11 digits", home: "", cell: "1-555-123-4567", business: "",
        phone: "15551234567", phoneType: "Cell", rejected: []),
  .init(name: "555.123.4567 → 10 digits", home: "", cell: "", business: "555.123.4567",
        phone: "5551234567", phoneType: "Work", rejected: []),
  .init(name: "spaces around", home: "  555 123 4567  ", cell: "", business: "",
        phone: "5551234567", phoneType: "Home", rejected: []),
  // Invalid numbers are passed over to the next [ours].
  .init(name: "home 7 digits: Cell", home: "555-1234", cell: "(555) 222-0000", business: "5553330000",
        phone: "5552220000", phoneType: "Cell", rejected: ["Home Phone"]),
  .init(name: "home 12 digits: Cell", home: "+44 20 7946 0958", cell: "5552220000", business: "",
        phone: "5552220000", phoneType: "Cell", rejected: ["Home Phone"]),
  .init(name: "home with extension: Cell", home: "555-1234 ext 5", cell: "5552220000", business: "",
        phone: "5552220000", phoneType: "Cell", rejected: ["Home Phone"]),
  .init(name: "home and cell invalid: Work", home: "123", cell: "555-CALL-NOW", business: "555 333 0000",
        phone: "5553330000", phoneType: "Work", rejected: ["Home Phone", "Cell Phone"]),
  .init(name: "10 digits with extension letters is not a number", home: "555-123-4567 x12", cell: "", business: "",
        phone: "", phoneType: "", rejected: ["Home Phone"]),
  .init(name: "all invalid: empty", home: "12", cell: "555-1234", business: "1234567890123",
        phone: "", phoneType: "", rejected: ["Home Phone", "Cell Phone", "Business Phone"]),
  .init(name: "9 digits", home: "555123456", cell: "", business: "",
        phone: "", phoneType: "", rejected: ["Home Phone"]),
  // Whitespace only is not on file (no warning).
  .init(name: "whitespace-only home: Cell, nothing rejected", home: "   ", cell: "5552220000", business: "",
        phone: "5552220000", phoneType: "Cell", rejected: []),
  .init(name: "all whitespace: empty, nothing rejected", home: " ", cell: "\t", business: "  \n",
        phone: "", phoneType: "", rejected: []),
  .init(name: "punctuation only is on file and invalid", home: "--", cell: "", business: "5553330000",
        phone: "5553330000", phoneType: "Work", rejected: ["Home Phone"]),
]

@Suite("PhoneRule")
struct PhoneRuleTests {
  @Test("choose", arguments: phoneCases)
  func choose(_ c: PhoneCase) {
    let choice = PhoneRule.choose(home: c.home, cell: c.cell, business: c.business)
    #expect(choice.phone == c.phone)
    #expect(choice.phoneType == c.phoneType)
    #expect(choice.rejected.map(\.kind) == c.rejected)
    // Rejected numbers are reported as written.
    let written = ["Home Phone": c.home, "Cell Phone": c.cell, "Business Phone": c.business]
    #expect(choice.rejected.map(\.raw) == c.rejected.map { written[$0]! })
    // What is chosen is always what Clever accepts.
    if !choice.phone.isEmpty {
      #expect(FormatCheck.isDigits(choice.phone, counts: (10, 11)))
      #expect(CleverSpec.phoneTypes.values.contains(choice.phoneType))
    }
  }

  @Test(
    "digits",
    arguments: [
      ("5551234567", "5551234567"),
      ("(555) 123-4567", "5551234567"),
      ("+1 555 123 4567", "15551234567"),
      ("+1 (555) 123-4567", "15551234567"),
      ("555/123/4567", "5551234567"),
      ("555.123.4567", "5551234567"),
      ("555-1234", nil),
      ("123456789012", nil),
      ("555-1234 ext 5", nil),
      ("555-123-4567 ext 5", nil),
      ("555-CALL-NOW", nil),
      ("", nil),
      ("５５５１２３４５６７", nil),  // full-width digits are not ASCII digits
    ] as [(String, String?)])
  func digits(raw: String, expected: String?) {
    #expect(PhoneRule.digits(raw) == expected)
  }

  @Test("the phone type of each place in the order")
  func phoneTypes() {
    #expect(PhoneRule.precedence.map(\.0) == ["Home Phone", "Cell Phone", "Business Phone"])
    #expect(PhoneRule.precedence.map(\.1) == ["Home", "Cell", "Work"])
  }
}
