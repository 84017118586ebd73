import FixtureTesting
import Foundation
import NpmVerify
import Testing

/// Where `verify-install` takes Sigstore trust from: an explicit file as is, or public-good through
/// its own TUF client; never from an npm cache or an installed npm.
@Suite struct TrustRootResolverTests {
    static let arguments = ["verify-attestations", CLIPaths.vector("npm-real/npm-cli/valid-sigstore-attestations.json").path,
                            "--package", "sigstore@1.0.0", "--integrity",
                            "sha512-e+qfbn/zf1+rCza/BhIA//Awmf0v1pa5HQS8Xk8iXrn9bgytytVLqYD0P7NSqZ6IELTgq+tcDvLPkQjNHyWLNg=="]

    @Test func anExplicitFileIsUsedAsIsAndNamed() async throws {
        let result = try await CLIProcess.run(Self.arguments + ["--trusted-root", CLIPaths.publicGoodRoot.path, "--keys", CLIPaths.publicGoodKeys.path])
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("trusted root: file \(CLIPaths.publicGoodRoot.path)"), "\(result.stderr)")
    }

    /// An npm cache holding a trusted root and an `npm` on PATH are both ignored: with the TUF
    /// repository unreachable, public-good fails and says which repository it asked.
    @Test func publicGoodNeverFallsBackToNpmsCacheOrNpmItself() async throws {
        try await withScratch("no-npm-trust") { folder in
            let cache = folder.appendingPathComponent("npm-cache/_tuf/tuf-repo-cdn.sigstore.dev/targets")
            try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
            try Data(contentsOf: CLIPaths.publicGoodRoot).write(to: cache.appendingPathComponent("trusted_root.json"))
            let bin = folder.appendingPathComponent("bin")
            try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
            let marker = folder.appendingPathComponent("npm-was-run")
            try Data("#!/bin/sh\ntouch '\(marker.path)'\necho /nonexistent\n".utf8).write(to: bin.appendingPathComponent("npm"))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin.appendingPathComponent("npm").path)
            let result = try await CLIProcess.run(Self.arguments + ["--tuf-url", "http://127.0.0.1:1/"],
                                                  environment: ["npm_config_cache": folder.appendingPathComponent("npm-cache").path,
                                                                "PATH": bin.path + ":/usr/bin:/bin"])
            #expect(result.status == 2, "\(result.stdout) \(result.stderr)")
            #expect(result.stderr.contains("http://127.0.0.1:1"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: marker.path), "npm must never be run for trust")
        }
    }

    /// Found by review: with TUF unreachable, registry.npmjs.org's keys fall back to the ones
    /// embedded at build time, so blocking TUF would bring back a key revoked since. Required
    /// signatures never rest on them: exit 3, nothing installed.
    @Test func requiredSignaturesNeverRestOnEmbeddedKeysWhenTUFIsUnreachable() async throws {
        try await withScratch("no-tuf-keys") { folder in
            try Data(#"{"name":"app","version":"1.0.0","dependencies":{"left-pad":"1"}}"#.utf8).write(to: folder.appendingPathComponent("package.json"))
            let result = try await CLIProcess.run(["install", "--prefix", folder.path, "--registry", "https://registry.npmjs.org/",
                                                   "--tuf-url", "http://127.0.0.1:1/", "--require-signatures"])
            #expect(result.status == 3, "\(result.stdout) \(result.stderr)")
            #expect(result.stderr.contains("npm's keys embedded in verify-install are not used"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("node_modules").path))
        }
    }

    /// Found by review: addresses that differ by user info, query or fragment (or `//`) shared the
    /// public-good cache folder while fetching other files; such a `--tuf-url` is refused.
    @Test(arguments: ["https://u@tuf-repo-cdn.sigstore.dev", "https://tuf-repo-cdn.sigstore.dev?x", "https://tuf-repo-cdn.sigstore.dev#f",
                      "https://tuf-repo-cdn.sigstore.dev//", "file:///tmp/tuf"])
    func aTUFAddressThatCouldShareACacheIsRefused(url: String) async throws {
        let result = try await CLIProcess.run(["audit", "--tuf-url", url])
        #expect(result.status == 2, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("--tuf-url must be an http or https address"), "\(result.stderr)")
    }

    /// Found by a re-attack: a password holding `/` makes libcurl refuse the address, and its error
    /// quoted it whole, as it did a proxy's; no printed form may carry either.
    @Test func passwordsLibcurlQuotesAreNeverPrinted() async throws {
        try await withScratch("secrets") { folder in
            try Data(#"{"name":"app","version":"1.0.0","dependencies":{"left-pad":"1"}}"#.utf8).write(to: folder.appendingPathComponent("package.json"))
            try Data("registry=http://ruser:Sec/ret9@127.0.0.1:9/\nhttps-proxy=http://puser:Pass/word7@proxy.invalid:8080\n".utf8)
                .write(to: folder.appendingPathComponent(".npmrc"))
            for extra in [[], ["--json"]] {
                let result = try await CLIProcess.run(["resolve", "--prefix", folder.path] + extra)
                #expect(result.status != 0)
                let printed = result.stdout + result.stderr
                #expect(!printed.contains("Sec/ret9") && !printed.contains("Pass/word7"), "\(printed)")
                #expect(printed.contains("***"), "\(printed)")
            }
        }
    }
}
