import FoundationEssentials
public import OpenSSLCrypto
public import SigstoreModels
import CodedError

/// Verifies the bundle's DSSE (over PAE) or message signature with the signer key (PROTOCOLS §4.5).
///
/// ECDSA and RSA use SHA-256 like sigstore-js; Ed25519 signs the message itself.
public struct SignatureCheck: Sendable {
    public init() {}

    public func verify(_ content: SigstoreBundle.Content, key: PublicKey, artifact: Artifact?) throws {
        switch content {
        case .dsseEnvelope(let envelope):
            let digest: DigestAlgorithm? = key.kind == .ed25519 ? nil : .sha256
            guard key.verify(signature: envelope.signature.sig, message: envelope.pae, digest: digest) else {
                throw VerificationError(.signature, "DSSE signature over the PAE of \(envelope.payloadType) does not verify with the signer key")
            }
        case .messageSignature(let message):
            let ok: Bool
            if case .bytes(let bytes)? = artifact {
                ok = key.verify(signature: message.signature, message: bytes, digest: key.kind == .ed25519 ? nil : .sha256)
            } else if let digest = artifact?.sha256 ?? message.digest {
                ok = key.verify(signature: message.signature, prehashedDigest: digest, algorithm: .sha256)
            } else {
                throw VerificationError(.artifact, "a message signature needs the artifact or its digest")
            }
            guard ok else { throw VerificationError(.signature, "message signature does not verify with the signer key over the artifact digest") }
        }
    }
}

/// The artifact a bundle is checked against: its bytes or its SHA-256 digest.
public enum Artifact: Sendable {
    case bytes([UInt8])
    case sha256Digest([UInt8])

    /// SHA-256 of the artifact.
    public var sha256: [UInt8] {
        switch self {
        case .bytes(let bytes): Digest.hash(.sha256, bytes)
        case .sha256Digest(let digest): digest
        }
    }
}

extension Artifact {
    /// The conformance CLI's `FILE_OR_DIGEST`: an existing file's bytes, else `sha256:<64 hex>`.
    public static func parse(fileOrDigest argument: String) throws -> Artifact {
        if FileManager.default.fileExists(atPath: argument) {
            do { return .bytes([UInt8](try Data(contentsOf: URL(fileURLWithPath: argument)))) } catch {
                throw VerificationError(.artifact, "cannot read artifact \(argument): \(systemErrorText(error))")
            }
        }
        guard argument.hasPrefix("sha256:"), let digest = TlogBodyCheck.hex(String(argument.dropFirst(7))), digest.count == 32 else {
            throw VerificationError(.artifact, "expected an existing file or sha256:<64 hex digits>, found \(argument.prefix(80))")
        }
        return .sha256Digest(digest)
    }
}
