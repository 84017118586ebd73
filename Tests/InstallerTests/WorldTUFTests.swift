import FixtureTesting
import FixtureRegistry
import Foundation
import Harness
import Integrity
import OpenSSLCrypto
import NpmVerify
import Testing

/// The fixture world's trust goes through the same TUF client as public-good: its repository
/// serves `trusted_root.json` and the registry's keys as targets, and python-tuf, an independent
/// client, reads the same bytes from it.
@Suite struct WorldTUFTests {
    @Test func ourClientAndPythonTUFDownloadTheSameTargets() async throws {
        try await HostileMirrorTests.withWorld { world in
            try await withScratch("world-tuf") { folder in
                let keysTarget = try #require(RegistryKeysTUFTarget.name(forRegistry: world.registryURL))
                let ours = try await TUFTrust(repositoryURL: world.running.tufURL, initialRoot: world.running.tufRoot,
                                              cacheDirectory: folder.appendingPathComponent("ours"))
                    .fetch([TrustRootResolver.trustedRootTarget, keysTarget])
                #expect(ours.targets[TrustRootResolver.trustedRootTarget] == (try Data(contentsOf: world.trustedRootFile)))
                #expect(try RegistryKey.parseTUFKeys(ours.targets[keysTarget]!).map(\.usage) == ["npm:signatures", "npm:attestations"])

                guard await Requirement.venv.isMet() else { return }
                let metadata = folder.appendingPathComponent("python/metadata"), targets = folder.appendingPathComponent("python/targets")
                for directory in [metadata, targets] { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
                try world.running.tufRoot.write(to: metadata.appendingPathComponent("root.json"))
                let result = try await ProcessRunner.run(Repository.venv.appendingPathComponent("bin/python"), [
                    "-c", Self.pythonTUF, metadata.path, world.running.tufURL, targets.path, TrustRootResolver.trustedRootTarget, keysTarget,
                ])
                #expect(result.status == 0, "python-tuf: \(result.stderr)")
                let theirs = result.stdout.split(separator: "\n").map(String.init)
                let expected = [TrustRootResolver.trustedRootTarget, keysTarget].map { name in
                    "\(name) " + Digest.hash(.sha256, ours.targets[name]!).hexString
                }
                #expect(theirs == expected)
            }
        }
    }

    /// python-tuf's ngclient: refresh from `argv[2]`, then download each target and print its SHA-256.
    static let pythonTUF = """
        import hashlib, sys
        from tuf.ngclient import Updater
        metadata, url, targets = sys.argv[1], sys.argv[2], sys.argv[3]
        root = open(metadata + "/root.json", "rb").read()
        updater = Updater(metadata_dir=metadata, metadata_base_url=url + "/", target_dir=targets,
                          target_base_url=url + "/targets/", bootstrap=root)
        updater.refresh()
        for name in sys.argv[4:]:
            info = updater.get_targetinfo(name)
            if info is None:
                sys.exit("no target " + name)
            path = updater.download_target(info)
            print(name, hashlib.sha256(open(path, "rb").read()).hexdigest())
        """
}
