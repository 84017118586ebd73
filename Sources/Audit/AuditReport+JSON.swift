import SafeJSON

extension AuditReport {
    /// `npm audit signatures --json`: `{"invalid": [...], "missing": [...]}` laid out like
    /// `JSON.stringify(value, null, 2)`, plus `"skipped": [...]` (packages that could not be
    /// audited, with why) when there are any; each entry's keys in npm's order, absent fields left out.
    public func json() -> String {
        let invalidEntries = invalid.map { entry in
            [("code", entry.code), ("message", entry.message), ("integrity", entry.integrity), ("keyid", entry.keyid),
             ("location", entry.location), ("name", entry.name), ("registry", entry.registry), ("resolved", entry.resolved),
             ("signature", entry.signature), ("predicateType", entry.predicateType), ("type", entry.type), ("version", entry.version)]
        }
        let missingEntries = missing.map { entry in
            [("integrity", entry.integrity), ("location", entry.location), ("name", entry.name),
             ("registry", entry.registry), ("resolved", entry.resolved), ("version", entry.version)]
        }
        let body = "{\n  \"invalid\": \(Self.array(invalidEntries)),\n  \"missing\": \(Self.array(missingEntries))"
        return body + (skipped.isEmpty ? "" : ",\n  \"skipped\": \(Self.strings(skipped))") + "\n}\n"
    }

    /// A string array at nesting level 1 (npm has no `skipped`: the key appears only when needed).
    static func strings(_ values: [String]) -> String {
        guard !values.isEmpty else { return "[]" }
        return "[\n" + values.map { "    " + OrderedJSONWriter.quote($0) }.joined(separator: ",\n") + "\n  ]"
    }

    /// An array of flat string objects at nesting level 1.
    static func array(_ entries: [[(String, String?)]]) -> String {
        guard !entries.isEmpty else { return "[]" }
        let objects = entries.map { pairs in
            let fields = pairs.compactMap { key, value in
                value.map { "      \(OrderedJSONWriter.quote(key)): \(OrderedJSONWriter.quote($0))" }
            }
            return "    {\n" + fields.joined(separator: ",\n") + "\n    }"
        }
        return "[\n" + objects.joined(separator: ",\n") + "\n  ]"
    }
}
