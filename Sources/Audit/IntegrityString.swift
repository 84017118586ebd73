import Foundation

/// The integrity string pacote signs and reports: `String(ssri.parse(dist.integrity))`, or
/// `sha1-<base64>` built from `dist.shasum` when there is no integrity (PROTOCOLS §2.4, §2.5).
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

    /// pacote's `EINTEGRITY` rule between an expected (locked) and a registry integrity: they
    /// conflict when they share an algorithm but no digest of it. Disjoint algorithms do not conflict.
    public static func conflicts(_ expected: String, _ found: String) -> Bool {
        func hashes(_ text: String) -> [String: Set<String>] {
            var result: [String: Set<String>] = [:]
            for token in normalized(text).split(separator: " ") {
                guard let dash = token.firstIndex(of: "-") else { continue }
                let digest = token[token.index(after: dash)...].prefix { $0 != "?" }
                result[String(token[..<dash]), default: []].insert(String(digest))
            }
            return result
        }
        let (a, b) = (hashes(expected), hashes(found))
        let shared = Set(a.keys).intersection(b.keys)
        return !shared.isEmpty && shared.allSatisfy { a[$0]!.isDisjoint(with: b[$0]!) }
    }

    static func hexBytes(_ hex: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var iterator = hex.makeIterator()
        while let high = iterator.next() {
            guard let low = iterator.next(), let h = high.hexDigitValue, let l = low.hexDigitValue else { return nil }
            bytes.append(UInt8(h << 4 | l))
        }
        return bytes
    }
}
