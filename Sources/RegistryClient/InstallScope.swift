import CodedError
import FoundationEssentials
import NpmModel
import SafeJSON

/// npm's settings that decide which of a tree's packages an install puts on disk: `omit` and
/// `include` (with their deprecated aliases `only`, `production`, `also`, `dev`, `optional`, and
/// `NODE_ENV=production`), and the `os`, `cpu` and `libc` an optional package is checked against.
/// Read so that `ci` and `install` place the set `npm ci` and `npm install` would place, not a
/// silently different one (found in review: `NODE_ENV=production` was ignored).
public struct InstallScope: Sendable, Equatable {
    /// A kind of dependency npm can leave off disk (`--omit`).
    public enum DependencyType: String, Sendable, CaseIterable, Comparable {
        case dev, optional, peer
        public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    }

    /// The kinds left off disk: npm's `buildOmitList`.
    public var omit: Set<DependencyType> = []
    /// `--os`, `--cpu` and `--libc`: what npm's reify checks optional packages against instead of
    /// this machine (npm 10.8 still checks required packages against the machine itself).
    public var os: String?
    public var cpu: String?
    public var libc: String?

    public init(omit: Set<DependencyType> = [], os: String? = nil, cpu: String? = nil, libc: String? = nil) {
        self.omit = omit
        self.os = os
        self.cpu = cpu
        self.libc = libc
    }

    /// The settings this reads, and the ones npm reads as lists (`omit[]=dev` in an npmrc).
    static let keys: Set<String> = ["omit", "include", "only", "production", "also", "dev", "optional", "os", "cpu", "libc"]
    static let listKeys: Set<String> = ["omit", "include"]

    /// From npm's flattened settings (the highest layer's value of each key) and the environment
    /// (`NODE_ENV`), as `@npmcli/config`'s definitions flatten them. A list is the values joined
    /// by a blank line, as npm passes lists through the environment. A value npm would reject
    /// with a warning is refused here: guessing would place another set than npm's.
    init(settings: [String: String], environment: [String: String]) throws {
        func list(_ key: String, allowed: [String]) throws -> [String]? {
            guard let value = settings[key] else { return nil }
            let items = value.components(separatedBy: "\n\n").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
            if let wrong = items.first(where: { !allowed.contains($0) }) {
                throw NpmModelError(.invalidConfiguration, "npm's \(key) setting names \(wrong.debugDescription); it can only be \(allowed.joined(separator: ", "))")
            }
            return items
        }
        var omitted = try list("omit", allowed: ["dev", "optional", "peer"])
            ?? (environment["NODE_ENV"] == "production" ? ["dev"] : [])
        var included = try list("include", allowed: ["prod", "dev", "optional", "peer"]) ?? []
        let production = settings["production"].flatMap(Self.boolean)
        let only = settings["only"]?.trimmingWhitespace()
        if only == "prod" || only == "production" || production == true {
            omitted.append("dev")
        } else if production == false {
            included.append("dev")
        }
        if settings["also"]?.trimmingWhitespace().hasBytePrefix("dev") == true { included.append("dev") }
        if settings["dev"].flatMap(Self.boolean) == true { included.append("dev") }
        switch settings["optional"].flatMap(Self.boolean) {
        case false?: omitted.append("optional")
        case true?: included.append("optional")
        case nil: break
        }
        omit = Set(omitted.filter { !included.contains($0) }.compactMap(DependencyType.init(rawValue:)))
        func text(_ key: String) -> String? { settings[key].map { $0.trimmingWhitespace() }.flatMap { $0.isEmpty ? nil : $0 } }
        os = text("os")
        cpu = text("cpu")
        libc = text("libc")
    }

    /// A Boolean setting as npm's parseField and nopt read it: `true` or empty is true, `false` is
    /// false, `null` and `undefined` are unset, a number is true unless zero, other text is true.
    static func boolean(_ value: String) -> Bool? {
        let text = value.trimmingWhitespace()
        switch text {
        case "", "true": return true
        case "false": return false
        case "null", "undefined": return nil
        default: return javaScriptNumber(text).map { $0 != 0 } ?? true
        }
    }

    /// `+text` in JavaScript for a trimmed, non-empty text, nil for NaN: decimal literals (with
    /// `Infinity`), and `0x`, `0o`, `0b` integers; not Swift's hex floats, `inf` or `nan` (found by
    /// review: `production=0x0p1` is true to npm and read as zero here).
    static func javaScriptNumber(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        if bytes.count > 2, bytes[0] == UInt8(ascii: "0") {
            let radix: Int? = switch bytes[1] | 0x20 {
            case UInt8(ascii: "x"): 16
            case UInt8(ascii: "o"): 8
            case UInt8(ascii: "b"): 2
            default: nil
            }
            if let radix {
                // Too many digits for UInt64 is a large number in JavaScript, not zero; nil (NaN) is true too.
                return UInt64(String(decoding: bytes.dropFirst(2), as: UTF8.self), radix: radix).map(Double.init)
            }
        }
        var body = Substring(text)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        if body == "Infinity" { return .infinity }
        // digits, an optional fraction, an optional exponent; at least one digit before the exponent
        var index = body.startIndex, digits = 0
        while index < body.endIndex, body[index].isASCII, body[index].isNumber { index = body.index(after: index); digits += 1 }
        if index < body.endIndex, body[index] == "." {
            index = body.index(after: index)
            while index < body.endIndex, body[index].isASCII, body[index].isNumber { index = body.index(after: index); digits += 1 }
        }
        guard digits > 0 else { return nil }
        if index < body.endIndex, body[index] == "e" || body[index] == "E" {
            index = body.index(after: index)
            if index < body.endIndex, body[index] == "+" || body[index] == "-" { index = body.index(after: index) }
            var exponent = 0
            while index < body.endIndex, body[index].isASCII, body[index].isNumber { index = body.index(after: index); exponent += 1 }
            guard exponent > 0 else { return nil }
        }
        return index == body.endIndex ? Double(text) : nil
    }

    /// Whether npm's reify leaves a package with these lockfile flags off disk
    /// (`_addOmitsToTrashList`): `devOptional` is npm's raw flag, also set when `dev` or
    /// `optional` is.
    public func omits(dev: Bool, optional: Bool, devOptional: Bool, peer: Bool) -> Bool {
        peer && omit.contains(.peer) || dev && omit.contains(.dev) || optional && omit.contains(.optional)
            || devOptional && omit.contains(.optional) && omit.contains(.dev)
    }

    /// `--omit=dev --omit=peer`, for messages; empty when nothing is omitted.
    public var omitDescription: String {
        omit.sorted().map { "--omit=\($0.rawValue)" }.joined(separator: " ")
    }
}
