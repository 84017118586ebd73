public import Foundation

/// The ISO-8601 times registries write in packuments (`time[version]`) and key documents, read
/// like JavaScript's `Date.parse` reads them: with or without fractional seconds.
public enum RegistryDate {
    public static func parse(_ text: String) -> Date? {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return withFraction.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }
}
