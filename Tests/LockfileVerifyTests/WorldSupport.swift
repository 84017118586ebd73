import FixtureTesting
import CurlTransport
import Foundation
import Harness
import LockfileFormats
import LockfileVerify
import NpmVerify
import RegistryClient
import SafeJSON
import SigstoreVerify

/// A fixture world, the lockfiles built from its packuments, and a verifier that goes through a man in the middle.
struct WorldSupport {
    let world: FixtureWorld
    let lockfiles: WorldLockfiles
    /// The world's registry keys, pinned as `--registry-keys` pins them: the trust `requireSignatures` needs.
    let pinnedKeys: RegistryKeyTrust

    static let runtimePackument = "/@mochi%2fruntime"
    static let runtimeAttestations = "/-/npm/v1/attestations/@mochi%2fruntime@1.2.0"
    static let exampleAttestations = "/-/npm/v1/attestations/@mochi%2fexample@1.1.0"

    /// Runs `body` with a fresh world, always stopped afterwards.
    static func with(_ body: (WorldSupport) async throws -> Void) async throws {
        let world = try await FixtureWorld.start()
        do {
            let keys = try RegistryKey.parseRegistryKeys(try await get(world.registryURL + "-/npm/v1/keys"))
            let pinned = RegistryKeyTrust(registry: world.registryURL, keys: keys, source: "the test world's keys, pinned")
            try await body(WorldSupport(world: world, lockfiles: try await lockfiles(world), pinnedKeys: pinned))
        } catch {
            await world.stop()
            throw error
        }
        await world.stop()
    }

    /// The lockfile entries, from what the world's registry serves.
    static func lockfiles(_ world: FixtureWorld) async throws -> WorldLockfiles {
        func locked(_ escaped: String, _ name: String, _ version: String) async throws -> WorldLockfiles.Locked {
            let body = try await get(world.registryURL + escaped)
            let dist = try JSONValue.parse(body)["versions"]?[version]?["dist"]
            return WorldLockfiles.Locked(name: name, version: version, tarball: dist?["tarball"]?.stringValue ?? "",
                                         integrity: dist?["integrity"]?.stringValue ?? "")
        }
        return WorldLockfiles(example: try await locked("@mochi%2fexample", "@mochi/example", "1.1.0"),
                              runtime: try await locked("@mochi%2fruntime", "@mochi/runtime", "1.2.0"))
    }

    static func get(_ url: String) async throws -> Data {
        let curl = try CurlHTTPClient()
        defer { curl.shutdown() }
        return try await curl.send(HTTPRequest(url: url)).body
    }

    /// The world's trusted root, with `policy` and the flags.
    /// `pinKeys`: trust the world's registry keys as `--registry-keys` would; otherwise they are the registry's own word.
    func settings(policy: String? = nil, requireProvenance: Bool = false, requireSignatures: Bool = false,
                  pinKeys: Bool = true) throws -> VerifySettings {
        VerifySettings(trustedRoot: try TrustedMaterial(jsonData: try Data(contentsOf: world.trustedRootFile)),
                       registryKeys: pinKeys ? pinnedKeys : RegistryKeyTrust(), requireSignatures: requireSignatures, requireProvenance: requireProvenance,
                       policy: try policy.map { try ProvenancePolicy(json: Data($0.utf8), source: "test-policy.json") })
    }

    /// Reads `text` as `file` and verifies it against the world through `rewrite`.
    /// `configuration`: where names are looked up (default: the world's registry for everything).
    func verify(_ text: String, file: String, settings: VerifySettings, configuration: RegistryConfiguration? = nil,
                rewrite: @escaping @Sendable (String, Int, Data) -> (Int, Data) = { ($1, $2) }) async throws -> VerificationReport {
        let lockfile = try LockfileReader().read(Data(text.utf8), fileName: file)
        let curl = try CurlHTTPClient(configuration: TransportConfiguration(retry: .none))
        defer { curl.shutdown() }
        let client = RegistryClient(configuration: configuration ?? RegistryConfiguration(registry: world.registryURL),
                                    transport: TamperingTransport(inner: curl, rewrite: rewrite))
        return await LockfileVerifier(client: client, settings: settings).run(lockfile, path: file)
    }
}
