import Crypto
import FixtureTesting
import Foundation
import SafeJSON
import Testing

@testable import FixtureSigstore
@testable import FixtureTUF

@Suite struct TUFRepositoryTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)  // 2026-09-21T14:13:20Z

    static func makeRepository(_ algorithm: TUFSigningKey.Algorithm = .ed25519) throws -> (TUFRepository, TUFRoleKeys) {
        let keys = TUFRoleKeys.generate(algorithm)
        let repository = try TUFRepository(
            targetFiles: ["trusted_root.json": TUFTestSupport.trustedRoot, "127.0.0.1:4873/keys.json": Data(#"{"keys":[]}"#.utf8)],
            keys: keys, now: now)
        return (repository, keys)
    }

    @Test(arguments: TUFSigningKey.Algorithm.allCases)
    func everyRoleIsSignedOverTheCanonicalFormOfTheParsedDocument(_ algorithm: TUFSigningKey.Algorithm) throws {
        let (repository, keys) = try Self.makeRepository(algorithm)
        let documents = ["root": repository.root, "timestamp": repository.timestamp,
                         "snapshot": repository.snapshot, "targets": repository.targets]
        for (role, bytes) in documents {
            let envelope = try JSONValue.parse(bytes)
            let signed = try #require(envelope["signed"])
            let signature = try #require(envelope["signatures"]?.arrayValue?.first)
            let key = try #require(keys.key(for: role))
            #expect(signature["keyid"]?.stringValue == key.keyID)
            let canonical = try TUFCanonicalJSON.encode(signed)
            #expect(key.isValidSignature(try #require(signature["sig"]?.stringValue), over: canonical), "\(role)")
            // A changed document no longer verifies.
            var tampered = try #require(signed.objectValue)
            tampered["version"] = 2
            #expect(!key.isValidSignature(signature["sig"]!.stringValue!, over: try TUFCanonicalJSON.encode(.object(tampered))))
            #expect(signed["expires"]?.stringValue == "2027-09-21T14:13:20Z")
            #expect(signed["_type"]?.stringValue == role)
        }
    }

    @Test func rootListsAllRolesAndIsNotConsistentSnapshot() throws {
        let (repository, keys) = try Self.makeRepository()
        let signed = try #require(JSONValue.parse(repository.root)["signed"])
        #expect(signed["consistent_snapshot"] == .bool(false))
        #expect(signed["version"] == 1)
        for role in TUFRoleKeys.roleNames {
            #expect(signed["roles"]?[role]?["keyids"] == [.string(keys.key(for: role)!.keyID)])
            #expect(signed["roles"]?[role]?["threshold"] == 1)
            #expect(signed["keys"]?[keys.key(for: role)!.keyID]?["keytype"] == "ed25519")
        }
    }

    @Test func metaAndTargetsHashTheServedBytes() throws {
        let (repository, _) = try Self.makeRepository()
        func sha256(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }
        let timestampMeta = try JSONValue.parse(repository.timestamp)["signed"]?["meta"]?["snapshot.json"]
        #expect(timestampMeta?["length"] == .number(Double(repository.snapshot.count)))
        #expect(timestampMeta?["hashes"]?["sha256"]?.stringValue == sha256(repository.snapshot))
        let snapshotMeta = try JSONValue.parse(repository.snapshot)["signed"]?["meta"]?["targets.json"]
        #expect(snapshotMeta?["hashes"]?["sha256"]?.stringValue == sha256(repository.targets))
        let target = try JSONValue.parse(repository.targets)["signed"]?["targets"]?["trusted_root.json"]
        #expect(target?["length"] == .number(Double(TUFTestSupport.trustedRoot.count)))
        #expect(target?["hashes"]?["sha256"]?.stringValue == sha256(TUFTestSupport.trustedRoot))
        #expect(repository.servedFiles["/targets/127.0.0.1:4873/keys.json"] == Data(#"{"keys":[]}"#.utf8))
        #expect(repository.servedFiles["/2.root.json"] == nil)
    }

    @Test func seedsNpmCacheUnderEncodedNames() throws {
        let (repository, _) = try Self.makeRepository()
        let cache = try Scratch.folder("tuf-test")
        defer { Scratch.remove(cache) }
        try repository.seedNpmCache(at: cache, includeMetadata: true, includeTargets: true)
        let dir = cache.appendingPathComponent("_tuf/tuf-repo-cdn.sigstore.dev")
        #expect(FileManager.default.contents(atPath: dir.appendingPathComponent("root.json").path) == repository.root)
        #expect(FileManager.default.contents(atPath: dir.appendingPathComponent("timestamp.json").path) == repository.timestamp)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("targets/trusted_root.json").path))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("targets/127.0.0.1%3A4873%2Fkeys.json").path))
        #expect(TUFRepository.encodeURIComponent("a b/é!*'()~") == "a%20b%2F%C3%A9!*'()~")
    }

    @Test func seedingReplacesAnEarlierRepositorysState() throws {
        let (earlier, _) = try Self.makeRepository()
        let (current, _) = try Self.makeRepository()
        let cache = try Scratch.folder("tuf-test")
        defer { Scratch.remove(cache) }
        try earlier.seedNpmCache(at: cache, includeMetadata: true, includeTargets: true)
        try current.seedNpmCache(at: cache)
        let dir = TUFRepository.npmTUFDirectory(cache: cache)
        #expect(FileManager.default.contents(atPath: dir.appendingPathComponent("root.json").path) == current.root)
        for stale in ["timestamp.json", "snapshot.json", "targets.json", "targets/trusted_root.json"] {
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(stale).path), "\(stale)")
        }
    }

    @Test(arguments: TUFSigningKey.Algorithm.allCases)
    func keysSurviveAPEMRoundTrip(_ algorithm: TUFSigningKey.Algorithm) throws {
        let keys = TUFRoleKeys.generate(algorithm)
        let dir = try Scratch.folder("tuf-test")
        defer { Scratch.remove(dir) }
        try keys.save(to: dir)
        let loaded = try TUFRoleKeys.loadOrCreate(at: dir.appendingPathComponent("."))
        for role in TUFRoleKeys.roleNames {
            #expect(loaded.key(for: role)!.keyID == keys.key(for: role)!.keyID)
            #expect(loaded.key(for: role)!.algorithm == algorithm)
        }
        #expect(throws: TUFError.self) { try TUFSigningKey(pem: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n") }
    }

    /// tuf-js's own model code (as bundled in npm) accepts the root as self-signed and the other roles as signed by it.
    @Test(arguments: TUFSigningKey.Algorithm.allCases)
    func npmsTufModelsVerifyTheMetadata(_ algorithm: TUFSigningKey.Algorithm) async throws {
        guard let node = ProcessRunner.which("node"), let npmRoot = TUFTestSupport.npmGlobalRoot() else {
            Issue.record("node/npm not installed")
            return
        }
        let (repository, _) = try Self.makeRepository(algorithm)
        let dir = try Scratch.folder("tuf-test")
        defer { Scratch.remove(dir) }
        for (name, bytes) in ["root": repository.root, "timestamp": repository.timestamp,
                              "snapshot": repository.snapshot, "targets": repository.targets] {
            try bytes.write(to: dir.appendingPathComponent("\(name).json"))
        }
        let script = """
        const { Metadata, MetadataKind } = require(process.argv[1] + '/npm/node_modules/@tufjs/models');
        const fs = require('fs'), path = require('path');
        const load = (n) => JSON.parse(fs.readFileSync(path.join(process.argv[2], n + '.json'), 'utf8'));
        const root = Metadata.fromJSON(MetadataKind.Root, load('root'));
        root.verifyDelegate('root', root);
        for (const [role, kind] of [['timestamp', MetadataKind.Timestamp], ['snapshot', MetadataKind.Snapshot], ['targets', MetadataKind.Targets]]) {
          root.verifyDelegate(role, Metadata.fromJSON(kind, load(role)));
        }
        const bad = load('timestamp'); bad.signed.version = 7;
        try { root.verifyDelegate('timestamp', Metadata.fromJSON(MetadataKind.Timestamp, bad)); console.log('TAMPERED-ACCEPTED'); }
        catch (e) { console.log('tampered refused'); }
        console.log('verified');
        """
        let result = try await ProcessRunner.run(node, ["-e", script, npmRoot, dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "tampered refused\nverified\n")
    }
}
