import Foundation

/// Reads which bundle shape a registry attestations document (`{"attestations":[{predicateType, bundle}]}`)
/// holds for its SLSA provenance: the media type's version and the first log entry's kind.
enum BundleShapeProbe {
    static func provenanceShape(in document: Data) -> (mediaVersion: String, kind: String)? {
        guard let root = try? JSONSerialization.jsonObject(with: document) as? [String: Any],
              let list = root["attestations"] as? [[String: Any]],
              let provenance = list.first(where: { ($0["predicateType"] as? String)?.contains("slsa.dev/provenance") == true }),
              let bundle = provenance["bundle"] as? [String: Any],
              let mediaType = bundle["mediaType"] as? String,
              let range = mediaType.range(of: "version=") ?? mediaType.range(of: "bundle.v") else { return nil }
        let mediaVersion = String(mediaType[range.upperBound...].prefix { $0 == "." || $0.isNumber })
        let material = bundle["verificationMaterial"] as? [String: Any]
        let entry = (material?["tlogEntries"] as? [[String: Any]])?.first
        let kind = (entry?["kindVersion"] as? [String: Any])?["kind"] as? String ?? "none"
        return (mediaVersion, kind)
    }
}
