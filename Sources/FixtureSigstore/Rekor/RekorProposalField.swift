import SafeJSON

/// Typed, path-naming access to a proposed entry's JSON; every miss is a 400.
struct RekorProposalField {
    let value: JSONValue
    let path: String

    init(_ value: JSONValue, path: String) {
        self.value = value
        self.path = path
    }

    private func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The member `key`, or nil when absent or null.
    func optional(_ key: String) throws(RekorError) -> RekorProposalField? {
        guard case .object(let members) = value else { throw .badRequest("\(path): expected an object") }
        guard let member = members[key], member != .null else { return nil }
        return RekorProposalField(member, path: child(key))
    }

    func required(_ key: String) throws(RekorError) -> RekorProposalField {
        guard let member = try optional(key) else { throw .badRequest("\(child(key)): required field is missing") }
        return member
    }

    func string() throws(RekorError) -> String {
        guard case .string(let text) = value else { throw .badRequest("\(path): expected a string") }
        return text
    }

    func nonEmptyString() throws(RekorError) -> String {
        let text = try string()
        guard !text.isEmpty else { throw .badRequest("\(path): expected a non-empty string") }
        return text
    }

    /// A swagger `strfmt.Base64` field: standard base64, decoded.
    func base64() throws(RekorError) -> [UInt8] {
        guard let bytes = RekorEncoding.unbase64(try string()) else { throw .badRequest("\(path): expected standard base64") }
        return bytes
    }

    func array() throws(RekorError) -> [RekorProposalField] {
        guard case .array(let items) = value else { throw .badRequest("\(path): expected an array") }
        return items.enumerated().map { RekorProposalField($0.element, path: "\(path)[\($0.offset)]") }
    }

    /// A `{algorithm: "sha256", value: <64 hex>}` hash object; returns the value as given.
    func sha256Hash() throws(RekorError) -> String {
        let algorithm = try required("algorithm").string()
        guard algorithm == "sha256" else { throw .badRequest("\(path).algorithm: expected \"sha256\", found \"\(algorithm)\"") }
        let value = try required("value").string()
        guard value.utf8.count == 64, RekorEncoding.unhex(value) != nil else {
            throw .badRequest("\(path).value: expected 64 hex digits, found \"\(value.prefix(80))\"")
        }
        return value
    }
}
