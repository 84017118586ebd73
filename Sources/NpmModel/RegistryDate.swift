public import FoundationEssentials
import SafeJSON

/// The ISO-8601 times registries write in packuments (`time[version]`) and key documents, read
/// like JavaScript's `Date.parse` reads them: with or without fractional seconds.
public enum RegistryDate {
    public static func parse(_ text: String) -> Date? {
        InternetDateTime.parse(text)
    }

    /// The publish time for judging key expiry: nil when the packument gives none (pacote then
    /// assumes 2015-01-01, which a registry could use to keep an expired key alive by dropping the
    /// time; we refuse instead). A time that does not parse is NaN in pacote, which no key's
    /// expiry is after, so it is `.distantFuture` here (every expiring key counts as expired).
    public static func publishTime(_ time: String?) -> Date? {
        time.map { parse($0) ?? .distantFuture }
    }
}
