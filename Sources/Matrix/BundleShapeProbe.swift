import Foundation

/// What a provenance bundle looks like on the wire: the media type's version, the first log entry's
/// kind and kind version, whether that entry has a SET, and whether the bundle carries an RFC 3161 timestamp.
struct ProvenanceShape: Equatable, CustomStringConvertible {
    let mediaVersion: String
    let kind: String
    let kindVersion: String
    let hasSET: Bool
    let hasTimestamp: Bool

    /// Whether this is the shape a cell's axes ask for: v1 logs a v0.2 bundle as `intoto` and a v0.3
    /// as `dsse`, each with a SET; Rekor v2 logs a v0.3 bundle as `hashedrekord` 0.0.2 without a SET,
    /// its time from an RFC 3161 timestamp.
    func matches(_ shape: BundleShape, _ log: LogVersion) -> Bool {
        switch (log, shape) {
        case (.v1, .v02Intoto): mediaVersion == "0.2" && kind == "intoto" && hasSET
        case (.v1, .v03DSSE): mediaVersion == "0.3" && kind == "dsse" && hasSET
        case (.v2, _): mediaVersion == "0.3" && kind == "hashedrekord" && kindVersion == "0.0.2" && !hasSET && hasTimestamp
        }
    }

    /// The wanted shape in words, for the error when it does not match.
    static func wanted(_ shape: BundleShape, _ log: LogVersion) -> String {
        switch (log, shape) {
        case (.v1, .v02Intoto): "bundle v0.2 with an intoto log entry and a SET"
        case (.v1, .v03DSSE): "bundle v0.3 with a dsse log entry and a SET"
        case (.v2, _): "bundle v0.3 with a hashedrekord 0.0.2 log entry, no SET and an RFC 3161 timestamp"
        }
    }

    var description: String {
        "bundle v\(mediaVersion) with a \(kind) \(kindVersion) log entry, \(hasSET ? "a" : "no") SET and "
            + (hasTimestamp ? "an RFC 3161 timestamp" : "no RFC 3161 timestamp")
    }
}

/// Reads the shape of the SLSA provenance bundle in a registry attestations document
/// (`{"attestations":[{predicateType, bundle}]}`), skipping the publish attestation.
enum BundleShapeProbe {
    static func provenanceShape(in document: Data) -> ProvenanceShape? {
        guard let root = try? JSONSerialization.jsonObject(with: document) as? [String: Any],
              let list = root["attestations"] as? [[String: Any]],
              let provenance = list.first(where: { ($0["predicateType"] as? String)?.contains("slsa.dev/provenance") == true }),
              let bundle = provenance["bundle"] as? [String: Any],
              let mediaType = bundle["mediaType"] as? String,
              let range = mediaType.range(of: "version=") ?? mediaType.range(of: "bundle.v") else { return nil }
        let material = bundle["verificationMaterial"] as? [String: Any]
        let entry = (material?["tlogEntries"] as? [[String: Any]])?.first
        let kindVersion = entry?["kindVersion"] as? [String: Any]
        let timestamps = (material?["timestampVerificationData"] as? [String: Any])?["rfc3161Timestamps"] as? [Any]
        return ProvenanceShape(mediaVersion: String(mediaType[range.upperBound...].prefix { $0 == "." || $0.isNumber }),
                               kind: kindVersion?["kind"] as? String ?? "none", kindVersion: kindVersion?["version"] as? String ?? "none",
                               hasSET: (entry?["inclusionPromise"] as? [String: Any])?["signedEntryTimestamp"] != nil,
                               hasTimestamp: !(timestamps ?? []).isEmpty)
    }
}
