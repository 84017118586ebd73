import FixtureTesting
import Harness
import Foundation
import LockfileFormats
import LockfileVerify
import RegistryClient
import SafeJSON
import Testing

/// What a package manager may check the bytes against must be what the registry vouched for:
/// a lockfile hash the registry never gave, or one with `?options`, fails; and attestations with
/// no sha512 to bind never pass as provenance.
@Suite(.serialized) struct WorldIntegrityRuleTests {
    /// Formats whose integrity is one free-form string the package manager parses itself.
    /// (bun.lock with more than one token is refused when read: see `HostileLockfileTests`.)
    static let freeForm: Set<String> = ["npm v3", "npm v1", "shrinkwrap v2", "pnpm v9", "pnpm v6"]

    @Test func aHashTheRegistryNeverVouchedForFails() async throws {
        try await WorldSupport.with { support in
            var changed = support.lockfiles
            changed.runtime.integrity += " sha384-" + Data(repeating: 7, count: 48).base64EncodedString()
            for lockfile in changed.all where Self.freeForm.contains(lockfile.label) {
                let report = try await support.verify(lockfile.text, file: lockfile.file, settings: try support.settings())
                WorldVerificationTests.expectFailure(report, .integrityMismatch, lockfile.label)
                #expect(report.failed.first?.failures.first?.message.contains("sha384") == true, "\(lockfile.label)")
            }
        }
    }

    @Test func integrityOptionsAreRefused() async throws {
        try await WorldSupport.with { support in
            var changed = support.lockfiles
            changed.runtime.integrity += "?x"
            for lockfile in changed.all where !["yarn berry", "bun"].contains(lockfile.label) {
                let report = try await support.verify(lockfile.text, file: lockfile.file, settings: try support.settings())
                WorldVerificationTests.expectFailure(report, .integrityRefused, lockfile.label)
            }
        }
    }

    @Test func attestationsWithNoIntegrityToBindFailProvenance() async throws {
        try await WorldSupport.with { support in
            for lockfile in support.lockfiles.all {
                let report = try await support.verify(lockfile.text, file: lockfile.file, settings: try support.settings(requireProvenance: true)) { url, status, body in
                    guard url.hasSuffix(WorldSupport.runtimePackument) else { return (status, body) }
                    return (status, TamperingTransport.editDist(body, version: "1.2.0") { $0["integrity"] = nil })
                }
                WorldVerificationTests.expectFailure(report, .attestationInvalid, lockfile.label)
            }
        }
    }

    /// An npm alias installs the real package's bytes: it is verified as that package, and a
    /// tampered alias entry fails like any other.
    @Test func anAliasIsVerifiedAsTheRealPackage() async throws {
        try await WorldSupport.with { support in
            func aliased(_ lockfiles: WorldLockfiles) -> String {
                lockfiles.npmV3.replacingOccurrences(of: "\"node_modules/@mochi/runtime\": {", with: "\"node_modules/rt\": {\n      \"name\": \"@mochi/runtime\",")
                    .replacingOccurrences(of: "\"@mochi/example\": \"^1.1.0\"", with: "\"@mochi/example\": \"^1.1.0\", \"rt\": \"npm:@mochi/runtime@^1.2.0\"")
            }
            let report = try await support.verify(aliased(support.lockfiles), file: "package-lock.json", settings: try support.settings(requireProvenance: true))
            #expect(report.exitCode == 0, "\(report.text())")
            let alias = try #require(report.results.first { $0.package.installedAs == "rt" })
            #expect(alias.status == .verified && alias.package.id == "@mochi/runtime@1.2.0" && alias.attestations >= 1)
            #expect(alias.notes.contains { $0.contains("installed as rt") })
            var changed = support.lockfiles
            changed.runtime.integrity = "sha512-" + Data(repeating: 7, count: 64).base64EncodedString()
            let tampered = try await support.verify(aliased(changed), file: "package-lock.json", settings: try support.settings())
            WorldVerificationTests.expectFailure(tampered, .integrityMismatch, "aliased npm v3")
        }
    }

    /// A scope the npm configuration routes to another registry is verified there, and the report
    /// says so, and where that registry's keys came from, instead of naming only the default registry.
    @Test func packagesRoutedToAnotherRegistryAreNamedInTheReport() async throws {
        try await WorldSupport.with { support in
            let world = support.world.registryURL.hasSuffix("/") ? support.world.registryURL : support.world.registryURL + "/"
            let routed = RegistryConfiguration(registry: "http://127.0.0.1:9/", scopeRegistries: ["@mochi": world])
            let report = try await support.verify(support.lockfiles.npmV3, file: "package-lock.json", settings: try support.settings(),
                                                  configuration: routed)
            #expect(report.exitCode == 0, "\(report.text())")
            #expect(report.results.allSatisfy { $0.otherRegistry == world })
            #expect(report.text().contains("2 package(s) verified against \(world), with keys from the test world's keys, pinned"))
            #expect(report.json().contains("\"registry\" : \"\(world)\""))
        }
    }

