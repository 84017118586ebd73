/// The tree Yarn classic's parser (`Parser.parse` in yarnpkg/yarn `src/lockfile/parse.js`) builds
/// from `YarnClassicToken`s: pairs of one or more keys (`a, b:`) and a value or an indented
/// object. Kept as a list with line numbers, duplicates included, so the caller can refuse them.
struct YarnClassicDocument {
    indirect enum Value {
        case string(String)
        /// A number or boolean (as its text).
        case literal(String)
        case object([Pair])

        /// The text of a string or literal; nil for an object.
        var text: String? {
            switch self {
            case .string(let text), .literal(let text): text
            case .object: nil
            }
        }
    }

    struct Pair {
        let keys: [String]
        let line: Int
        let value: Value
    }

    let pairs: [Pair]

    /// Parses `text`; anything Yarn's parser would reject (or stop early on) is an error, naming the line.
    static func parse(_ text: String, maxDepth: Int) throws -> YarnClassicDocument {
        var parser = Parser(tokens: YarnClassicToken.tokenize(text), maxDepth: maxDepth)
        let pairs = try parser.object(indent: 0)
        guard parser.token.kind == .eof else {
            throw LockfileError("yarn.lock line \(parser.token.line): unexpected indentation (Yarn would stop reading here)")
        }
        return YarnClassicDocument(pairs: pairs)
    }

    private struct Parser {
        let tokens: [YarnClassicToken]
        let maxDepth: Int
        var position = 0

        var token: YarnClassicToken { tokens[position] }
        mutating func advance() { if position < tokens.count - 1 { position += 1 } }

        /// One object at `indent`: Yarn's loop, returning where Yarn's `break`s return.
        mutating func object(indent: Int) throws -> [Pair] {
            guard indent <= maxDepth else { throw LockfileError("yarn.lock line \(token.line): nested deeper than \(maxDepth) levels") }
            var pairs: [Pair] = []
            while true {
                switch token.kind {
                case .newline:
                    advance()
                    if indent == 0 { continue }
                    guard case .indent(let level) = token.kind, level == indent else { return pairs }
                    advance()
                case .indent(let level):
                    guard level == indent else { return pairs }
                    advance()
                case .eof:
                    return pairs
                case .comment:
                    advance()
                case .value(let key):
                    pairs.append(try pair(firstKey: key, indent: indent))
                    if indent > 0, case .object = pairs[pairs.count - 1].value, !isIndent { return pairs }
                default:
                    throw unexpected()
                }
            }
        }

        var isIndent: Bool { if case .indent = token.kind { true } else { false } }

        /// `key[, key…][:] value` or `key[, key…]:` and an object one level deeper.
        mutating func pair(firstKey: String, indent: Int) throws -> Pair {
            let line = token.line
            guard !firstKey.isEmpty else { throw LockfileError("yarn.lock line \(line): an empty key") }
            var keys = [firstKey]
            advance()
            while token.kind == .comma {
                advance()
                guard case .value(let key) = token.kind, !key.isEmpty else { throw unexpected() }
                keys.append(key)
                advance()
            }
            let colon = token.kind == .colon
            if colon { advance() }
            switch token.kind {
            case .value(let text):
                advance()
                return Pair(keys: keys, line: line, value: .string(text))
            case .literal(let text):
                advance()
                return Pair(keys: keys, line: line, value: .literal(text))
            default:
                guard colon else { throw unexpected() }
                return Pair(keys: keys, line: line, value: .object(try object(indent: indent + 1)))
            }
        }

        func unexpected() -> LockfileError {
            let what: String
            switch token.kind {
            case .invalid(let reason): what = reason
            case .colon: what = "an unexpected ':'"
            case .comma: what = "an unexpected ','"
            default: what = "an unexpected token"
            }
            return LockfileError("yarn.lock line \(token.line): \(what) (Yarn's parser would refuse it and fall back to YAML)")
        }
    }
}
