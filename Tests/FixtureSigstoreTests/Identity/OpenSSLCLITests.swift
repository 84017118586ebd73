import FixtureSigstore
import FixtureTesting
import Foundation
import SafeJSON
import Testing

/// Sanity through the openssl command line, a third implementation.
@Suite struct OpenSSLCLITests {
    @Test func opensslVerifiesTheChainAndShowsTheProfile() async throws {
        guard let openssl = ProcessRunner.which("openssl") else {
            print("skipping: openssl is not installed")
            return
        }
        let world = try await IdentityFixture.make()
        let token = try await world.issuer.idToken(audience: "sigstore")
        let response = await world.fulcio.signingCertificate(request: try IdentityFixture.signingRequest(token: token))
        let certificates = response.body["signedCertificateEmbeddedSct"]?["chain"]?["certificates"]?.arrayValue ?? []
        let pems = certificates.compactMap(\.stringValue)
        #expect(pems.count == 3)
        let folder = try Scratch.folder("fulcio-openssl")
        defer { Scratch.remove(folder) }
        for (name, pem) in zip(["leaf.pem", "intermediate.pem", "root.pem"], pems) {
            try Data(pem.utf8).write(to: folder.appendingPathComponent(name))
        }
        let at = String(Int(IdentityFixture.start.timeIntervalSince1970) + 60)
        let verify = try await ProcessRunner.run(openssl, ["verify", "-attime", at, "-CAfile", "root.pem", "-untrusted", "intermediate.pem",
                                                           "-x509_strict", "leaf.pem"], in: folder)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("leaf.pem: OK"))
        let late = String(Int(IdentityFixture.start.timeIntervalSince1970) + 700)
        let expired = try await ProcessRunner.run(openssl, ["verify", "-attime", late, "-CAfile", "root.pem", "-untrusted", "intermediate.pem",
                                                            "leaf.pem"], in: folder)
        #expect(expired.status != 0)
        let text = try await ProcessRunner.run(openssl, ["x509", "-in", "leaf.pem", "-noout", "-text"], in: folder)
        #expect(text.stdout.contains("Code Signing"))
        #expect(text.stdout.contains("CT Precertificate SCTs"))
        #expect(text.stdout.contains("URI:https://github.com/mochi-lang/example/.github/workflows/mochi-publish-npm.yml@refs/tags/v1.0.0"))
        #expect(text.stdout.contains("ecdsa-with-SHA384"))
    }
}
