import FixtureTesting
import Foundation
import OpenSSLCrypto
import Testing

/// X.509 parsing, chain-at-time verification and SCTs on a real Fulcio leaf.
@Suite struct CertificateTests {
    static let vectors = Repository.vectors

    /// Leaf from happy-path-v0.3 (production Fulcio) and the production intermediate + root.
    static func material() throws -> (leaf: Certificate, intermediate: Certificate, root: Certificate, ctKey: PublicKey, time: Date) {
        func json(_ path: String) throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: Data(contentsOf: vectors.appendingPathComponent(path))) as? [String: Any] ?? [:]
        }
        func b64(_ any: Any?) -> [UInt8] { [UInt8](Data(base64Encoded: any as? String ?? "") ?? Data()) }
        let bundle = try json("sigstore-conformance/bundle-verify/happy-path-v0.3/bundle.sigstore.json")
        let material = bundle["verificationMaterial"] as? [String: Any]
        let leaf = try Certificate(der: b64((material?["certificate"] as? [String: Any])?["rawBytes"]))
        let entry = (material?["tlogEntries"] as? [[String: Any]])?.first
        let time = Date(timeIntervalSince1970: Double(entry?["integratedTime"] as? String ?? "0") ?? 0)
        let root = try json("public-good/trusted_root.sigstore-python-embedded.json")
        let authorities = root["certificateAuthorities"] as? [[String: Any]] ?? []
        let chain = ((authorities.last?["certChain"] as? [String: Any])?["certificates"] as? [[String: Any]]) ?? []
        let ctlogs = root["ctlogs"] as? [[String: Any]] ?? []
        let ctKey = try PublicKey(spkiDER: b64((ctlogs.last?["publicKey"] as? [String: Any])?["rawBytes"]))
        return (leaf, try Certificate(der: b64(chain.first?["rawBytes"])), try Certificate(der: b64(chain.last?["rawBytes"])), ctKey, time)
    }

    @Test func parsesFulcioLeafProfile() throws {
        let (leaf, intermediate, root, _, time) = try Self.material()
        #expect(leaf.subject == "")
        #expect(leaf.issuer == intermediate.subject)
        #expect(leaf.isValid(at: time))
        #expect(leaf.notAfter.timeIntervalSince(leaf.notBefore) == 600)
        #expect(leaf.keyUsage?.contains(.digitalSignature) == true)
        #expect(leaf.extendedKeyUsage == [OID.codeSigning])
        #expect(!leaf.isCertificateAuthority && intermediate.isCertificateAuthority && root.isCertificateAuthority)
        #expect(root.isSelfSigned && !intermediate.isSelfSigned && !leaf.isSelfSigned)
        #expect(leaf.subjectAlternativeNames.contains { if case .uri(let u) = $0 { u.hasPrefix("https://github.com/") } else { false } })
        #expect(leaf.extensionValue(oid: "1.3.6.1.4.1.57264.1.1") == Array("https://token.actions.githubusercontent.com".utf8))
        #expect(leaf.extensions.last?.oid == OID.embeddedSCTList)
        #expect(leaf.isSigned(by: intermediate) && !leaf.isSigned(by: root))
    }

    @Test func chainVerifiesAtSigningTimeOnly() throws {
        let (leaf, intermediate, root, _, time) = try Self.material()
        let path = try X509ChainVerifier.verify(leaf: leaf, intermediates: [intermediate], roots: [root], at: time)
        #expect(path.map(\.derBytes) == [leaf.derBytes, intermediate.derBytes, root.derBytes])
        let later = time.addingTimeInterval(3600)
        let error = #expect(throws: OpenSSLError.self) { try X509ChainVerifier.verify(leaf: leaf, intermediates: [intermediate], roots: [root], at: later) }
        #expect(error?.description.contains("expired") == true)
        #expect(throws: OpenSSLError.self) { try X509ChainVerifier.verify(leaf: leaf, intermediates: [], roots: [root], at: time) }
    }

    @Test func embeddedSCTVerifiesAgainstTheCTLog() throws {
        let (leaf, intermediate, root, ctKey, _) = try Self.material()
        let scts = try SignedCertificateTimestamp.parseList(extensionValue: try #require(leaf.extensionValue(oid: OID.embeddedSCTList)))
        #expect(scts.count == 1)
        let sct = try #require(scts.first)
        #expect(sct.logID == Digest.hash(.sha256, ctKey.spkiDER))
        #expect(try sct.verify(certificate: leaf, issuer: intermediate, logKey: ctKey))
        #expect(try !sct.verify(certificate: leaf, issuer: root, logKey: ctKey))
        #expect(try leaf.precertificateTBS().count < leaf.tbsDER().count)
    }

    /// A leaf's key verifies in the library context the leaf was decoded in, with the verdicts of the
    /// same key decoded from its SPKI in the default context: the artifact's signature, over the
    /// artifact and over its digest, and not over another artifact or digest.
    @Test func aLeafKeyVerifiesInItsOwnContextAsTheDefaultContextDoes() throws {
        let (leaf, _, _, _, _) = try Self.material()
        let bundle = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.vectors.appendingPathComponent(
            "sigstore-conformance/bundle-verify/happy-path-v0.3/bundle.sigstore.json"))) as? [String: Any]
        let message = try #require(bundle?["messageSignature"] as? [String: Any])
        let signature = [UInt8](try #require(Data(base64Encoded: message["signature"] as? String ?? "")))
        let artifact = [UInt8](try Data(contentsOf: Self.vectors.appendingPathComponent("sigstore-conformance/bundle-verify/a.txt")))
        let digest = Digest.hash(.sha256, artifact)
        let own = try leaf.publicKey(), plain = try PublicKey(spkiDER: try leaf.subjectPublicKeyInfoDER())
        for key in [own, plain] {
            for _ in 0..<2 {  // a second verification with the same key too
                #expect(key.verify(signature: signature, message: artifact, digest: .sha256))
                #expect(!key.verify(signature: signature, message: artifact + [0x0A], digest: .sha256))
                #expect(key.verify(signature: signature, prehashedDigest: digest, algorithm: .sha256))
                #expect(!key.verify(signature: signature, prehashedDigest: Digest.hash(.sha256, digest), algorithm: .sha256))
            }
        }
    }

    @Test func malformedInputsThrow() throws {
        #expect(throws: OpenSSLError.self) { try Certificate(der: [0x30, 0x82, 0x01]) }
        #expect(throws: OpenSSLError.self) { try Certificate.parsePEM("no certificate here") }
        #expect(throws: SCTParseError.self) { try SignedCertificateTimestamp.parseList(extensionValue: [0x04, 0x05, 0x00, 0x10]) }
        #expect(throws: SCTParseError.self) { try SignedCertificateTimestamp.parseList(extensionValue: []) }
        let (leaf, _, _, _, _) = try Self.material()
        let pem = "-----BEGIN CERTIFICATE-----\n" + Data(leaf.derBytes).base64EncodedString(options: .lineLength64Characters) + "\n-----END CERTIFICATE-----\n"
        #expect(try Certificate.parsePEM(pem + pem).count == 2)
    }
}
