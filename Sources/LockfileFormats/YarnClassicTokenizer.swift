import FoundationEssentials
import SafeJSON

/// The tokens of Yarn classic's lockfile syntax, split exactly as Yarn 1's own tokenizer splits
/// them (yarnpkg/yarn `src/lockfile/parse.js`), so that a line means to us what it means to Yarn:
/// `integrity X resolved Y` is two pairs, `integrity: X` is a pair, `a, b:` are two keys, quoted
/// strings are JSON strings with their escapes decoded, and an unquoted value ends at `:`, `,` or
/// a space.
struct YarnClassicToken: Equatable {
    enum Kind: Equatable {
        case newline, comment, colon, comma, eof
        /// Leading spaces after a newline, in levels of two.
        case indent(Int)
        /// A quoted or unquoted string.
        case value(String)
        /// A number or `true`/`false`: a value to Yarn, but not a string (kept as its text).
        case literal(String)
        /// Something Yarn's tokenizer cannot read (an odd indent, a tab, a bad escape).
        case invalid(String)
    }

    let kind: Kind
    /// 1-based line of the token's first character.
    let line: Int

    /// All tokens of `text`, ending with `.eof`.
    static func tokenize(_ text: String) -> [YarnClassicToken] {
        var scanner = Scanner(bytes: Array(text.utf8))
        var tokens: [YarnClassicToken] = []
        while let token = scanner.next() { tokens.append(token) }
        tokens.append(YarnClassicToken(kind: .eof, line: scanner.line))
        return tokens
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var line = 1
        var afterNewline = false

        mutating func next() -> YarnClassicToken? {
            while index < bytes.count {
                let start = index, startLine = line, byte = bytes[index]
                let wasNewline = afterNewline
                afterNewline = byte == UInt8(ascii: "\n") || (byte == UInt8(ascii: "\r") && peek(1) == UInt8(ascii: "\n"))
                if let kind = scan(byte, afterNewline: wasNewline) {
                    if index == start { index += 1 }  // never stall
                    return YarnClassicToken(kind: kind, line: startLine)
                }
            }
            return nil
        }

        func peek(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }

        /// Consumes one token (nil for a space between tokens).
        mutating func scan(_ byte: UInt8, afterNewline: Bool) -> Kind? {
            switch byte {
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                index += byte == UInt8(ascii: "\r") && peek(1) == UInt8(ascii: "\n") ? 2 : 1
                line += 1
                return .newline
            case UInt8(ascii: "#"):
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                return .comment
            case UInt8(ascii: " "):
                guard afterNewline else { index += 1; return nil }
                var count = 0
                while peek(count) == UInt8(ascii: " ") { count += 1 }
                index += count
                return count % 2 == 0 ? .indent(count / 2) : .invalid("an odd number of spaces")
            case UInt8(ascii: "\""): return quoted()
            case UInt8(ascii: ":"): index += 1; return .colon
            case UInt8(ascii: ","): index += 1; return .comma
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                return .literal(take { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
            default:
                if hasPrefix("true") { index += 4; return .literal("true") }
                if hasPrefix("false") { index += 5; return .literal("false") }
                guard Self.startsWord(byte) else { index += 1; return .invalid("unexpected character") }
                return .value(take { ![UInt8(ascii: ":"), UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: ",")].contains($0) })
            }
        }

        /// A `"…"` token: it ends at a quote not preceded by a single backslash (Yarn's rule), and
        /// its text must then be a valid JSON string.
        mutating func quoted() -> Kind {
            var end = index + 1
            while end < bytes.count {
                if bytes[end] == UInt8(ascii: "\"") {
                    let escaped = bytes[end - 1] == UInt8(ascii: "\\") && (end - 2 < index || bytes[end - 2] != UInt8(ascii: "\\"))
                    if !escaped { end += 1; break }
                }
                end += 1
            }
            let token = Data(bytes[index..<min(end, bytes.count)])
            index = min(end, bytes.count)
            line += token.count { $0 == UInt8(ascii: "\n") }
            guard let value = (try? JSONValue.parse(token, maxDepth: 1))?.stringValue else { return .invalid("a quoted string that is not a JSON string") }
            return .value(value)
        }

        mutating func take(while condition: (UInt8) -> Bool) -> String {
            let start = index
            while index < bytes.count, condition(bytes[index]) { index += 1 }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        func hasPrefix(_ word: String) -> Bool {
            let utf8 = Array(word.utf8)
            return index + utf8.count <= bytes.count && Array(bytes[index..<(index + utf8.count)]) == utf8
        }

        /// Yarn's `/^[a-zA-Z\/.-]/`.
        static func startsWord(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
        }
    }
}
