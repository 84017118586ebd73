import FixtureTesting
import Crypto
import CurlTransport
import Foundation
import Harness
import Installer
import NpmModel
import NpmVerify
import RegistryClient
import SafeJSON
import SigstoreVerify
import Testing

/// A hostile mirror in front of the fixture world: it rewrites packuments and keys in flight,
/// serves other bytes, and re-signs with a key of its own. Each attack must fail with exit 1,
/// naming the package, and nothing may be placed.
@Suite(.serialized) struct HostileMirrorTests {
    static let runtimePackument = "/@mochi%2fruntime"
    static let runtimeTarball = "runtime-1.2.0.tgz"

    /// Installs `basic` from `world` through `rewrite`, with the world's trusted root.
    func install(_ world: FixtureWorld, settings: ProvenanceSettings,
                 rewrite: @escaping @Sendable (String, Int, Data) -> (Int, Data)) async throws -> InstallReport {
        let project = try TestProject(copying: "basic")
        defer { try? FileManager.default.removeItem(at: project.directory.deletingLastPathComponent()) }
        let curl = try CurlHTTPClient(configuration: TransportConfiguration(retry: .none))
        defer { curl.shutdown() }
        let client = RegistryClient(configuration: RegistryConfiguration(registry: world.registryURL),
                                    transport: TamperingTransport(inner: curl, rewrite: rewrite))
        do {
            return try await Installer(client: client, cache: ContentCache(root: project.cache), provenance: settings)
                .install(prefix: project.directory, specs: [])
        } catch {
            #expect(!FileManager.default.fileExists(atPath: project.directory.appendingPathComponent("node_modules").path))
            throw error
        }
    }

    /// The world's trusted root; `--require-provenance` unless a policy is given or `require` is false.
    func settings(_ world: FixtureWorld, policy: ProvenancePolicy? = nil, require: Bool = true) throws -> ProvenanceSettings {
        ProvenanceSettings(trustedRoot: try TrustedMaterial(jsonData: try Data(contentsOf: world.trustedRootFile)),
                           requireProvenance: require && policy == nil, policy: policy)
    }

