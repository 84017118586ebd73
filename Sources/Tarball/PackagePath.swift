/// Lexical path rules shared by the packer and the unpacker.
///
/// Everything here works on `/`-separated strings only; nothing touches the filesystem.
enum PackagePath {
    /// The directory npm puts every packed file under.
    static let packPrefix = "package/"

    // MARK: - Validation of stored paths

    /// Decodes and validates a path (or link target) as stored in an archive.
    ///
    /// Refuses over-long, NUL-containing, non-UTF-8 and empty paths, absolute paths and any `..`
    /// component. `entry` is the display name used in error messages.
    static func validated(_ bytes: [UInt8], entry: String, what: String = "path",
                          limits: TarballLimits) throws(TarballError) -> String {
        guard bytes.count <= limits.maxPathBytes else {
            throw TarballError(.pathTooLong, entry: entry,
                               "expected a \(what) of at most \(limits.maxPathBytes) bytes, found \(bytes.count) bytes")
        }
        guard !bytes.contains(0) else {
            throw TarballError(.invalidPath, entry: entry, "expected a \(what) without NUL bytes, found a NUL byte")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw TarballError(.invalidPath, entry: entry, "expected a UTF-8 \(what), found invalid UTF-8 bytes")
        }
        guard !text.isEmpty else {
            throw TarballError(.invalidPath, entry: entry, "expected a non-empty \(what), found an empty one")
        }
        try checkRelative(text, entry: entry, what: what)
        try checkStripsLikeNpm(text, entry: entry, what: what)
        let depth = rawComponents(text).count
        guard depth <= limits.maxPathDepth else {
            throw TarballError(.pathTooLong, entry: entry,
                               "expected a \(what) of at most \(limits.maxPathDepth) components, found \(depth)")
        }
        return text
    }

    /// Refuses absolute paths and `..` components.
    static func checkRelative(_ text: String, entry: String, what: String) throws(TarballError) {
        guard text.utf8.first != UInt8(ascii: "/") else {  // the byte: "/" and a combining mark are one Character
            throw TarballError(.absolutePath, entry: entry, "expected a relative \(what), found absolute '\(text)'")
        }
        guard !rawComponents(text).contains(where: isDotDot) else {
            throw TarballError(.pathTraversal, entry: entry,
                               "expected a \(what) without '..' components, found '\(text)'")
        }
    }

    /// Refuses what npm's unpacker places elsewhere than under its first folder (found by review).
    /// node-tar drops the first folder (`strip: 1`), then strips a Windows root from the whole path
    /// instead, so `C:package/index.js` lands at `package/index.js` and `\pkg/x` at `pkg/x`; and
    /// `package//index.js` is absolute once its first folder is gone, so npm skips it.
    static func checkStripsLikeNpm(_ text: String, entry: String, what: String) throws(TarballError) {
        let bytes = Array(text.utf8.prefix(2))
        let letter = (bytes.first ?? 0) | 0x20
        guard bytes.first != UInt8(ascii: "\\"), !(bytes.count == 2 && bytes[1] == UInt8(ascii: ":") && (0x61...0x7A).contains(letter)) else {
            throw TarballError(.absolutePath, entry: entry, "expected a \(what) without a Windows root, found '\(text)' (npm's unpacker strips the root instead of the first folder)")
        }
        let parts = rawComponents(text)
        guard parts.count < 3 || !parts[1].isEmpty else {
            throw TarballError(.absolutePath, entry: entry, "expected a \(what) whose second component is not empty, found '\(text)' (absolute to npm's unpacker once the first folder is stripped: it skips the entry)")
        }
    }

    // MARK: - Components

    /// Splits on the `/` byte, keeping empty and `.` components (as node-tar does before stripping).
    /// Never on Characters: `/` followed by a combining mark is one Character, yet the kernel still
    /// sees the `/`, so a Character split would hide a `..` component from every check.
    static func rawComponents(_ text: String) -> [Substring] {
        let utf8 = text.utf8
        var parts: [Substring] = []
        var start = utf8.startIndex
        for index in utf8.indices where utf8[index] == UInt8(ascii: "/") {
            parts.append(Substring(utf8[start..<index]))
            start = utf8.index(after: index)
        }
        parts.append(Substring(utf8[start...]))
        return parts
    }

    /// `components` joined with `/`, as UTF-8 bytes: the key paths are compared and stored by
    /// (never Unicode-equivalent matching, which tar and the file system do not do).
    static func bytes(_ components: [String]) -> [UInt8] { Array(components.joined(separator: "/").utf8) }

    /// Whether `component` is exactly the bytes `..` (compared as bytes, not as Unicode text).
    static func isDotDot(_ component: Substring) -> Bool { component.utf8.elementsEqual("..".utf8) }

    /// Whether `component` is exactly the byte `.`.
    static func isDot(_ component: Substring) -> Bool { component.utf8.elementsEqual(".".utf8) }

    /// Drops the first component whatever it is named (npm's `strip: 1`), then normalises away
    /// empty and `.` components. An empty result means the entry is the package root itself.
    static func strippedComponents(_ text: String) -> [String] {
        normalized(rawComponents(text).dropFirst())
    }

    /// Normalises a package-relative path: no empty or `.` components.
    static func normalizedComponents(_ text: String) -> [String] {
        normalized(rawComponents(text)[...])
    }

    private static func normalized(_ parts: ArraySlice<Substring>) -> [String] {
        parts.filter { !$0.isEmpty && !isDot($0) }.map(String.init)
    }

    /// Byte-wise ordering, independent of Unicode normalisation and locale.
    static func byteOrder(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}

extension PackagePath {
    /// Decodes a link target: bounded, NUL-free, UTF-8, non-empty. Whether it escapes the package
    /// is `LinkResolver`'s call (absolute or `..` targets are not malformed, just suspicious).
    static func decodedLinkTarget(_ bytes: [UInt8], entry: String, limits: TarballLimits) throws(TarballError) -> String {
        guard bytes.count <= limits.maxPathBytes else {
            throw TarballError(.pathTooLong, entry: entry,
                               "expected a link target of at most \(limits.maxPathBytes) bytes, found \(bytes.count) bytes")
        }
        guard !bytes.contains(0), let text = String(validating: bytes, as: UTF8.self), !text.isEmpty else {
            throw TarballError(.invalidPath, entry: entry, "expected a non-empty UTF-8 link target without NUL bytes")
        }
        let depth = rawComponents(text).count
        guard depth <= limits.maxPathDepth else {
            throw TarballError(.pathTooLong, entry: entry, "expected a link target of at most \(limits.maxPathDepth) components, found \(depth)")
        }
        return text
    }
}
