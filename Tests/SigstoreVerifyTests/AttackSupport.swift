import Foundation
import SafeJSON
import SigstoreModels
import SigstoreVerify

/// Loads a sigstore-conformance case, edits its bundle JSON and verifies it with the case's trust and policy.
enum Attack {
    typealias Step = JSONMutation.Step
    static let entry: [Step] = [.key("verificationMaterial"), .key("tlogEntries"), .index(0)]
    static let checkpoint: [Step] = entry + [.key("inclusionProof"), .key("checkpoint"), .key("envelope")]
    static let timestamps: [Step] = [.key("verificationMaterial"), .key("timestampVerificationData"), .key("rfc3161Timestamps")]

    static func testCase(_ name: String) throws -> ConformanceCase {
        guard let found = try ConformanceCase.all().first(where: { $0.name == name }) else { throw CocoaError(.fileNoSuchFile) }
        return found
    }

    static func bundle(_ name: String) throws -> JSONValue { try Vectors.json(try testCase(name).bundle) }

    /// Verifies `bundle` as conformance case `name` would (artifact bytes, the case's root and identity).
    /// `now` sets the verifier's clock (default: the real one).
    static func verify(_ name: String, bundle: JSONValue, now: Date? = nil) throws -> VerifiedBundle {
        let testCase = try testCase(name)
        let trusted = try TrustedMaterial(jsonData: try Vectors.data(testCase.trustedRoot ?? Vectors.productionRoot))
        let policy = IdentityPolicy(subjectAlternativeName: .exact(testCase.identity), issuer: testCase.issuer)
        var verifier = BundleVerifier(trusted: trusted)
        if let now { verifier.now = { now } }
        return try verifier.verify(try SigstoreBundle(json: JSONField(bundle)),
                                                           artifact: .bytes([UInt8](try Vectors.data(testCase.artifact))),
                                                           signer: .certificate(policy))
    }

    /// Removes `key` from an object value.
    static func removing(_ key: String) -> @Sendable (JSONValue) -> JSONValue {
        { value in
            guard case .object(var object) = value else { fatalError("expected an object") }
            object[key] = nil
            return .object(object)
        }
    }

    /// Replaces a value.
    static func setting(_ new: JSONValue) -> @Sendable (JSONValue) -> JSONValue { { _ in new } }

    /// Appends a copy of the array's item `index` (or `transform` of it).
    static func repeating(_ index: Int, _ transform: @escaping @Sendable (JSONValue) -> JSONValue = { $0 }) -> @Sendable (JSONValue) -> JSONValue {
        { value in
            guard case .array(let items) = value else { fatalError("expected an array") }
            return .array(items + [transform(items[index])])
        }
    }

    /// The integrated time of the first log entry, in seconds.
    static func integratedTime(_ bundle: JSONValue) -> Int64 {
        let value = bundle["verificationMaterial"]?["tlogEntries"]?.arrayValue?.first?["integratedTime"]
        return value?.stringValue.flatMap { Int64($0) } ?? Int64(value?.numberValue ?? 0)
    }
}
