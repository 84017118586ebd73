import SafeJSON
import Yams

/// A YAML document reduced to scalars, maps (with each key's line) and lists, read within limits:
/// nesting depth and the number of nodes visited (aliases expand, so this caps "billion laughs").
indirect enum YamlTree: Sendable {
    case scalar(String)
    case map([(key: String, value: YamlTree, line: Int)])
    case list([YamlTree])

    static func parse(_ text: String, limits: LockfileLimits, file: String) throws -> YamlTree {
        try refuseAmbiguousBreaks(text, file: file)
        try refuseAnchors(text, file: file)
        try refuseComplexKeys(text, file: file)
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            // Yams' errors may quote the whole document: only their start is told.
            let reason = String(describing: error)
            throw LockfileError("\(file) is not valid YAML: \(reason.prefix(400))\(reason.count > 400 ? "…" : "")")
        }
        guard let node else { return .map([]) }
        var budget = limits.maxNodes
        return try convert(node, depth: 0, budget: &budget, limits: limits, file: file)
    }

    /// libyaml (this reader) ends a line at NEL, LS and PS as at LF; js-yaml (pnpm, Yarn Berry)
    /// does not, so `#<LS>key: '…` is a comment to one and a key to the other, and each sees a
    /// different document (found by review: a hidden `resolution` and `yarnPath`). A byte order
    /// mark past the start is refused too: the readers differ on it.
    static func refuseAmbiguousBreaks(_ text: String, file: String) throws {
        var line = 1
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            if scalar == "\n" { line += 1 }
            guard [0x85, 0x2028, 0x2029].contains(scalar.value) || (scalar.value == 0xFEFF && offset > 0) else { continue }
            let hex = String(scalar.value, radix: 16, uppercase: true)
            throw LockfileError("\(file) line \(line): U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex) is a line break to one YAML reader and text to another (pnpm's and Yarn's js-yaml): refused, not guessed")
        }
    }

    /// Anchors are refused before libyaml reads the text: neither pnpm nor Yarn writes one, and an
    /// anchored collection used inside a mapping key makes Yams hash its whole alias-expanded tree
    /// while it checks for duplicate keys, before any node budget applies (found by review: 458
    /// bytes took 19 s, each 56 more ten times as long). Without anchors, every alias is undefined
    /// and fails at once. The test is on the text, and errs towards refusing: an `&` that could
    /// start a node property (after a blank, a line start, `[`, `{`, `,`, `:` or `?`) followed by a
    /// character an anchor name may hold. Quotes and comments are not skipped: telling where they
    /// start takes a YAML reader, and a wrong guess would hide an anchor.
    static func refuseAnchors(_ text: String, file: String) throws {
        var line = 1
        var previous: UInt8 = 0x0A
        let bytes = Array(text.utf8)
        for (index, byte) in bytes.enumerated() {
            defer { previous = byte; if byte == 0x0A { line += 1 } }
            guard byte == UInt8(ascii: "&"), Self.mayPrecedeProperty(previous), index + 1 < bytes.count,
                  Self.mayBeginAnchorName(bytes[index + 1]) else { continue }
            throw LockfileError("\(file) line \(line): YAML anchors (&name) are refused: pnpm and Yarn never write them, and an alias of one costs a YAML reader without bound")
        }
    }

    /// Explicit keys that are not plain text are refused before libyaml reads the text too: Yams
    /// hashes each mapping's keys whole, so nested collection keys cost depth times size (found by
    /// a re-attack: 2 MB of `{? {? … : v} : v}` ran for 133 s), and this reader refuses a key that
    /// is not a string anyway. Only an explicit key (`?`) can be that large: libyaml limits an
    /// implicit one to 1024 characters on one line. Yarn and pnpm write `? "…"` for longer keys,
    /// so a `?` where a node may start must be followed, on its line, by quoted or plain text;
    /// a collection, a property, another `?` or nothing (content on the next lines) is refused.
    static func refuseComplexKeys(_ text: String, file: String) throws {
        var line = 1
        // The last byte that is not a blank, and whether blanks came after it.
        var (previous, blankSince): (UInt8, Bool) = (0x0A, false)
        let bytes = Array(text.utf8)
        for (index, byte) in bytes.enumerated() {
            defer {
                if byte == 0x20 || byte == 0x09 { blankSince = true } else { (previous, blankSince) = (byte, false) }
                if byte == 0x0A { line += 1 }
            }
            // After a line start or a flow indicator; after `-`, `:` or `?` only with a blank between.
            guard byte == UInt8(ascii: "?"),
                  [0x0A, 0x0D, 0xBF, UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: ",")].contains(previous)
                    || (blankSince && [UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "?")].contains(previous)) else { continue }
            var next = index + 1
            while next < bytes.count, bytes[next] == 0x20 || bytes[next] == 0x09 { next += 1 }
            // `?x` with no blank is plain text outside flow collections; inside them libyaml reads a key.
            guard next < bytes.count, !Self.beginsComplexKey(bytes[next]) else {
                throw LockfileError("\(file) line \(line): an explicit YAML key (`?`) that is not plain or quoted text is refused: pnpm and Yarn never write one, and reading it costs a YAML reader without bound")
            }
        }
    }

    /// What after `?` starts a key that is not plain or quoted text on its line.
    private static func beginsComplexKey(_ byte: UInt8) -> Bool {
        [0x0A, 0x0D, UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "?"), UInt8(ascii: "-"), UInt8(ascii: "&"), UInt8(ascii: "*"),
         UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "#"), UInt8(ascii: ":"), UInt8(ascii: ",")].contains(byte)
    }

    /// A blank, a line end, a flow indicator, `:` or `?` (libyaml reads `?` as the key indicator
    /// with no blank after it inside `[]` and `{}`: found by a re-attack); also the last byte of a
    /// byte order mark.
    private static func mayPrecedeProperty(_ byte: UInt8) -> Bool {
        [0x20, 0x09, 0x0A, 0x0D, 0xBF, UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: ","), UInt8(ascii: ":"),
         UInt8(ascii: "?")].contains(byte)
    }

    private static func mayBeginAnchorName(_ byte: UInt8) -> Bool {
        ![0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}")].contains(byte)
    }

    private static func convert(_ node: Node, depth: Int, budget: inout Int, limits: LockfileLimits, file: String) throws -> YamlTree {
        budget -= 1
        guard budget >= 0 else { throw LockfileError("\(file) expands to more than \(limits.maxNodes) YAML nodes") }
        // Another YAML reader (js-yaml, for pnpm) may reject a tag this one accepts, and then read
        // the text another way: only the core schema's tags are accepted.
        guard node.tag.rawValue.hasBytePrefix("tag:yaml.org,2002:") else {
            throw LockfileError("\(file) line \(node.mark?.line ?? 0): the YAML tag \(node.tag.rawValue) is refused")
        }
        guard depth < limits.maxDepth else { throw LockfileError("\(file) nests deeper than \(limits.maxDepth) levels") }
        switch node {
        case .scalar(let scalar): return .scalar(scalar.string)
        case .sequence(let sequence):
            return .list(try sequence.map { try convert($0, depth: depth + 1, budget: &budget, limits: limits, file: file) })
        case .mapping(let mapping):
            var pairs: [(key: String, value: YamlTree, line: Int)] = []
            for (key, value) in mapping {
                guard case .scalar(let scalar) = key else { throw LockfileError("\(file): a mapping key is not a string") }
                // A merge key (`<<: *anchor`) is applied by js-yaml (pnpm) but not by this reader: refused, not guessed.
                guard scalar.string != "<<" else { throw LockfileError("\(file) line \(key.mark?.line ?? 0): YAML merge keys (<<) are refused") }
                pairs.append((scalar.string, try convert(value, depth: depth + 1, budget: &budget, limits: limits, file: file),
                              key.mark?.line ?? 0))
            }
            return .map(pairs)
        case .alias: throw LockfileError("\(file) uses an unresolved YAML alias")
        }
    }

    subscript(key: String) -> YamlTree? {
        guard case .map(let pairs) = self else { return nil }
        return pairs.first { $0.key.utf8.elementsEqual(key.utf8) }?.value  // bytes, as YAML compares keys
    }

    var string: String? {
        if case .scalar(let text) = self { return text }
        return nil
    }

    var entries: [(key: String, value: YamlTree, line: Int)] {
        if case .map(let pairs) = self { return pairs }
        return []
    }
}
