import CodedError
import Foundation
import OpenSSLCrypto
import SafeJSON
import SigstoreModels
import SigstoreVerify
import Testing

/// A Rekor v2 entry must log what signed: for a certificate-signed bundle, the certificate. An
/// entry that logs only the leaf's bare key keeps the identity out of the log (a monitor watching
/// its identity would never see the signature), so it does not count, as for Rekor v1 bodies.
@Suite struct V2LoggedVerifierTests {
    @Test func aBareKeyLoggedForACertificateSignedBundleFailsTheBodyCheck() async throws {
        let bundle = try SigstoreBundle(jsonData: try await V2World.shared.provenanceBundle().serialized())
        let leaf = try Certificate(der: try #require(bundle.signingMaterial.leafCertificate))
        let key = try leaf.publicKey()
        let entry = try #require(bundle.tlogEntries.first)
        try TlogBodyCheck().verify(entry, content: bundle.content, leaf: leaf, key: key)

        let body = try JSONValue.parse(Data(entry.canonicalizedBody))
        let path = ["spec", "hashedRekordV002", "signature", "verifier"]
        let verifier = try #require(JSONEdit.get(body, path))
        #expect(verifier["x509Certificate"] != nil)
        let bareKey = JSONEdit.set(body, path, .object(["keyDetails": verifier["keyDetails"] ?? .null,
                                                        "publicKey": ["rawBytes": .string(Data(key.spkiDER).base64EncodedString())]]))
        let logged = TransparencyLogEntry(logIndex: entry.logIndex, logID: entry.logID, kind: entry.kind, version: entry.version,
                                          integratedTime: entry.integratedTime, signedEntryTimestamp: entry.signedEntryTimestamp,
                                          inclusionProof: entry.inclusionProof, canonicalizedBody: Array(try bareKey.serialized()))
        let error = #expect(throws: VerificationError.self) {
            try TlogBodyCheck().verify(logged, content: bundle.content, leaf: leaf, key: key)
        }
        #expect(error?.code == .tlogBody && error?.message.contains("bare public key") == true, "\(String(describing: error))")
    }
}
