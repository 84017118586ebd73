public import FoundationEssentials
public import OpenSSLCrypto
public import SigstoreModels
import CodedError

/// A trusted root with every key and certificate parsed once, ready for the checks.
public struct TrustedMaterial: Sendable {
    /// A log (Rekor or CT) with its parsed key.
    public struct Log: Sendable {
        public let instance: TransparencyLogInstance
        public let key: PublicKey
    }

    /// A certificate authority with its parsed chain (last = trust anchor).
    public struct Authority: Sendable {
        public let validFor: TimeRange
        public let chain: [Certificate]
        /// Whether the last certificate signs itself, checked once when the root is loaded
        /// (it was 17% of a bundle's verification when checked per bundle).
        public let anchorIsSelfSigned: Bool
        /// SHA-256 of each chain certificate's DER bytes (the keys of `VerifiedLinks`).
        let digests: [[UInt8]]
        /// Each chain certificate's key, parsed once: it counts the leaves it verifies toward
        /// being prepared (`PublicKey.countingUse`).
        let issuerKeys: [PublicKey?]

        init(validFor: TimeRange, chain: [Certificate]) {
            self.validFor = validFor
            self.chain = chain
            anchorIsSelfSigned = chain.last?.isSelfSigned ?? false
            digests = chain.map { Digest.hash(.sha256, $0.derBytes) }
            issuerKeys = chain.map { try? $0.publicKey() }
        }
    }

    public let tlogs: [Log]
    public let ctlogs: [Log]
    public let certificateAuthorities: [Authority]
    public let timestampAuthorities: [Authority]
    /// Certificate links verified so far, shared by every copy of this material.
    public private(set) var verifiedLinks = VerifiedLinks()

    /// This material with an empty link cache (for measuring one bundle's whole verification).
    public func withFreshLinkCache() -> TrustedMaterial {
        var copy = self
        copy.verifiedLinks = VerifiedLinks()
        return copy
    }

    /// Parses every key and certificate; anything unusable is a `.trustedRoot` error.
    public init(_ root: TrustedRoot) throws {
        tlogs = try root.tlogs.map(Self.log)
        ctlogs = try root.ctlogs.map(Self.log)
        certificateAuthorities = try root.certificateAuthorities.map(Self.authority)
        timestampAuthorities = try root.timestampAuthorities.map(Self.authority)
    }

    static func authority(_ authority: CertificateAuthority) throws -> Authority {
        let chain = try authority.certChain.map { der in
            do { return try Certificate(der: der) } catch {
                throw VerificationError(.trustedRoot, "authority \(authority.uri): \(error)")
            }
        }
        return Authority(validFor: authority.validFor, chain: chain)
    }

    /// Decodes and parses `trusted_root.json` bytes.
    public init(jsonData: Data) throws {
        do { try self.init(try TrustedRoot(jsonData: jsonData)) } catch let error as SigstoreModelError {
            throw VerificationError(.trustedRoot, "trusted root: \(error)")
        }
    }

    static func log(_ instance: TransparencyLogInstance) throws -> Log {
        do {
            let key = instance.keyDetails.hasPrefix("PKCS1_RSA")
                ? try PublicKey(rsaPKCS1DER: instance.publicKey)
                : try PublicKey(spkiDER: instance.publicKey)
            return Log(instance: instance, key: key)
        } catch {
            throw VerificationError(.trustedRoot, "log \(instance.baseURL) key (\(instance.keyDetails)): \(error)")
        }
    }

    /// Logs whose id equals `logID` and whose key validity contains `time` (nil time: id match only).
    static func logs(_ logs: [Log], id logID: [UInt8], at time: Date?) -> [Log] {
        logs.filter { log in log.instance.logID == logID && (time.map { log.instance.validFor.contains($0) } ?? true) }
    }
}
