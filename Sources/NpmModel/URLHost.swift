public import FoundationEssentials
import Hex

/// The host of a URL, as `URLComponents(string:)?.host` gives it, read from the text itself:
/// `URLComponents.host` consults ICU's IDNA tables whenever FoundationInternationalization is
/// loaded, which costs megabytes of memory for hosts that are plain ASCII.
public enum URLHost {
    /// `URLComponents(string: url)?.host`.
    public static func of(_ url: String) -> String? {
        URLComponents(string: url).flatMap { of(url, parsed: $0) }
    }

    /// `parsed.host`, where `parsed` is `URLComponents(string: url)`. Only a host that is not
    /// plain ASCII after percent-decoding, or that has an IDNA (`xn--`) label, is left to
    /// `URLComponents` (and so to ICU).
    public static func of(_ url: String, parsed: URLComponents) -> String? {
        // Delimiters are found on bytes, as curl and WHATWG URL find them: on Characters, a `/`, `?`
        // or `#` followed by a combining mark is one Character, and the scan ran on into the path
        // (`http://evil/\u{301}@registry/` read as host `registry`, and got its token).
        var rest = Substring(url).utf8[...]
        if let scheme = parsed.scheme { rest = rest.dropFirst(scheme.utf8.count + 1) }
        guard rest.starts(with: "//".utf8) else { return nil }
        var authority = rest.dropFirst(2).prefix { $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) { authority = authority[authority.index(after: at)...] }
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { return parsed.host }
            authority = authority[...close]
        } else if let colon = authority.lastIndex(of: UInt8(ascii: ":")) {
            authority = authority[..<colon]
        }
        guard let decoded = Hex.percentDecoded(Substring(authority)),
              !decoded.utf8.contains(where: { $0 >= 0x80 }), !decoded.lowercased().contains("xn--")
        else { return parsed.host }
        return decoded
    }
}
