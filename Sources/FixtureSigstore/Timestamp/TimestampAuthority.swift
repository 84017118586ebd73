import Crypto
public import Foundation
public import SafeJSON
import Synchronization
public import X509
import SwiftASN1

/// The world's RFC 3161 timestamp authority, as timestamp.sigstore.dev: it stamps the SHA-256
/// imprint of a `TimeStampReq` with the time of its clock and signs the token with its TSA
/// leaf (chain: leaf, self-signed root). HTTP is ``addRoutes(to:prefix:)``.
public final class TimestampAuthority: Sendable {
    /// What `trusted_root.json` records as the authority's URL (public: `https://timestamp.sigstore.dev/api/v1/timestamp`).
    public let uri: String
    public let root: Certificate
    public let leaf: Certificate
    public let material: Material
    let rootDER: [UInt8]
    let leafDER: [UInt8]
    private let key: P256.Signing.PrivateKey
    private let clock: @Sendable () -> Date
    /// Serial numbers already used (each token's is random; kept unique per authority).
    private let serials = Mutex<Set<[UInt8]>>([])

    public init(material: Material, uri: String = "https://timestamp.fixture.invalid/api/v1/timestamp",
                clock: @escaping @Sendable () -> Date = { Date() }) throws {
        root = try Certificate(pemEncoded: material.rootCertificatePEM)
        leaf = try Certificate(pemEncoded: material.leafCertificatePEM)
        key = try P256.Signing.PrivateKey(pemRepresentation: material.leafKeyPEM)
        guard Certificate.PublicKey(key.publicKey) == leaf.publicKey else {
            throw WorldError("the timestamp authority's key does not match its certificate \(leaf.subject)")
        }
        rootDER = try FulcioCA.der(root)
        leafDER = try FulcioCA.der(leaf)
        self.material = material
        self.uri = uri
        self.clock = clock
    }

    /// `[leaf, root]` DER, the trusted root's `certChain`.
    public var chainDER: [[UInt8]] { [leafDER, rootDER] }

    /// Answers a DER `TimeStampReq` with a DER `TimeStampResp` granting a token stamped now.
    public func timestamp(requestDER: [UInt8]) throws(TimestampError) -> [UInt8] {
        let request = try TimeStampRequest(der: requestDER)
        let time = Date(timeIntervalSince1970: clock().timeIntervalSince1970.rounded(.down))
        let serial = serials.withLock { used in
            var next = IdentityEncoding.serialNumberBytes()
            while used.contains(next) { next = IdentityEncoding.serialNumberBytes() }
            used.insert(next)
            return next
        }
        do {
            return try TimeStampTokenDER.response(.init(request: request, serialNumber: serial, time: time, certificate: leafDER, key: key))
        } catch {
            throw TimestampError(status: 500, "cannot sign the timestamp token: \(error)")
        }
    }

    /// This authority as a `timestampAuthorities[]` item of `trusted_root.json` (TrustedRoot v0.2).
    public func trustedRootEntry(validFrom: Date) -> JSONValue {
        [
            "subject": ["organization": .string(Self.organization), "commonName": "sigstore-tsa-selfsigned"],
            "uri": .string(uri),
            "certChain": ["certificates": .array(chainDER.map { ["rawBytes": .string(Data($0).base64EncodedString())] })],
            "validFor": ["start": .string(IdentityTime.rfc3339(validFrom))],
            "operator": "mochi-fixture",
        ]
    }

    /// The organization of the authority's certificate names.
    public static let organization = "mochi-fixture.sigstore.dev"
}
