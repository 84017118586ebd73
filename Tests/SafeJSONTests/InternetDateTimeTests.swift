import Foundation
import SafeJSON
import Testing

/// `InternetDateTime` against the ICU-backed `ISO8601DateFormatter` and `DateFormatter` it replaces:
/// the same instant (to the bit) for every well-formed time, the same text for every instant.
@Suite struct InternetDateTimeTests {
    static func foundationParse(_ text: String) -> Date? {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return withFraction.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }

    static func foundationFormat(_ date: Date, milliseconds: Bool) -> String {
        let formatter = ISO8601DateFormatter()
        if milliseconds { formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds] }
        return formatter.string(from: date)
    }

    @Test(arguments: [
        "2024-01-02T03:04:05Z", "2024-01-02T03:04:05.678Z", "2024-01-02T03:04:05.6Z", "2024-01-02T03:04:05.123456789Z",
        "2024-01-02T03:04:05.9999Z", "2024-01-02T03:04:05.99999999Z", "2024-01-02T03:04:05.0001Z", "2024-01-02T03:04:05+01:00",
        "2024-01-02T03:04:05.5-07:30", "2024-01-02T03:04:05+0100", "2024-01-02T03:04:05.123+05:30", "2024-02-30T03:04:05Z",
        "2024-01-02T24:00:00Z", "2024-01-02T23:59:60Z", "2024-13-02T03:04:05Z", "2024-01-02T03:04:05.Z", "2024-01-02T03:04Z",
        "2024-01-02 03:04:05Z", "2024-01-02t03:04:05z", "2024-01-02T03:04:05", "2024-01-02T03:04:05,678Z", "", "garbage",
        "1970-01-01T00:00:00.000Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "1582-10-10T00:00:00Z",
        "1582-10-15T00:00:00Z", "1500-01-01T00:00:00Z", "2024-01-02T03:04:05+23:59",
    ])
    func parsesAsFoundationDid(text: String) {
        #expect(InternetDateTime.parse(text)?.timeIntervalSinceReferenceDate.bitPattern
                == Self.foundationParse(text)?.timeIntervalSinceReferenceDate.bitPattern)
    }

    /// Foundation was lenient past RFC 3339 (ICU parses a prefix); these are refused now.
    @Test(arguments: ["2024-01-02T03:04:05ZX", " 2024-01-02T03:04:05Z", "2024-1-2T3:4:5Z", "2024-01-02T03:04:05GMT"])
    func refusesWhatIsNotRFC3339(text: String) {
        #expect(InternetDateTime.parse(text) == nil)
    }

    @Test func formatsAndParsesAsFoundationDidAcrossTheCalendar() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let milliseconds = Int64.random(in: -62_135_596_800_000...253_402_300_799_999, using: &generator)
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000 + Double.random(in: 0..<0.001))
            for withMilliseconds in [false, true] {
                let text = Self.foundationFormat(date, milliseconds: withMilliseconds)
                #expect(InternetDateTime.format(date, milliseconds: withMilliseconds) == text)
                #expect(InternetDateTime.parse(text) == Self.foundationParse(text), "\(text)")
            }
        }
    }

    @Test(arguments: ["2024-01-02", "2024-02-29", "2023-02-29", "2024-13-01", "2024-00-10", "0000-01-01", "0001-01-01",
                      "9999-12-31", "2024-1-02", "2024/01/02", "1582-10-10", "1582-10-04", "1582-10-15", "1700-02-29"])
    func readsDaysAsDateFormatterDid(text: String) {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        let expected = formatter.date(from: text).flatMap { formatter.string(from: $0) == text ? $0 : nil }
        #expect(InternetDateTime.parseDay(text) == expected)
    }

    @Test func civilDatesRoundTripAroundTheGregorianReform() {
        for days in Int64(-141_500)...Int64(-141_300) {
            let civil = CivilDate(daysSince1970: days)
            #expect(civil.daysSince1970 == days)
        }
        #expect(CivilDate(year: 1970, month: 1, day: 1).daysSince1970 == 0)
        #expect(CivilDate(year: 1582, month: 10, day: 15).daysSince1970 == -141_427)
        #expect(CivilDate(year: 1582, month: 10, day: 4).daysSince1970 == -141_428)
    }
}
