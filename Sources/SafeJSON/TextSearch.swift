extension StringProtocol {
    /// The last occurrence of `needle`, compared byte for byte in UTF-8 (occurrences may overlap:
    /// in `/a/a/` the last `/a/` starts at the second slash).
    public func lastByteRange(of needle: String) -> Range<Index>? {
        let haystack = Array(utf8), pattern = Array(needle.utf8)
        guard !pattern.isEmpty, haystack.count >= pattern.count else { return nil }
        for start in stride(from: haystack.count - pattern.count, through: 0, by: -1)
        where haystack[start..<start + pattern.count].elementsEqual(pattern) {
            let lower = utf8.index(utf8.startIndex, offsetBy: start)
            return lower..<utf8.index(lower, offsetBy: pattern.count)
        }
        return nil
    }
}
