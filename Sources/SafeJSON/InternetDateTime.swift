public import FoundationEssentials

/// RFC 3339 date-times as JSON documents carry them (`2024-01-02T03:04:05.678Z`), read and written
/// at millisecond resolution the way Foundation's `ISO8601DateFormatter` did (through ICU), in UTC
/// with plain arithmetic (`CivilDate`): no `Calendar` or `TimeZone`, which would reach ICU.
public enum InternetDateTime {
    private static let secondsFrom1970ToReference = 978_307_200.0

    /// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM)`, nothing before or after. Fraction digits
    /// past the millisecond are dropped; a day past the month's end rolls over, as ICU's did.
    public static func parse(_ text: String) -> Date? {
        var reader = DigitReader(Array(text.utf8))
        guard let year = reader.number(4), reader.skip("-"), let month = reader.number(2), reader.skip("-"),
              let day = reader.number(2), reader.skip("T"), let hour = reader.number(2), reader.skip(":"),
              let minute = reader.number(2), reader.skip(":"), let second = reader.number(2),
              (1...12).contains(month), (1...31).contains(day), hour <= 24, minute < 60, second < 60
        else { return nil }
        let millisecond = reader.skip(".") ? reader.fractionMilliseconds() : 0
        guard let millisecond, let offset = reader.zoneOffsetSeconds(), reader.atEnd else { return nil }
        let whole = CivilDate(year: year, month: month, day: day).secondsSince1970(hour: hour, minute: minute, second: second)
        let milliseconds = (whole - offset) * 1000 + millisecond
        return Date(timeIntervalSinceReferenceDate: Double(milliseconds) / 1000.0 - secondsFrom1970ToReference)
    }

    /// `YYYY-MM-DD` as midnight UTC; nil unless it names a real calendar day.
    public static func parseDay(_ text: String) -> Date? {
        var reader = DigitReader(Array(text.utf8))
        guard let year = reader.number(4), reader.skip("-"), let month = reader.number(2), reader.skip("-"),
              let day = reader.number(2), reader.atEnd, year >= 1, (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        let civil = CivilDate(year: year, month: month, day: day)
        let days = civil.daysSince1970
        guard CivilDate(daysSince1970: days) == civil else { return nil }
        return Date(timeIntervalSinceReferenceDate: Double(days * 86_400) - secondsFrom1970ToReference)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` in UTC, with `.mmm` when `milliseconds`: the time rounded to the
    /// nearest millisecond first, as `ISO8601DateFormatter` rounded it.
    public static func format(_ date: Date, milliseconds: Bool) -> String {
        let total = Int64(((date.timeIntervalSinceReferenceDate + secondsFrom1970ToReference) * 1000.0 + 0.5).rounded(.down))
        let (seconds, millisecond) = floorDivision(total, 1000)
        let (days, secondOfDay) = floorDivision(seconds, 86_400)
        let c = CivilDate(daysSince1970: days)
        var text = padded(Int(c.year), 4) + "-" + padded(Int(c.month), 2) + "-" + padded(Int(c.day), 2)
        text += "T" + padded(Int(secondOfDay / 3600), 2) + ":" + padded(Int(secondOfDay / 60 % 60), 2) + ":" + padded(Int(secondOfDay % 60), 2)
        if milliseconds { text += "." + padded(Int(millisecond), 3) }
        return text + "Z"
    }

    static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let remainder = ((value % divisor) + divisor) % divisor
        return ((value - remainder) / divisor, remainder)
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

/// Reads fixed-width ASCII fields of a date-time.
private struct DigitReader {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(character.value) else { return false }
        index += 1
        return true
    }

    mutating func number(_ width: Int) -> Int? {
        guard index + width <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[index..<index + width] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        index += width
        return value
    }

    /// One or more digits after the point, as whole milliseconds (truncated).
    mutating func fractionMilliseconds() -> Int64? {
        var milliseconds: Int64 = 0
        var count = 0
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            if count < 3 { milliseconds = milliseconds * 10 + Int64(bytes[index] - UInt8(ascii: "0")) }
            count += 1
            index += 1
        }
        guard count > 0 else { return nil }
        for _ in count..<max(count, 3) { milliseconds *= 10 }
        return milliseconds
    }

    /// `Z` as 0, or `±HH:MM` / `±HHMM` as seconds east of UTC.
    mutating func zoneOffsetSeconds() -> Int64? {
        if skip("Z") { return 0 }
        let sign: Int64
        if skip("+") { sign = 1 } else if skip("-") { sign = -1 } else { return nil }
        guard let hours = number(2) else { return nil }
        _ = skip(":")
        guard let minutes = number(2), hours < 24, minutes < 60 else { return nil }
        return sign * Int64(hours * 3600 + minutes * 60)
    }
}