    /// A registry that drops the SLSA provenance entry (keeping the publish attestation) and no longer
    /// advertises it, while an earlier version had provenance, is a downgrade, like a version with no
    /// attestations at all. (Still advertising it is a failure: `aResponseWithoutTheAdvertisedProvenanceFails`.)
    @Test func droppingTheProvenanceEntryIsADowngrade() async throws {
        try await WorldSupport.with { support in
            let strip: @Sendable (String, Int, Data) -> (Int, Data) = { url, status, body in
                if url.hasSuffix(WorldSupport.runtimePackument) {
                    return (status, TamperingTransport.editDist(body, version: "1.2.0") { dist in
                        guard case .object(var attestations)? = dist["attestations"] else { return }
                        attestations["provenance"] = nil
                        dist["attestations"] = .object(attestations)
                    })
                }
                guard url.hasSuffix(WorldSupport.runtimeAttestations), var root = (try? JSONValue.parse(body))?.objectValue,
                      let entries = root["attestations"]?.arrayValue else { return (status, body) }
                root["attestations"] = .array(entries.filter { $0["predicateType"]?.stringValue?.hasPrefix("https://slsa.dev/provenance/") != true })
                return (status, (try? JSONValue.object(root).serialized()) ?? body)
            }
            let lenient = try await support.verify(support.lockfiles.npmV3, file: "package-lock.json", settings: try support.settings(), rewrite: strip)
            let runtime = try #require(lenient.results.first { $0.package.name == "@mochi/runtime" })
            #expect(runtime.provenance == nil && runtime.attestations == 1, "\(lenient.text())")
            #expect(runtime.notes.contains { $0.contains("has attestations but no SLSA provenance") && $0.contains("@mochi/runtime@1.0.0 had provenance") },
                    "\(lenient.text())")
            let strict = try await support.verify(support.lockfiles.npmV3, file: "package-lock.json",
                                                  settings: try support.settings(requireProvenance: true), rewrite: strip)
            WorldVerificationTests.expectFailure(strict, .provenanceDowngrade, "npm v3")
        }
    }

    /// Found by review: the package manager downloads from the lockfile's `resolved`, so one on
    /// another host or scheme, or another package's tarball, is no download of what was judged; and npm
    /// compares digests as text, so a non-canonical spelling of the right digest fails npm.
    @Test func resolvedMustBeWhereTheRegistryServesTheVersionAndDigestsCanonical() async throws {
        try await WorldSupport.with { support in
            let tarball = support.lockfiles.runtime.tarball
            let elsewhere = tarball.replacingOccurrences(of: "127.0.0.1", with: "localhost")
            let example = support.lockfiles.example.tarball
            let path = String(tarball[tarball.range(of: "/@mochi")!.lowerBound...])
            let port = tarball.split(separator: ":")[2].prefix { $0.isNumber }
            let tabbed = tarball.replacingOccurrences(of: ":\(port)", with: ":\(port.prefix(2))\t\(port.dropFirst(2))")
            for resolved in [elsewhere, example, tarball.replacingOccurrences(of: "runtime-1.2.0", with: "runtime-1.0.0"),
                             "https://registry.yarnpkg.com" + path, tabbed.replacingOccurrences(of: "\t", with: "\\t"),
                             tarball.replacingOccurrences(of: "http://", with: "https://")] {
                var changed = support.lockfiles
                changed.runtime.tarball = resolved
                let report = try await support.verify(changed.npmV3, file: "package-lock.json", settings: try support.settings())
                WorldVerificationTests.expectFailure(report, .resolvedElsewhere, resolved)
            }
            // npm reads registry.npmjs.org as the configured registry (replace-registry-host); Yarn 1 fetches it as written.
            var npmjs = support.lockfiles
            npmjs.runtime.tarball = "https://registry.npmjs.org" + path
            let replaced = try await support.verify(npmjs.npmV3, file: "package-lock.json", settings: try support.settings())
            #expect(replaced.exitCode == 0, "\(replaced.text())")
            WorldVerificationTests.expectFailure(try await support.verify(npmjs.yarnV1, file: "yarn.lock", settings: try support.settings()),
                                                 .resolvedElsewhere, "yarn 1 and registry.npmjs.org")
            // A query npm would append to the default registry's path; a relative pnpm tarball, resolved
            // against the registry as pnpm does; a Bun URL, fetched as written.
            npmjs.runtime.tarball = "https://registry.npmjs.org" + path + "?x=1"
            WorldVerificationTests.expectFailure(try await support.verify(npmjs.npmV3, file: "package-lock.json", settings: try support.settings()),
                                                 .resolvedElsewhere, "npm and a query")
            let relative = support.lockfiles.pnpmV9.replacingOccurrences(of: "resolution: {integrity: \(support.lockfiles.runtime.integrity)}",
                                                                           with: "resolution: {integrity: \(support.lockfiles.runtime.integrity), tarball: '//attacker.example/evil.tgz'}")
            #expect(relative != support.lockfiles.pnpmV9)
            WorldVerificationTests.expectFailure(try await support.verify(relative, file: "pnpm-lock.yaml", settings: try support.settings()),
                                                 .resolvedElsewhere, "pnpm relative tarball")
            let bun = support.lockfiles.bun.replacingOccurrences(of: "\"@mochi/runtime@\(support.lockfiles.runtime.version)\", \"\"",
                                                                 with: "\"@mochi/runtime@\(support.lockfiles.runtime.version)\", \"https://attacker.example/-/runtime-1.2.0.tgz\"")
            #expect(bun != support.lockfiles.bun)
            WorldVerificationTests.expectFailure(try await support.verify(bun, file: "bun.lock", settings: try support.settings()),
                                                 .resolvedElsewhere, "bun tarball URL")
            var fragment = support.lockfiles
            fragment.runtime.tarball = tarball + "#" + String(repeating: "a", count: 40)
            let same = try await support.verify(fragment.yarnV1, file: "yarn.lock", settings: try support.settings())
            #expect(same.exitCode == 0, "Yarn's #sha1 fragment is not part of the location: \(same.text())")

            var odd = support.lockfiles
            let digest = odd.runtime.integrity
            // The last base64 character before "==" carries 4 unused bits in a 64-byte digest.
            let last = digest.index(digest.endIndex, offsetBy: -3)
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
            let value = alphabet.firstIndex(of: digest[last])!
            odd.runtime.integrity = String(digest[..<last]) + String(alphabet[value ^ 1]) + "=="
            let report = try await support.verify(odd.npmV3, file: "package-lock.json", settings: try support.settings())
            WorldVerificationTests.expectFailure(report, .integrityRefused, "non-canonical base64")
        }
    }

    /// `--fail-on-unverifiable`: an entry that is not a registry package fails the run.
    @Test func unverifiableEntriesFailWhenAsked() async throws {
        try await WorldSupport.with { support in
            let berry = try #require(support.lockfiles.all.first { $0.label == "yarn berry" })
            var report = try await support.verify(berry.text, file: berry.file, settings: try support.settings())
            #expect(report.exitCode == 0 && report.notVerifiable.map(\.package.name) == ["app"])
            report.unverifiableFails = true
            #expect(report.exitCode == 1)
            #expect(report.text().contains("FAILED: 1 entry is not verifiable and 2 Yarn Berry checksum(s) not compared and --fail-on-unverifiable is set"), "\(report.text())")
        }
    }

    /// Found by review: Yarn installs the zip its checksum names (from its own registry setting or
    /// a committed .yarn/cache), so a Berry lockfile with made-up checksums is bound to nothing we
    /// checked. Its registry packages still verify; `--fail-on-unverifiable` fails on the checksums.
    @Test func uncomparedBerryChecksumsFailWhenUnverifiableEntriesDo() async throws {
        try await WorldSupport.with { support in
            let berry = try #require(support.lockfiles.all.first { $0.label == "yarn berry" })
            let madeUp = berry.text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                line.contains("checksum:") ? "  checksum: 10c0/" + String(repeating: "0", count: 128) : String(line)
            }.joined(separator: "\n")
            #expect(madeUp != berry.text)
            var report = try await support.verify(madeUp, file: berry.file, settings: try support.settings())
            #expect(report.exitCode == 0 && report.uncomparedChecksums.count == 2, "\(report.text())")
            report.unverifiableFails = true
            #expect(report.exitCode == 1)
            #expect(report.text().contains("2 Yarn Berry checksum(s) not compared and --fail-on-unverifiable is set"), "\(report.text())")
        }
    }
}
