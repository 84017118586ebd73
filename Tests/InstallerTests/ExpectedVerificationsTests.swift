import Crypto
import FixtureTesting
import Foundation
@testable import Installer
import NpmModel
import NpmVerify
import OpenSSLCrypto
import RegistryClient
import Testing

/// A large planned tree has the registry's keys prepared once in use: the signature gate tells
/// its most used keys how many verifications the planned packages bring.
@Suite struct ExpectedVerificationsTests {
    /// A gate whose registry keys are `pinned` (no network needed to know them).
    static func gate(_ pinned: [RegistryKey]) -> (SignatureGate, RegistryKeyStore) {
        let client = RegistryClient(configuration: RegistryConfiguration(registry: "http://127.0.0.1:9/"), transport: NoNetwork())
        let run = InstallRun("install", prefix: URL(fileURLWithPath: "/nonexistent"), registry: client.configuration.registry,
                             provenance: ProvenanceSettings(), pool: BlockingPool(width: 1), progress: { _ in })
        let keys = RegistryKeyStore(client: client, trust: RegistryKeyTrust(pinned: pinned, pinnedSource: "test"))
        return (SignatureGate(client: client, keys: keys, run: run), keys)
    }

    /// npm's registry key, parsed afresh for each test.
    static func npmKey() throws -> [RegistryKey] {
        try RegistryKey.parseRegistryKeys(Data(contentsOf: Repository.vector("npm-real/keys/npm-v1-keys.npm-cli-test.json")))
    }

    /// `times` verifications under `key` (of a signature that does not verify: each counts as a use all the same).
    static func use(_ key: PublicKey, _ times: Int) {
        for _ in 0..<times { #expect(!key.verify(signature: [0x30, 0x00], message: [1], digest: .sha256)) }
    }

    @Test func theStoreKnowsTheKeysItHasHandedOut() async throws {
        let (_, keys) = Self.gate(try Self.npmKey())
        #expect(keys.knownKeys.isEmpty)
        let handed = try #require(try await keys.keys(for: PackageName("lodash")))
        #expect(handed.count == 1)
        #expect(keys.knownKeys.map(\.keyid) == handed.map(\.keyid))
    }

    @Test func enoughPlannedPackagesHaveTheRegistrysKeyPreparedOnceInUse() async throws {
        let (gate, keys) = Self.gate(try Self.npmKey())
        let key = try #require(try await keys.keys(for: PackageName("lodash"))?.first?.publicKey)
        let threshold = try #require(key.preparationThreshold)
        gate.expectVerifications(packages: threshold)
        Self.use(key, 16)
        #expect(!key.isPrepared, "a key not in use yet is not told")
        // Without provenance, one registry signature per package.
        gate.expectVerifications(packages: threshold - 1)
        Self.use(key, 1)
        #expect(!key.isPrepared)
        gate.expectVerifications(packages: threshold)
        Self.use(key, 1)
        #expect(key.isPrepared)
    }

    /// A registry that lists many keys and signs a few times with each gets at most two of them
    /// prepared early: the most used.
    @Test func onlyTheMostUsedRegistryKeysAreTold() async throws {
        let pinned = try (0..<4).map { index in
            RegistryKey(keyid: "SHA256:test-\(index)", publicKey: try PublicKey(spkiDER: Array(P256.Signing.PrivateKey().publicKey.derRepresentation)),
                        expires: nil, usage: nil)
        }
        let (gate, keys) = Self.gate(pinned)
        _ = try await keys.keys(for: PackageName("lodash"))
        for (index, key) in pinned.enumerated() { Self.use(key.publicKey, 2 + index) }  // key 3 most used, then 2
        gate.expectVerifications(packages: 10_000)
        for key in pinned { Self.use(key.publicKey, 16) }
        #expect(pinned.map(\.publicKey.isPrepared) == [false, false, true, true])
    }
}
