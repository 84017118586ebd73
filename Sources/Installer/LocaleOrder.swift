/// The order arborist sorts names and paths in (`@isaacs/string-locale-compare('en')`, that is
/// `Intl.Collator('en')`), for the ASCII that package names and install paths hold: punctuation
/// first in CLDR root order, then digits, then letters ignoring case, and only then lowercase
/// before uppercase. Bytes outside ASCII sort after it, by value: an approximation that no valid
/// new package name needs.
enum LocaleOrder {
    /// CLDR root order of printable ASCII, as `Intl.Collator('en')` sorts it (letters as one primary each).
    private static let weights: [UInt16] = {
        var table = [UInt16](repeating: 0, count: 128)
        let order = #"_-,;:!?.'"()[]{}@*/\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz"#
        for (rank, byte) in order.utf8.enumerated() {
            table[Int(byte)] = UInt16(rank + 1)
            if byte >= 0x61, byte <= 0x7A { table[Int(byte) - 0x20] = UInt16(rank + 1) }
        }
        return table
    }()

    private static func primary(_ byte: UInt8) -> UInt16 { byte < 0x80 ? weights[Int(byte)] : 0x100 + UInt16(byte) }

    /// Whether `a` sorts before `b`.
    static func precedes(_ a: String, _ b: String) -> Bool {
        for (p, q) in zip(a.utf8, b.utf8) where primary(p) != primary(q) { return primary(p) < primary(q) }
        if a.utf8.count != b.utf8.count { return a.utf8.count < b.utf8.count }
        // Same letters: the first difference is one of case, and lowercase comes first.
        for (p, q) in zip(a.utf8, b.utf8) where p != q { return p > q }
        return false
    }
}
