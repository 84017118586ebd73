import FixtureTesting
import Foundation
import LockfileFormats
import LockfileVerify
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
}
