import FoundationEssentials
import SafeJSON

/// Parses metadata `expires` values: the spec's `YYYY-MM-DDTHH:MM:SSZ`, and also RFC 3339 with
/// fractional seconds or a numeric offset, which early Sigstore roots (go-tuf) used.
enum ExpiryDate {
    static func parse(_ text: String) -> Date? {
        let c = Array(text.utf8)
        guard c.count >= 20, c[4] == UInt8(ascii: "-"), c[7] == UInt8(ascii: "-"),
              c[10] == UInt8(ascii: "T"), c[13] == UInt8(ascii: ":"), c[16] == UInt8(ascii: ":"),
              let year = digits(c, 0, 4), let month = digits(c, 5, 2), let day = digits(c, 8, 2),
              let hour = digits(c, 11, 2), let minute = digits(c, 14, 2), let second = digits(c, 17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var fraction = 0.0
        if i < c.count, c[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            let start = i
            while i < c.count, let d = digits(c, i, 1) { fraction += Double(d) * scale; scale /= 10; i += 1 }
            guard i > start else { return nil }
        }
        guard i < c.count else { return nil }
        var offset = 0
        if c[i] == UInt8(ascii: "Z") {
            i += 1
        } else if c[i] == UInt8(ascii: "+") || c[i] == UInt8(ascii: "-") {
            guard c.count == i + 6, c[i + 3] == UInt8(ascii: ":"),
                  let oh = digits(c, i + 1, 2), let om = digits(c, i + 4, 2), oh < 24, om < 60 else { return nil }
            offset = (oh * 3600 + om * 60) * (c[i] == UInt8(ascii: "+") ? 1 : -1)
            i += 6
        } else {
            return nil
        }
        guard i == c.count else { return nil }
        // Plain calendar arithmetic: `Calendar` and `TimeZone` would reach ICU.
        let whole = CivilDate(year: year, month: month, day: day).secondsSince1970(hour: hour, minute: minute, second: second)
        let landed = CivilDate(daysSince1970: whole >= 0 ? whole / 86_400 : -((-whole + 86_399) / 86_400))
        guard landed.day == Int64(day) else { return nil }
        return Date(timeIntervalSince1970: Double(whole)).addingTimeInterval(fraction - Double(offset))
    }

    private static func digits(_ c: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard start + count <= c.count else { return nil }
        var value = 0
        for b in c[start..<start + count] {
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(b - UInt8(ascii: "0"))
        }
        return value
    }
}
