public import FoundationEssentials
import SafeJSON

/// The ISO-8601 times registries write in packuments (`time[version]`) and key documents, read
/// like JavaScript's `Date.parse` reads them: with or without fractional seconds.
public enum RegistryDate {
    public static func parse(_ text: String) -> Date? {
        InternetDateTime.parse(text)
    }
}
