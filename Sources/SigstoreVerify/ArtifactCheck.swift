import FoundationEssentials
import Hex
import OpenSSLCrypto
public import SigstoreModels
import CodedError

/// Checks that the artifact is what the bundle signed: the message digest, or an in-toto subject digest.
public struct ArtifactCheck: Sendable {
    public static let inTotoPayloadType = "application/vnd.in-toto+json"

    public init() {}

    /// Returns the in-toto statement of a DSSE bundle when it decodes.
    @discardableResult
    public func verify(_ content: SigstoreBundle.Content, artifact: Artifact?) throws -> InTotoStatement? {
        switch content {
        case .messageSignature(let message):
            if let artifact, let digest = message.digest {
                guard message.digestAlgorithm == "SHA2_256", constantTimeEquals(digest, artifact.sha256) else {
                    throw VerificationError(.artifact, "expected the bundle's \(message.digestAlgorithm ?? "?") message digest to equal the artifact's SHA-256")
                }
            }
            return nil
        case .dsseEnvelope(let envelope):
            let statement = envelope.payloadType == Self.inTotoPayloadType ? try? InTotoStatement(payload: envelope.payload) : nil
            guard let artifact else { return statement }
            guard let statement else {
                throw VerificationError(.artifact, "expected an in-toto statement payload to match the artifact, found \(envelope.payloadType)")
            }
            let hex = Hex.encode(artifact.sha256)
            guard statement.subjects.contains(where: { $0.digest["sha256"]?.lowercased() == hex }) else {
                throw VerificationError(.artifact, "no statement subject has sha256 \(hex)")
            }
            return statement
        }
    }
}
