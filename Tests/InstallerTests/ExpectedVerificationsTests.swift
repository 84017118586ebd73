import FixtureTesting
import Foundation
@testable import Installer
import NpmModel
import NpmVerify
import OpenSSLCrypto
import RegistryClient
import Testing

/// A large planned tree has the registry's keys prepared once in use: the signature gate tells
/// them how many verifications the planned packages bring.
@Suite struct ExpectedVerificationsTests {
    /// A registry's key pinned for the run (npm's, parsed afresh for each test): known to the store
    /// without any network.
    static func gate() throws -> (SignatureGate, RegistryKeyStore) {
        let pinned = try RegistryKey.parseRegistryKeys(Data(contentsOf: Repository.vector("npm-real/keys/npm-v1-keys.npm-cli-test.json")))
        let client = RegistryClient(configuration: RegistryConfiguration(registry: "http://127.0.0.1:9/"), transport: NoNetwork())
        let run = InstallRun("install", prefix: URL(fileURLWithPath: "/nonexistent"), registry: client.configuration.registry,
                             provenance: ProvenanceSettings(), pool: BlockingPool(width: 1), progress: { _ in })
        let keys = RegistryKeyStore(client: client, trust: RegistryKeyTrust(pinned: pinned, pinnedSource: "test"))
        return (SignatureGate(client: client, keys: keys, run: run), keys)
    }

    /// Whether `key` is prepared after 16 verifications (of a signature that does not verify:
    /// each one counts as a use all the same).
    static func preparedOnceInUse(_ key: PublicKey) -> Bool {
        for _ in 0..<16 { #expect(!key.verify(signature: [0x30, 0x00], message: [1], digest: .sha256)) }
        return key.isPrepared
    }

    @Test func theStoreKnowsTheKeysItHasHandedOut() async throws {
        let (_, keys) = try Self.gate()
        #expect(keys.knownKeys.isEmpty)
        let handed = try #require(try await keys.keys(for: PackageName("lodash")))
        #expect(handed.count == 1)
        #expect(keys.knownKeys.map(\.keyid).sorted() == handed.map(\.keyid).sorted())
    }

    @Test func enoughPlannedPackagesHaveTheRegistrysKeysPreparedOnceInUse() async throws {
        let (gate, keys) = try Self.gate()
        let key = try #require(try await keys.keys(for: PackageName("lodash"))?.first?.publicKey)
        let threshold = try #require(key.preparationThreshold)
        // Without provenance, one registry signature per package.
        gate.expectVerifications(packages: threshold - 1)
        #expect(!Self.preparedOnceInUse(key))
        gate.expectVerifications(packages: threshold)
        #expect(Self.preparedOnceInUse(key))
    }
}