    @Test func mirrorWithTwoDigestsItsOwnKeyAndOtherBytesIsRefused() async throws {
        try await HostileMirrorTests.withWorld { world in
            let other = try await Self.get(world.registryURL + "@mochi/runtime/-/runtime-1.0.0.tgz")
            let otherIntegrity = "sha512-" + Data(SHA512.hash(data: other)).base64EncodedString()
            let mirrorKey = P256.Signing.PrivateKey()
            let keyid = "SHA256:mirror"
            let error = await #expect(throws: InstallError.self) {
                try await install(world, settings: try settings(world)) { url, status, body in
                    if url.hasSuffix("/-/npm/v1/keys") { return (status, Self.addKey(body, keyid: keyid, key: mirrorKey.publicKey)) }
                    if url.hasSuffix(Self.runtimeTarball) { return (200, other) }
                    guard url.hasSuffix(Self.runtimePackument) else { return (status, body) }
                    return (status, TamperingTransport.editDist(body, version: "1.2.0") { dist in
                        let integrity = "\(dist["integrity"]?.stringValue ?? "") \(otherIntegrity)"
                        dist["integrity"] = .string(integrity)
                        let signature = try! mirrorKey.signature(for: Data("@mochi/runtime@1.2.0:\(integrity)".utf8))
                        dist["signatures"] = [["keyid": .string(keyid), "sig": .string(signature.derRepresentation.base64EncodedString())]]
                    })
                }
            }
            #expect(error?.exitCode == 1)
            #expect(error?.message.contains("@mochi/runtime@1.2.0") == true)
            #expect(error?.message.contains("dist.integrity") == true)
        }
    }

    @Test func otherBytesUnderTheGenuineIntegrityAreRefusedAndNothingIsPlaced() async throws {
        try await HostileMirrorTests.withWorld { world in
            let other = try await Self.get(world.registryURL + "@mochi/runtime/-/runtime-1.0.0.tgz")
            let error = await #expect(throws: InstallError.self) {
                try await install(world, settings: try settings(world)) { url, status, body in
                    url.hasSuffix(Self.runtimeTarball) ? (200, other) : (status, body)
                }
            }
            #expect(error?.exitCode == 1)
            #expect(error?.message.contains("@mochi/runtime@1.2.0") == true)
            #expect(error?.message.contains("expected sha512-") == true)
        }
    }

    @Test func versionWithoutIntegrityFromARegistryWithKeysFailsLikeAMissingSignature() async throws {
        try await HostileMirrorTests.withWorld { world in
            let error = await #expect(throws: InstallError.self) {
                try await install(world, settings: try settings(world, require: false)) { url, status, body in
                    guard url.hasSuffix(Self.runtimePackument) else { return (status, body) }
                    return (status, TamperingTransport.editDist(body, version: "1.2.0") { dist in
                        dist["integrity"] = nil
                        dist["attestations"] = nil
                    })
                }
            }
            #expect(error?.exitCode == 1)
            #expect(error?.message.contains("@mochi/runtime@1.2.0 has no dist.integrity") == true)
        }
    }

    @Test func strippedAttestationsFailAPolicyThatPinsTheRepository() async throws {
        try await HostileMirrorTests.withWorld { world in
            let policy = try ProvenancePolicy(json: Data(#"{"packages":{"@mochi/*":{"repository":"https://github.com/mochi-lang/mochi"}}}"#.utf8))
            let error = await #expect(throws: InstallError.self) {
                try await install(world, settings: try settings(world, policy: policy)) { url, status, body in
                    guard url.hasSuffix(Self.runtimePackument) else { return (status, body) }
                    return (status, TamperingTransport.editDist(body, version: "1.2.0") { $0["attestations"] = nil })
                }
            }
            #expect(error?.exitCode == 1)
            #expect(error?.message.contains("@mochi/runtime@1.2.0") == true)
            #expect(error?.message.contains("has no provenance") == true)
        }
    }

    @Test func repositoryRecreatedUnderTheSameNameIsCaughtByTheIdPin() async throws {
        try await HostileMirrorTests.withWorld { world in
            // The world's publisher signs with repository id 1296269; a re-created repository gets a new id.
            let pinned = try ProvenancePolicy(json: Data(#"{"repository":"https://github.com/mochi-lang/mochi","repositoryId":"1296269"}"#.utf8))
            let report = try await install(world, settings: try settings(world, policy: pinned)) { ($1, $2) }
            #expect(report.verified.provenance == report.packages.count)
            let recreated = try ProvenancePolicy(json: Data(#"{"repository":"https://github.com/mochi-lang/mochi","repositoryId":"7777777"}"#.utf8))
            let error = await #expect(throws: InstallError.self) {
                try await install(world, settings: try settings(world, policy: recreated)) { ($1, $2) }
            }
            #expect(error?.exitCode == 1)
            #expect(error?.message.contains("repository id is 1296269, policy requires 7777777") == true)
        }
    }

    @Test func registryWithoutKeysFailsUnderRequireSignaturesAndIsReportedOtherwise() async throws {
        try await HostileMirrorTests.withWorld { world in
            // A registry without keys (and so without key-signed publish attestations).
            let noKeys: @Sendable (String, Int, Data) -> (Int, Data) = { url, status, body in
                if url.hasSuffix("/-/npm/v1/keys") { return (404, Data("{}".utf8)) }
                let unattested = TamperingTransport.editDist(body, version: "1.1.0") { $0["attestations"] = nil }
                return (status, TamperingTransport.editDist(unattested, version: "1.2.0") { $0["attestations"] = nil })
            }
            let report = try await install(world, settings: try settings(world, require: false), rewrite: noKeys)
            #expect(report.verified.registrySignatures == 0)
            #expect(report.verified.signaturesNotChecked.values.reduce(0, +) == report.packages.count)
            var strict = try settings(world, require: false)
            strict.requireSignatures = true
            let error = await #expect(throws: InstallError.self) { try await install(world, settings: strict, rewrite: noKeys) }
            #expect(error?.exitCode == 1)
            #expect(error?.message.contains("--require-signatures") == true)
        }
    }

    @Test func requiredSignaturesNeedKeysFromTrustNotTheRegistrysOwnWord() async throws {
        try await HostileMirrorTests.withWorld { world in
            let asServed: @Sendable (String, Int, Data) -> (Int, Data) = { ($1, $2) }
            var strict = try settings(world)
            strict.requireSignatures = true
            let error = await #expect(throws: InstallError.self) { try await install(world, settings: strict, rewrite: asServed) }
            #expect(error?.exitCode == 1)
            #expect(error?.message.contains("\(world.registryURL)-/npm/v1/keys") == true, "\(error?.message ?? "")")
            #expect(error?.message.contains("--registry-keys") == true)
            // The same keys, pinned as --registry-keys pins them, are trust: every signature must then verify.
            let keys = try RegistryKey.parseRegistryKeys(try await Self.get(world.registryURL + "-/npm/v1/keys"))
            strict.registryKeys = RegistryKeyTrust(pinned: keys, pinnedSource: "the world's keys")
            let report = try await install(world, settings: strict, rewrite: asServed)
            #expect(report.verified.registrySignatures == report.packages.count)
            #expect(report.verified.signatureKeys == ["pinned by --registry-keys the world's keys"])
        }
    }

    /// Found by review: a second install re-resolved the same locked version from the registry and
    /// took whatever integrity it now gave, so a registry without keys swapped the bytes and weakened
    /// their digest to SHA-1. npm installs a locked version with its locked integrity; so do we.
    @Test func aLockedVersionKeepsItsLockedIntegrityOnTheNextInstall() async throws {
        try await HostileMirrorTests.withWorld { world in
            let project = try TestProject(copying: "basic")
            defer { try? FileManager.default.removeItem(at: project.directory.deletingLastPathComponent()) }
            let other = try await Self.get(world.registryURL + "@mochi/runtime/-/runtime-1.0.0.tgz")
            let sha1 = "sha1-" + Data(Insecure.SHA1.hash(data: other)).base64EncodedString()
            let swapped: @Sendable (String, Int, Data) -> (Int, Data) = { url, status, body in
                if url.hasSuffix("/-/npm/v1/keys") { return (404, Data("{}".utf8)) }
                if url.hasSuffix(Self.runtimeTarball) { return (200, other) }
                // A registry without keys: no signatures, no (key-signed) attestations.
                let unattested = TamperingTransport.editDist(body, version: "1.1.0") { $0["attestations"] = nil }
                guard url.hasSuffix(Self.runtimePackument) else { return (status, unattested) }
                return (status, TamperingTransport.editDist(body, version: "1.2.0") { $0["integrity"] = .string(sha1); $0["attestations"] = nil; $0["signatures"] = nil })
            }
            for (round, rewrite) in [("first", { @Sendable (_: String, status: Int, body: Data) in (status, body) }), ("second", swapped)] {
                let curl = try CurlHTTPClient(configuration: TransportConfiguration(retry: .none))
                defer { curl.shutdown() }
                let client = RegistryClient(configuration: RegistryConfiguration(registry: world.registryURL),
                                            transport: TamperingTransport(inner: curl, rewrite: rewrite))
                let installer = Installer(client: client, cache: ContentCache(root: project.cache), provenance: try settings(world, require: false))
                if round == "first" { _ = try await installer.install(prefix: project.directory, specs: []); continue }
                try? FileManager.default.removeItem(at: project.cache)
                let error = await #expect(throws: InstallError.self) { try await installer.install(prefix: project.directory, specs: []) }
                #expect(error?.exitCode == 1)
                #expect(error?.message.contains("the project's lockfile") == true, "\(String(describing: error))")
            }
        }
    }

    /// Found by review: a locked integrity that does not parse was dropped in silence, so the bytes
    /// were held to nothing the lockfile said; the run now says so.
    @Test func aLockedIntegrityThatDoesNotParseIsNamedInAWarning() async throws {
        try await HostileMirrorTests.withWorld { world in
            let project = try TestProject(copying: "basic")
            defer { try? FileManager.default.removeItem(at: project.directory.deletingLastPathComponent()) }
            _ = try await RepositoryChangeTests.install(world, project, settings: try settings(world, require: false))
            let file = project.directory.appendingPathComponent("package-lock.json")
            var lock = try Lockfile(data: try Data(contentsOf: file), file: file.path)
            lock.packages["node_modules/@mochi/runtime"]?.integrity = "sha512-x"
            try lock.serialized().write(to: file)
            let report = try await RepositoryChangeTests.install(world, project, settings: try settings(world, require: false))
            #expect(report.warnings.contains { $0.contains("@mochi/runtime@1.2.0 at node_modules/@mochi/runtime: the project's lockfile records an integrity that does not parse") },
                    "\(report.warnings)")
        }
    }

    /// Found by review: downloaded bytes were cached once they matched the integrity they were
    /// fetched under, before the other claims were checked, so a lockfile's SHA-1 of other bytes put
    /// those bytes in the cache although the registry's sha512 refused them. Now only bytes every
    /// claim confirmed are cached.
    @Test func bytesThatAnotherClaimRefusesAreNotCached() async throws {
        try await HostileMirrorTests.withWorld { world in
            let project = try TestProject(copying: "basic")
            defer { try? FileManager.default.removeItem(at: project.directory.deletingLastPathComponent()) }
            let curl = try CurlHTTPClient(configuration: TransportConfiguration(retry: .none))
            defer { curl.shutdown() }
            let other = try await Self.get(world.registryURL + "@mochi/runtime/-/runtime-1.0.0.tgz")
            let passThrough: @Sendable (String, Int, Data) -> (Int, Data) = { _, status, body in (status, body) }
            let otherTarball: @Sendable (String, Int, Data) -> (Int, Data) = { url, status, body in
                url.hasSuffix(Self.runtimeTarball) ? (200, other) : (status, body)
            }
            for round in ["genuine", "other"] {
                let client = RegistryClient(configuration: RegistryConfiguration(registry: world.registryURL),
                                            transport: TamperingTransport(inner: curl, rewrite: round == "genuine" ? passThrough : otherTarball))
                let installer = Installer(client: client, cache: ContentCache(root: project.cache), provenance: try settings(world, require: false))
                if round == "genuine" {
                    _ = try await installer.install(prefix: project.directory, specs: [])
                    try FileManager.default.removeItem(at: project.cache)
                    let file = project.directory.appendingPathComponent("package-lock.json")
                    let sha1 = "sha1-" + Data(Insecure.SHA1.hash(data: other)).base64EncodedString()
                    let text = try String(contentsOf: file, encoding: .utf8)
                    let entry = try project.lockfile().packages["node_modules/@mochi/runtime"]
                    let locked = try #require(entry?.integrity)
                    try Data(text.replacingOccurrences(of: locked, with: sha1).utf8).write(to: file)
                    continue
                }
                let error = await #expect(throws: InstallError.self) { try await installer.ci(prefix: project.directory) }
                #expect(error?.message.contains("@mochi/runtime@1.2.0") == true, "\(String(describing: error))")
                let cached = FileManager.default.enumerator(atPath: project.cache.appendingPathComponent("content-v1").path)?
                    .compactMap { $0 as? String } ?? []
                #expect(!cached.contains { $0.hasPrefix("sha1/") }, "\(cached)")
            }
        }
    }

    /// Runs `body` with a fresh fixture world and always stops it (awaited, so nothing is left behind).
    static func withWorld(_ body: (FixtureWorld) async throws -> Void) async throws {
        let world = try await FixtureWorld.start()
        do { try await body(world) } catch {
            await world.stop()
            throw error
        }
        await world.stop()
    }

    static func addKey(_ body: Data, keyid: String, key: P256.Signing.PublicKey) -> Data {
        guard case .object(var root)? = try? JSONValue.parse(body), case .array(var keys)? = root["keys"] else { return body }
        keys.append(["keyid": .string(keyid), "keytype": "ecdsa-sha2-nistp256", "scheme": "ecdsa-sha2-nistp256",
                     "key": .string(key.derRepresentation.base64EncodedString()), "expires": .null])
        root["keys"] = .array(keys)
        return (try? JSONValue.object(root).serialized()) ?? body
    }

    static func get(_ url: String) async throws -> Data {
        let curl = try CurlHTTPClient()
        defer { curl.shutdown() }
        return try await curl.send(HTTPRequest(url: url)).body
    }
}
