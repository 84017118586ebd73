/// A day of the calendar ICU (and so Foundation) used: Gregorian from 1582-10-15, Julian before,
/// counted in days since 1970-01-01. A day past its month's end rolls into the next month.
public struct CivilDate: Equatable, Sendable {
    public let year: Int64
    public let month: Int64
    public let day: Int64

    /// The Julian day number of 1970-01-01, and of the Gregorian reform (1582-10-15).
    private static let julianDay1970: Int64 = 2_440_588
    private static let gregorianCutover: Int64 = 2_299_161

    public init(year: Int, month: Int, day: Int) {
        (self.year, self.month, self.day) = (Int64(year), Int64(month), Int64(day))
    }

    /// The day `days` after 1970-01-01 (before it when negative).
    public init(daysSince1970 days: Int64) {
        let julianDay = days + Self.julianDay1970
        // Richards' algorithm: the Gregorian correction applies from the cutover on.
        var f = julianDay + 1401
        if julianDay >= Self.gregorianCutover { f += (((4 * julianDay + 274_277) / 146_097) * 3) / 4 - 38 }
        let e = 4 * f + 3
        let h = 5 * ((e % 1461) / 4) + 2
        day = (h % 153) / 5 + 1
        month = (h / 153 + 2) % 12 + 1
        year = e / 1461 - 4716 + (14 - month) / 12
    }

    /// Days since 1970-01-01, Gregorian when that lands on or after the cutover, else Julian.
    public var daysSince1970: Int64 {
        let a = (14 - month) / 12, y = year + 4800 - a, m = month + 12 * a - 3
        let base = day + (153 * m + 2) / 5 + 365 * y + Self.floorDivision(y, 4)
        let gregorian = base - Self.floorDivision(y, 100) + Self.floorDivision(y, 400) - 32_045
        let julianDay = gregorian >= Self.gregorianCutover ? gregorian : base - 32_083
        return julianDay - Self.julianDay1970
    }

    /// Seconds since 1970-01-01T00:00:00Z at the given time of this day (hour 24 is the next midnight).
    public func secondsSince1970(hour: Int, minute: Int, second: Int) -> Int64 {
        daysSince1970 * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }
}
