/// Finds the line of an entry's key in a lockfile's text, for reports that point at it.
struct LineLocator {
    /// Lines (1-based) on which each quoted or bare key opens, in order.
    private var keyLines: [String: [Int]] = [:]
    private let lines: [Substring]

    init(text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            guard let key = Self.leadingKey(line) else { continue }
            keyLines[key, default: []].append(index + 1)
        }
    }

    /// The key a line opens (`"key": {`, `'key':`, `key:`), unquoted.
    static func leadingKey(_ line: Substring) -> String? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard let first = trimmed.first else { return nil }
        if first == "\"" || first == "'" {
            let body = trimmed.dropFirst()
            guard let close = body.firstIndex(of: first) else { return nil }
            return String(body[..<close])
        }
        guard let colon = trimmed.firstIndex(of: ":") else { return nil }
        return String(trimmed[..<colon])
    }

    /// Most lines opening one key that `containing` looks at: line numbers only point reports at
    /// an entry, and looking at every one made each lookup scan the file (found by review: a
    /// 187 KB v1 lockfile of keys repeated 20,000 times took 25 s).
    static let maxCandidates = 16
    /// Bytes of each line looked at: the text sits near the start of an entry's line (found by a
    /// re-attack: lines of 20 KB made each window cost as much as the file).
    static let maxLineBytes = 256

    /// The first line after `after` opening `key`; with `containing`, the first whose next lines mention it.
    func line(of key: String, after: Int = 0, containing: String? = nil) -> Int {
        let all = keyLines[key] ?? []
        var low = 0, high = all.count  // the first line after `after`, by binary search
        while low < high {
            let middle = (low + high) / 2
            if all[middle] > after { high = middle } else { low = middle + 1 }
        }
        let candidates = all[low...]
        guard let containing else { return candidates.first ?? 0 }
        let wanted = Array(containing.utf8)
        for line in candidates.prefix(Self.maxCandidates) {
            let window = lines[line..<min(lines.count, line + 4)]
            if window.contains(where: { Array($0.utf8.prefix(Self.maxLineBytes)).firstRange(of: wanted) != nil }) { return line }
        }
        return candidates.first ?? 0
    }
}
