/// A bundle or trusted root that does not have the expected shape.
///
/// `path` names the JSON field (`verificationMaterial.tlogEntries[0].logIndex`);
/// the message says what was expected and what was found.
public struct SigstoreModelError: Error, CustomStringConvertible, Sendable, Equatable {
    public let path: String
    public let message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path.isEmpty ? "document" : path): \(message)" }
}

/// Size limits for untrusted Sigstore JSON, kept in one place.
public enum SigstoreLimits {
    /// Largest bundle or trusted-root document accepted, in bytes.
    public static let maxDocumentBytes = 16 << 20
    /// Deepest JSON nesting accepted.
    public static let maxDepth = 32
    /// Largest decoded base64 field (DSSE payloads, bodies), in bytes.
    public static let maxDecodedBytes = 8 << 20
    /// Most elements in any array (certificates, tlog entries, proof hashes, signatures).
    public static let maxArrayCount = 256
}
