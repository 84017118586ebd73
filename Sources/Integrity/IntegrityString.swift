import FoundationEssentials

/// The integrity string pacote signs and reports: `String(ssri.parse(dist.integrity))`, or
/// `sha1-<base64>` built from `dist.shasum` when there is no integrity (PROTOCOLS §2.4, §2.5).
/// This is ssri's lenient text form, for reports and signatures; whether two claims agree is
/// `SubresourceIntegrity.conflicts(with:)`, on strictly parsed strings.
public enum IntegrityString {
    /// ssri's non-strict parse then `toString()`: whitespace-separated `algo-digest?opts` tokens,
    /// malformed ones dropped, grouped by algorithm in order of first appearance, joined by one space.
    public static func normalized(_ text: String) -> String {
        var order: [String] = []
        var groups: [String: [String]] = [:]
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) {
            guard let dash = token.firstIndex(of: "-") else { continue }
            let algorithm = token[..<dash]
            guard !algorithm.isEmpty, algorithm.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) }) else { continue }
            let rest = token[token.index(after: dash)...]
            let digest = rest.prefix { $0 != "?" }
            guard !digest.isEmpty else { continue }
            let key = String(algorithm)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(String(token))
        }
        return order.flatMap { groups[$0]! }.joined(separator: " ")
    }

    /// What pacote uses for `_integrity`: the normalised `integrity`, else one from the hex `shasum`, else nil.
    public static func of(integrity: String?, shasum: String?) -> String? {
        if let integrity { return normalized(integrity) }
        guard let shasum, shasum.count == 40, let bytes = hexBytes(shasum) else { return nil }
        return "sha1-" + Data(bytes).base64EncodedString()
    }
}
