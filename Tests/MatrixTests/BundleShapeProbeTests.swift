import Foundation
@testable import Matrix
import Testing

/// The probe that proves a cell's bundle-shape axis reads the provenance bundle, not the publish attestation.
@Suite struct BundleShapeProbeTests {
    static func document(provenance: (String, String), publish: (String, String)) -> Data {
        func entry(_ type: String, _ shape: (String, String)) -> String {
            """
            {"predicateType":"\(type)","bundle":{"mediaType":"application/vnd.dev.sigstore.bundle\(shape.0)",
             "verificationMaterial":{"tlogEntries":[{"kindVersion":{"kind":"\(shape.1)","version":"0.0.2"}}]}}}
            """
        }
        return Data("""
        {"attestations":[\(entry("https://github.com/npm/attestation/tree/main/specs/publish/v0.1", publish)),
                         \(entry("https://slsa.dev/provenance/v1", provenance))]}
        """.utf8)
    }

    @Test func readsTheProvenanceBundleShape() {
        let v02 = BundleShapeProbe.provenanceShape(in: Self.document(provenance: ("+json;version=0.2", "intoto"), publish: ("+json;version=0.3", "dsse")))
        #expect(v02?.mediaVersion == "0.2" && v02?.kind == "intoto")
        let v03 = BundleShapeProbe.provenanceShape(in: Self.document(provenance: (".v0.3+json", "dsse"), publish: ("+json;version=0.2", "intoto")))
        #expect(v03?.mediaVersion == "0.3" && v03?.kind == "dsse")
        #expect(BundleShapeProbe.provenanceShape(in: Data("{\"attestations\":[]}".utf8)) == nil)
        #expect(BundleShapeProbe.provenanceShape(in: Data("not json".utf8)) == nil)
    }
}
