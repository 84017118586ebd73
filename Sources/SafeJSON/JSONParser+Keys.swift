extension JSONParser {
    /// Swift merges keys that are canonically equivalent ("\u{212A}" and "K"), JavaScript keeps
    /// them apart: such an object means something else to npm, so it is refused. A key repeated
    /// byte for byte keeps the last value, as `JSON.parse` does, unless duplicates are refused.
    func checkRepeatedKeys(_ members: [(String, JSONValue)]) throws {
        if refuseDuplicateKeys { throw fail("an object names a key twice") }
        var spelling: [String: String.UTF8View] = [:]
        for (key, _) in members {
            if let earlier = spelling.updateValue(key.utf8, forKey: key), !earlier.elementsEqual(key.utf8) {
                throw fail("an object names two keys that differ only in Unicode form (\(Self.scalars(key)))")
            }
        }
    }

    /// A key as ASCII, other scalars as `\u{…}`, cut at 80 scalars: readable in an error message.
    static func scalars(_ key: String) -> String {
        key.unicodeScalars.prefix(80).map { $0.isASCII ? String($0) : "\\u{\(String($0.value, radix: 16))}" }.joined()
    }
}
