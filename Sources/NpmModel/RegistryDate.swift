public import FoundationEssentials
import SafeJSON

/// The ISO-8601 times registries write in packuments (`time[version]`) and key documents, read
/// like JavaScript's `Date.parse` reads them: with or without fractional seconds.
public enum RegistryDate {
    public static func parse(_ text: String) -> Date? {
        InternetDateTime.parse(text)
    }

    /// pacote's publish time for judging key expiry, `Date.parse(time || "2015-01-01T00:00:00.000Z")`:
    /// no time is 2015-01-01; a time that does not parse is NaN there, which no key's expiry is
    /// after, so it is `.distantFuture` here (every expiring key counts as expired).
    public static func publishTime(_ time: String?) -> Date {
        guard let time else { return defaultPublishTime }
        return parse(time) ?? .distantFuture
    }

    /// pacote's publish time when the packument has no `time[version]`.
    public static let defaultPublishTime = Date(timeIntervalSince1970: 1_420_070_400)  // 2015-01-01T00:00:00Z
}
