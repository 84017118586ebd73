import FoundationEssentials
public import SafeJSON

/// An in-toto Statement (v0.1 or v1) carried as a DSSE payload.
public struct InTotoStatement: Sendable {
    /// One subject: a name and its digests by algorithm (`sha512` → lowercase hex).
    public struct Subject: Sendable, Equatable {
        public let name: String
        public let digest: [String: String]
    }

    public let type: String
    public let subjects: [Subject]
    public let predicateType: String
    /// The predicate, kept as JSON (SLSA provenance, npm publish).
    public let predicate: JSONValue?

    /// Decodes a statement from DSSE payload bytes. A key named twice is refused: the signature
    /// covers both copies, and JSON readers differ on which one counts.
    public init(payload: [UInt8]) throws {
        let json = try JSONField.parse(Data(payload), refusingDuplicateKeys: true)
        type = try json.required("_type").string()
        predicateType = try json.required("predicateType").string()
        subjects = try json.required("subject").array().map { item in
            var digests: [String: String] = [:]
            if let digest = try item.optional("digest") {
                guard let object = digest.value.objectValue else { throw digest.fail("an object") }
                for key in object.keys { digests[key] = try digest.required(key).string() }
            }
            return Subject(name: try item.required("name").string(), digest: digests)
        }
        predicate = try json.optional("predicate")?.value
    }
}
