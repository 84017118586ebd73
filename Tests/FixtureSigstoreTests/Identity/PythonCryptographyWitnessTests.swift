import FixtureSigstore
import FixtureTesting
import Foundation
import SafeJSON
import Testing

/// A witness in the language sigstore-python is written in: pyca/cryptography checks each
/// signature of the chain and rebuilds the SCT input from `tbs_precertificate_bytes`, the way
/// sigstore-python verifies SCTs.
@Suite struct PythonCryptographyWitnessTests {
    static let script = #"""
    import base64, calendar, hashlib, struct, sys
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    leaf, inter, root = [x509.load_pem_x509_certificate(open(p, "rb").read()) for p in sys.argv[1:4]]
    log_der = base64.b64decode(sys.argv[4])
    log_key = serialization.load_der_public_key(log_der)
    leaf.verify_directly_issued_by(inter)
    inter.verify_directly_issued_by(root)
    root.verify_directly_issued_by(root)
    sct = list(leaf.extensions.get_extension_for_class(x509.PrecertificateSignedCertificateTimestamps).value)[0]
    assert sct.log_id == hashlib.sha256(log_der).digest(), "log id"
    spki = inter.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    tbs = leaf.tbs_precertificate_bytes
    ms = calendar.timegm(sct.timestamp.utctimetuple()) * 1000 + sct.timestamp.microsecond // 1000
    data = b"\x00\x00" + struct.pack(">Q", ms) + b"\x00\x01" + hashlib.sha256(spki).digest()
    data += len(tbs).to_bytes(3, "big") + tbs + b"\x00\x00"
    log_key.verify(sct.signature, data, ec.ECDSA(hashes.SHA256()))
    san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    assert san.critical, "SAN critical"
    print("OK", san.value.get_values_for_type(x509.UniformResourceIdentifier)[0])
    """#

    @Test func cryptographyVerifiesChainAndSCT() async throws {
        guard let python = ProcessRunner.which("python3") else { print("skipping: python3 is not installed"); return }
        let probe = try await ProcessRunner.run(python, ["-c", "import cryptography"])
        guard probe.status == 0 else { print("skipping: python3 has no cryptography module"); return }
        let world = try await IdentityFixture.make()
        let token = try await world.issuer.idToken(audience: "sigstore")
        let response = await world.fulcio.signingCertificate(request: try IdentityFixture.signingRequest(token: token))
        let pems = (response.body["signedCertificateEmbeddedSct"]?["chain"]?["certificates"]?.arrayValue ?? []).compactMap(\.stringValue)
        #expect(pems.count == 3)
        let folder = try Scratch.folder("fulcio-pyca")
        defer { Scratch.remove(folder) }
        for (name, pem) in zip(["leaf.pem", "intermediate.pem", "root.pem"], pems) {
            try Data(pem.utf8).write(to: folder.appendingPathComponent(name))
        }
        try Data(Self.script.utf8).write(to: folder.appendingPathComponent("witness.py"))
        let logKey = Data(world.ctLog.publicKeyDER).base64EncodedString()
        let good = try await ProcessRunner.run(python, ["witness.py", "leaf.pem", "intermediate.pem", "root.pem", logKey], in: folder)
        #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
        #expect(good.stdout.contains("OK \(world.job.buildSignerURI)"))
        // Another CT log's key must not verify the SCT.
        let other = Data(try CTLog().publicKeyDER).base64EncodedString()
        let bad = try await ProcessRunner.run(python, ["witness.py", "leaf.pem", "intermediate.pem", "root.pem", other], in: folder)
        #expect(bad.status != 0)
    }
}
