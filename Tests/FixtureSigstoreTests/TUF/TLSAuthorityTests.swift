import FixtureTesting
import Foundation
import Testing
import X509

@testable import FixtureSigstore
@testable import FixtureTUF
import SwiftASN1

@Suite struct TLSAuthorityTests {
    @Test func leafCarriesTheHostnamesAndServerAuth() throws {
        let authority = try TLSAuthority.generate(now: Date())
        let identity = try authority.issueServerIdentity(for: ["tuf-repo-cdn.sigstore.dev", "fulcio.sigstore.dev"], now: Date())
        let san = try #require(try identity.certificate.extensions.subjectAlternativeNames)
        #expect(Array(san) == [.dnsName("tuf-repo-cdn.sigstore.dev"), .dnsName("fulcio.sigstore.dev")])
        let eku = try #require(try identity.certificate.extensions.extendedKeyUsage)
        #expect(eku.contains(.serverAuth))
        #expect(identity.certificate.issuer == authority.certificate.subject)
        #expect(authority.certificate.publicKey.isValidSignature(identity.certificate.signature, for: identity.certificate))
        #expect(identity.certificate.notValidAfter <= authority.certificate.notValidAfter)
    }

    @Test func caSurvivesSaveAndLoad() throws {
        let dir = try Scratch.folder("tuf-test")
        defer { Scratch.remove(dir) }
        let authority = try TLSAuthority.loadOrCreate(at: dir, now: Date())
        let again = try TLSAuthority.loadOrCreate(at: dir, now: Date())
        #expect(again.certificate == authority.certificate)
        let other = try TLSAuthority.generate(now: Date())
        #expect(throws: TUFError.self) { try TLSAuthority(certificatePEM: authority.certificatePEM, keyPEM: other.keyPEM) }
    }

    /// OpenSSL (what Node links) accepts the leaf for the host and purpose, and refuses it for another host.
    @Test func opensslVerifiesTheLeafForItsHostOnly() async throws {
        guard let openssl = ProcessRunner.which("openssl") else {
            Issue.record("openssl CLI not installed")
            return
        }
        let dir = try Scratch.folder("tuf-test")
        defer { Scratch.remove(dir) }
        let authority = try TLSAuthority.generate(now: Date())
        let ca = try authority.save(to: dir)
        let identity = try authority.issueServerIdentity(for: [TUFRepository.mirrorHost], now: Date())
        let leaf = dir.appendingPathComponent("leaf.pem")
        try Data((try identity.certificate.serializeAsPEM().pemString + "\n").utf8).write(to: leaf)
        let good = try await ProcessRunner.run(openssl, ["verify", "-CAfile", ca.path, "-purpose", "sslserver",
                                                         "-verify_hostname", TUFRepository.mirrorHost, leaf.path])
        #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
        let bad = try await ProcessRunner.run(openssl, ["verify", "-CAfile", ca.path, "-verify_hostname", "registry.npmjs.org", leaf.path])
        #expect(bad.status != 0)
    }
}
