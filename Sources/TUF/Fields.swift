import SafeJSON

/// Typed access to one JSON object of a metadata document; every failure is a
/// `TUFError.malformed` naming the role, version and field.
struct Fields {
    let object: [String: JSONValue]
    let role: String
    let version: Int?
    let context: String

    static let rule = "4 (document formats)"

    init(_ value: JSONValue?, role: String, version: Int? = nil, context: String) throws {
        guard let object = value?.objectValue else {
            throw TUFError(.malformed, role: role, version: version, rule: Fields.rule, "\(context) must be a JSON object")
        }
        self.object = object
        self.role = role
        self.version = version
        self.context = context
    }

    func fail(_ key: String, _ expected: String) -> TUFError {
        TUFError(.malformed, role: role, version: version, rule: Fields.rule, "\(context).\(key) must be \(expected)")
    }

    func has(_ key: String) -> Bool { object[key] != nil }

    func string(_ key: String) throws -> String {
        guard let s = object[key]?.stringValue else { throw fail(key, "a string") }
        return s
    }

    func int(_ key: String, min: Int = 0) throws -> Int {
        guard let n = object[key]?.integer(in: min...(1 << 53)) else { throw fail(key, "an integer ≥ \(min)") }
        return n
    }

    func optionalInt(_ key: String, min: Int = 0) throws -> Int? {
        guard object[key] != nil else { return nil }
        return try int(key, min: min)
    }

    func bool(_ key: String) throws -> Bool {
        guard let b = object[key]?.boolValue else { throw fail(key, "true or false") }
        return b
    }

    func optionalBool(_ key: String) throws -> Bool? {
        guard object[key] != nil else { return nil }
        return try bool(key)
    }

    func fields(_ key: String) throws -> Fields {
        guard object[key] != nil else { throw fail(key, "present") }
        return try Fields(object[key], role: role, version: version, context: "\(context).\(key)")
    }

    func array(_ key: String) throws -> [JSONValue] {
        guard let a = object[key]?.arrayValue else { throw fail(key, "an array") }
        return a
    }

    /// A list of strings; `unique` refuses repeats (role key ids must be unique).
    func strings(_ key: String, unique: Bool = false) throws -> [String] {
        let items = try array(key)
        let strings = items.compactMap(\.stringValue)
        guard strings.count == items.count else { throw fail(key, "an array of strings") }
        if unique, Set(strings).count != strings.count { throw fail(key, "an array of unique strings") }
        return strings
    }

    /// A non-empty string-to-string map (hashes).
    func hashes(_ key: String) throws -> [String: String] {
        guard let o = object[key]?.objectValue, !o.isEmpty else { throw fail(key, "a non-empty object") }
        let map = o.compactMapValues(\.stringValue)
        guard map.count == o.count else { throw fail(key, "an object of strings") }
        return map
    }
}
