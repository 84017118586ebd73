import FixtureTesting
import Foundation
import NpmVerify
import Testing
import OpenSSLCrypto

/// `registry.npmjs.org`'s keys come from trust embedded in the binary, not from whoever answers for it.
@Suite struct EmbeddedRegistryKeysTests {
    @Test func embeddedKeysAreNpmsRealKeysAndVerifyRealSignatures() throws {
        let keys = NpmRegistryKeys.keys
        #expect(keys.map(\.keyid) == ["SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA", "SHA256:DhQ8wR5APBvFHLF/+Tc+AYvPOdTpcIDqOhxsBHRwC7U"])
        let recorded = try RegistryKey.parseRegistryKeys(try RegistrySignatureTests.data("npm-real/keys/npm-v1-keys.corepack.json"))
        #expect(keys.map(\.publicKey.spkiDER) == recorded.map(\.publicKey.spkiDER))
        #expect(keys.map(\.expires) == recorded.map(\.expires))
        let verifier = RegistrySignatureVerifier(keys: keys)
        let published = ISO8601DateFormatter().date(from: "2024-06-01T00:00:00Z")
        for version in RegistrySignatureTests.signed where version.expectValid {
            try verifier.verify(name: version.name, version: version.version, integrity: version.integrity,
                                signatures: version.signatures, publishTime: published)
        }
    }

    @Test func thePublicRegistryIsMatchedByExactHostOnly() {
        #expect(NpmRegistryKeys.isPublicRegistry("https://registry.npmjs.org/"))
        #expect(NpmRegistryKeys.isPublicRegistry("https://REGISTRY.npmjs.org"))
        #expect(!NpmRegistryKeys.isPublicRegistry("https://registry.npmjs.org.evil.example/"))
        #expect(!NpmRegistryKeys.isPublicRegistry("http://127.0.0.1:4873/registry.npmjs.org/"))
    }

    @Test func pinnedKeysWinOverEverythingAndEmbeddedKeysServeOnlyTheNpmRegistry() throws {
        let open = RegistryKeyTrust()
        #expect(open.keys(forRegistry: "https://registry.npmjs.org/")?.count == 2)
        #expect(open.keys(forRegistry: "http://127.0.0.1:4873/") == nil, "another registry's keys are fetched from its /-/npm/v1/keys")
        let file = Scratch.path("pinned-keys.json")
        defer { Scratch.remove(file) }
        try RegistrySignatureTests.data("npm-real/keys/npm-v1-keys.npm-cli-test.json").write(to: file)
        let pinned = try RegistryKeyTrust.pinning(file: file.path)
        #expect(pinned.keys(forRegistry: "http://127.0.0.1:4873/")?.map(\.keyid) == ["SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA"])
        #expect(pinned.keys(forRegistry: "https://registry.npmjs.org/")?.count == 1)
        #expect(throws: NpmVerifyError.self) { try RegistryKeyTrust.pinning(file: file.path + ".missing") }
    }

    /// Required signatures rest only on current trust: pinned keys, or a TUF target. npm's keys
    /// embedded at build time are not (found by a re-attack: a scope routed to registry.npmjs.org
    /// took them, so blocking TUF would bring back a key revoked since), nor a registry's own word.
    @Test func onlyPinnedOrTUFKeysAreCurrentTrust() throws {
        let npmjs = "https://registry.npmjs.org/", other = "http://127.0.0.1:4873/"
        #expect(!RegistryKeyTrust().isCurrent(forRegistry: npmjs) && !RegistryKeyTrust().isCurrent(forRegistry: other))
        let tuf = RegistryKeyTrust(publicRegistry: NpmRegistryKeys.keys, source: "test TUF")
        #expect(tuf.isCurrent(forRegistry: npmjs) && !tuf.isCurrent(forRegistry: other))
        let world = RegistryKeyTrust(registry: other, keys: NpmRegistryKeys.keys, source: "test world")
        #expect(world.isCurrent(forRegistry: other) && !world.isCurrent(forRegistry: npmjs))
        #expect(RegistryKeyTrust(pinned: NpmRegistryKeys.keys, pinnedSource: "test").isCurrent(forRegistry: npmjs))
    }
}
