import Foundation
import SafeJSON
import Testing

/// Hostile numbers: out of range, negative, fractional, huge.
@Suite struct JSONNumberTests {
    @Test(arguments: ["1e400", "-1e400", "[1e999]", #"{"size":123e4567}"#])
    func refusesNumbersThatOverflowToInfinity(text: String) {
        #expect { try JSONValue.parse(Data(text.utf8)) } throws: { "\($0)".contains("out of range") }
    }

    @Test func integerConversionIsCheckedNeverTrapping() throws {
        #expect(JSONValue.number(42).integer() == 42)
        #expect(JSONValue.number(1e300).integer() == nil)
        #expect(JSONValue.number(-1e300).integer() == nil)
        #expect(JSONValue.number(9.3e18).integer() == nil)
        #expect(JSONValue.number(1.5).integer() == nil)
        #expect(JSONValue.number(-1).integer(in: 0...Int.max) == nil)
        #expect(JSONValue.number(3).integer(in: 2...3) == 3)
        #expect(JSONValue.string("3").integer() == nil)
    }

    @Test func briefDescriptionRendersHostileNumbersWithoutTrapping() {
        #expect(JSONValue.number(1e300).briefDescription == "1e+300")
        #expect(JSONValue.number(-1).briefDescription == "-1")
        #expect(JSONValue.number(2.5).briefDescription == "2.5")
        #expect(JSONValue.string("x").briefDescription == "\"x\"")
    }
}
