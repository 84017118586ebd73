import OpenSSLCrypto
import Synchronization

/// Certificate links (a subject and its issuer) whose signature OpenSSL has verified in this
/// process, so that a run verifies each distinct link once: the intermediate→root link once per
/// trusted root, and each distinct leaf once per issuer.
///
/// A link is keyed by the SHA-256 of the subject's DER bytes and of the issuer's DER bytes: the
/// signature check depends on nothing else (the subject's signed bytes, algorithm and signature,
/// and the issuer's key). Only a link of a chain that fully verified is recorded; validity
/// times, key usage and every other chain check are still done on each verification.
public final class VerifiedLinks: Sendable {
    /// Most links kept; the set starts over when full (a long-lived verifier stays bounded).
    static let capacity = 1 << 16
    private let links = Mutex<Set<[UInt8]>>([])

    public init() {}

    static func key(subject: [UInt8], issuer: [UInt8]) -> [UInt8] { subject + issuer }

    /// Links among `certificates` (with their DER digests) that are already verified.
    func known(among certificates: [(certificate: Certificate, digest: [UInt8])]) -> [X509ChainVerifier.Link] {
        links.withLock { links in
            var known: [X509ChainVerifier.Link] = []
            for subject in certificates {
                for issuer in certificates where issuer.certificate !== subject.certificate
                    && links.contains(Self.key(subject: subject.digest, issuer: issuer.digest)) {
                    known.append(X509ChainVerifier.Link(subject: subject.certificate, issuer: issuer.certificate))
                }
            }
            return known
        }
    }

    /// Records every link of a verified path `[leaf, …, anchor]` (the anchor's self-link excluded).
    func record(path digests: [[UInt8]]) {
        guard digests.count >= 2 else { return }
        links.withLock { links in
            if links.count + digests.count > Self.capacity { links.removeAll(keepingCapacity: true) }
            for index in 0..<(digests.count - 1) { links.insert(Self.key(subject: digests[index], issuer: digests[index + 1])) }
        }
    }

    /// How many links are recorded (for tests).
    public var count: Int { links.withLock { $0.count } }
}
