import Foundation
public import SigstoreModels

/// Assembles the Sigstore bundle npm attaches to a publish, in the JSON shape of sigstore-js's
/// protobuf `Bundle.toJSON` (field order included): v0.3 (npm 11: `certificate`, Rekor `dsse`)
/// or v0.2 (npm 10: `x509CertificateChain` with the leaf only, Rekor `intoto`).
public enum BundleAssembler {
    /// The bundle format.
    public enum Version: String, Sendable, CaseIterable {
        case v02 = "0.2"
        case v03 = "0.3"

        public var mediaType: String {
            switch self {
            case .v02: "application/vnd.dev.sigstore.bundle+json;version=0.2"
            case .v03: "application/vnd.dev.sigstore.bundle.v0.3+json"
            }
        }
    }

    /// The bundle for a DSSE-signed statement with a Fulcio leaf, one Rekor entry and the RFC 3161
    /// timestamps (DER `TimeStampResp`s; Rekor v2 entries need one, having no SET).
    public static func bundle(version: Version, leafCertificate: [UInt8], entry: TransparencyLogEntry,
                              envelope: OrderedJSON, timestamps: [[UInt8]] = []) -> OrderedJSON {
        let rawLeaf = OrderedJSON.object([("rawBytes", .string(b64(leafCertificate)))])
        let key: (String, OrderedJSON) = switch version {
        case .v03: ("certificate", rawLeaf)
        case .v02: ("x509CertificateChain", .object([("certificates", .array([rawLeaf]))]))
        }
        return .object([
            ("mediaType", .string(version.mediaType)),
            ("verificationMaterial", .object([
                key,
                ("tlogEntries", .array([tlogEntry(entry)])),
                ("timestampVerificationData", .object([("rfc3161Timestamps", .array(timestamps.map {
                    .object([("signedTimestamp", .string(b64($0)))])
                }))])),
            ])),
            ("dsseEnvelope", envelope),
        ])
    }

    /// `TransparencyLogEntry.toJSON`: int64 as decimal strings, bytes as base64, absent parts omitted
    /// (Rekor v2's entries have no `integratedTime`, as protobuf JSON omits zero values).
    static func tlogEntry(_ entry: TransparencyLogEntry) -> OrderedJSON {
        var pairs: [(String, OrderedJSON)] = [
            ("logIndex", .string(String(entry.logIndex))),
            ("logId", .object([("keyId", .string(b64(entry.logID)))])),
            ("kindVersion", .object([("kind", .string(entry.kind)), ("version", .string(entry.version))])),
        ]
        if let time = entry.integratedTime { pairs.append(("integratedTime", .string(String(time)))) }
        if let set = entry.signedEntryTimestamp {
            pairs.append(("inclusionPromise", .object([("signedEntryTimestamp", .string(b64(set)))])))
        }
        if let proof = entry.inclusionProof {
            pairs.append(("inclusionProof", .object([
                ("logIndex", .string(String(proof.logIndex))),
                ("rootHash", .string(b64(proof.rootHash))),
                ("treeSize", .string(String(proof.treeSize))),
                ("hashes", .array(proof.hashes.map { .string(b64($0)) })),
            ] + (proof.checkpoint.map { [("checkpoint", .object([("envelope", .string($0))]))] } ?? []))))
        }
        pairs.append(("canonicalizedBody", .string(b64(entry.canonicalizedBody))))
        return .object(pairs)
    }

    private static func b64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
}
