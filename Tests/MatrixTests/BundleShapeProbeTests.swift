import Foundation
@testable import Matrix
import Testing

/// The probe that proves a cell's bundle-shape and log axes reads the provenance bundle, not the publish attestation.
@Suite struct BundleShapeProbeTests {
    /// `shape`: media type suffix, entry kind, kind version, whether the entry has a SET, whether the bundle has a timestamp.
    typealias Wire = (media: String, kind: String, version: String, set: Bool, timestamp: Bool)

    static func document(provenance: Wire, publish: Wire) -> Data {
        func entry(_ type: String, _ w: Wire) -> String {
            let promise = w.set ? #","inclusionPromise":{"signedEntryTimestamp":"MEUC"}"# : ""
            let stamps = w.timestamp ? #","timestampVerificationData":{"rfc3161Timestamps":[{"signedTimestamp":"MIIC"}]}"# : ""
            return """
            {"predicateType":"\(type)","bundle":{"mediaType":"application/vnd.dev.sigstore.bundle\(w.media)",
             "verificationMaterial":{"tlogEntries":[{"kindVersion":{"kind":"\(w.kind)","version":"\(w.version)"}\(promise)}]\(stamps)}}}
            """
        }
        return Data("""
        {"attestations":[\(entry("https://github.com/npm/attestation/tree/main/specs/publish/v0.1", publish)),
                         \(entry("https://slsa.dev/provenance/v1", provenance))]}
        """.utf8)
    }

    static let v1Publish: Wire = ("+json;version=0.3", "dsse", "0.0.1", true, false)

    @Test func readsTheProvenanceBundleShape() {
        let v02 = BundleShapeProbe.provenanceShape(in: Self.document(provenance: ("+json;version=0.2", "intoto", "0.0.2", true, false),
                                                                     publish: Self.v1Publish))
        #expect(v02?.mediaVersion == "0.2" && v02?.kind == "intoto" && v02?.hasSET == true)
        #expect(v02?.matches(.v02Intoto, .v1) == true && v02?.matches(.v03DSSE, .v1) == false)
        let v03 = BundleShapeProbe.provenanceShape(in: Self.document(provenance: (".v0.3+json", "dsse", "0.0.1", true, false),
                                                                     publish: ("+json;version=0.2", "intoto", "0.0.2", true, false)))
        #expect(v03?.mediaVersion == "0.3" && v03?.kind == "dsse")
        #expect(v03?.matches(.v03DSSE, .v1) == true && v03?.matches(.v03DSSE, .v2) == false)
        #expect(BundleShapeProbe.provenanceShape(in: Data("{\"attestations\":[]}".utf8)) == nil)
        #expect(BundleShapeProbe.provenanceShape(in: Data("not json".utf8)) == nil)
    }

    /// Rekor v2: a `hashedrekord` 0.0.2 entry without a SET, timed by an RFC 3161 timestamp; each part is required.
    @Test func recognisesARekorV2BundleAndNothingLessThanOne() throws {
        let v2: Wire = (".v0.3+json", "hashedrekord", "0.0.2", false, true)
        let shape = try #require(BundleShapeProbe.provenanceShape(in: Self.document(provenance: v2, publish: Self.v1Publish)))
        #expect(shape.matches(.v03DSSE, .v2) && !shape.matches(.v03DSSE, .v1))
        #expect(shape.description == "bundle v0.3 with a hashedrekord 0.0.2 log entry, no SET and an RFC 3161 timestamp")
        let lacking: [Wire] = [(".v0.3+json", "hashedrekord", "0.0.1", false, true), (".v0.3+json", "hashedrekord", "0.0.2", true, true),
                               (".v0.3+json", "hashedrekord", "0.0.2", false, false), ("+json;version=0.2", "hashedrekord", "0.0.2", false, true)]
        for wire in lacking {
            let other = BundleShapeProbe.provenanceShape(in: Self.document(provenance: wire, publish: Self.v1Publish))
            #expect(other?.matches(.v03DSSE, .v2) == false, "\(wire)")
        }
    }
}
