import FixtureTesting
import Foundation
import LockfileFormats
import LockfileVerify
import SafeJSON
import Testing
import Harness
import NpmVerify

/// Lockfiles of every format for the world's @mochi packages: all verify; each tampering fails
/// with exit 1, naming @mochi/runtime@1.2.0.
@Suite(.serialized) struct WorldVerificationTests {
    @Test func everyFormatVerifiesAgainstTheWorld() async throws {
        try await WorldSupport.with { support in
            for lockfile in support.lockfiles.all {
                let report = try await support.verify(lockfile.text, file: lockfile.file, settings: try support.settings(requireProvenance: true, requireSignatures: true))
                #expect(report.exitCode == 0, "\(lockfile.label): \(report.text())")
                let registry = report.results.filter { $0.package.kind == .registry }
                #expect(registry.map(\.package.id) == ["@mochi/example@1.1.0", "@mochi/runtime@1.2.0"], "\(lockfile.label)")
                #expect(registry.allSatisfy { $0.status == .verified && $0.signature == .verified && $0.attestations >= 1 && $0.provenance?.repository != nil })
                if lockfile.label == "yarn berry" {
                    #expect(registry.allSatisfy { $0.notes.contains { $0.contains("downloaded") && $0.contains("not compared") } }, "berry entries download the tarball")
                    #expect(report.text().contains("2 Yarn Berry checksum(s) not compared"), "\(report.text())")
                    #expect(report.notVerifiable.map(\.package.name) == ["app"])
                }
            }
        }
    }

    @Test func requiredSignaturesAreNotTakenOnTheRegistrysOwnWordForItsKeys() async throws {
        try await WorldSupport.with { support in
            let lockfile = support.lockfiles.all[0]
            let report = try await support.verify(lockfile.text, file: lockfile.file,
                                                  settings: try support.settings(requireSignatures: true, pinKeys: false))
            #expect(report.exitCode == 1, "\(report.text())")
            let registry = report.results.filter { $0.package.kind == .registry }
            #expect(registry.count == 2)
            for result in registry {
                // The publish attestation, signed with a registry key, cannot verify without trusted keys either.
                #expect(result.failures.first?.code == .registryKeysUntrusted, "\(result.failures)")
                #expect(result.failures.allSatisfy { [.registryKeysUntrusted, .attestationInvalid].contains($0.code) }, "\(result.failures)")
                #expect(result.failures.first?.message.contains(support.world.registryURL + "-/npm/v1/keys") == true)
            }
            // Without the requirement the same keys verify the signatures, as npm uses them.
            let relaxed = try await support.verify(lockfile.text, file: lockfile.file, settings: try support.settings(pinKeys: false))
            #expect(relaxed.exitCode == 0, "\(relaxed.text())")
            #expect(relaxed.results.filter { $0.package.kind == .registry }.allSatisfy { $0.signature == .verified })
        }
    }

    @Test func aChangedIntegrityFailsEveryFormat() async throws {
        try await WorldSupport.with { support in
            var changed = support.lockfiles
            changed.runtime.integrity = "sha512-" + Data(repeating: 7, count: 64).base64EncodedString()
            for lockfile in changed.all where lockfile.label != "yarn berry" {
                let report = try await support.verify(lockfile.text, file: lockfile.file, settings: try support.settings())
                Self.expectFailure(report, .integrityMismatch, lockfile.label)
            }
        }
    }

    @Test func aVersionWithItsSignatureStrippedInFlightFails() async throws {
        try await WorldSupport.with { support in
            for lockfile in support.lockfiles.all {
                let report = try await support.verify(lockfile.text, file: lockfile.file, settings: try support.settings()) { url, status, body in
                    guard url.hasSuffix(WorldSupport.runtimePackument) else { return (status, body) }
                    return (status, TamperingTransport.editDist(body, version: "1.2.0") { $0["signatures"] = nil })
                }
                Self.expectFailure(report, .signatureMissing, lockfile.label)
            }
        }
    }

    @Test func aSwappedAttestationFails() async throws {
        try await WorldSupport.with { support in
            let other = try await WorldSupport.get(support.world.registryURL + String(WorldSupport.exampleAttestations.dropFirst()))
            for lockfile in support.lockfiles.all {
                let report = try await support.verify(lockfile.text, file: lockfile.file, settings: try support.settings()) { url, status, body in
                    url.hasSuffix(WorldSupport.runtimeAttestations) ? (200, other) : (status, body)
                }
                Self.expectFailure(report, .attestationInvalid, lockfile.label)
            }
        }
    }

    /// A mirror that strips the provenance the packument advertises keeps a verifying publish
    /// attestation: refused as install refuses it, not reported as a package without provenance.
    @Test func aResponseWithoutTheAdvertisedProvenanceFails() async throws {
        try await WorldSupport.with { support in
            for lockfile in support.lockfiles.all {
                let report = try await support.verify(lockfile.text, file: lockfile.file, settings: try support.settings()) { url, status, body in
                    guard url.hasSuffix(WorldSupport.runtimeAttestations), case .object(var root)? = try? JSONValue.parse(body),
                          case .array(let entries)? = root["attestations"] else { return (status, body) }
                    root["attestations"] = .array(entries.filter { $0["predicateType"]?.stringValue?.hasPrefix("https://slsa.dev/provenance/") != true })
                    return (status, (try? JSONValue.object(root).serialized()) ?? body)
                }
                Self.expectFailure(report, .attestationInvalid, lockfile.label)
                #expect(report.failed.first?.failures.first?.message.contains("carries none") == true, "\(lockfile.label): \(report.text())")
            }
        }
    }

    @Test func anUnsatisfiablePolicyPinFails() async throws {
        try await WorldSupport.with { support in
            let policy = #"{"packages": {"@mochi/runtime": {"repository": "https://github.com/someone-else/runtime"}}}"#
            for lockfile in support.lockfiles.all {
                let report = try await support.verify(lockfile.text, file: lockfile.file, settings: try support.settings(policy: policy))
                Self.expectFailure(report, .policyViolation, lockfile.label)
                #expect(report.failed.first?.failures.first?.message.contains("someone-else") == true)
            }
        }
    }

    /// Exit 1, exactly one failing package, @mochi/runtime@1.2.0, for `code`.
    static func expectFailure(_ report: VerificationReport, _ code: FailureCode, _ label: String,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(report.exitCode == 1, "\(label): \(report.text())", sourceLocation: sourceLocation)
        #expect(report.failed.map(\.package.id) == ["@mochi/runtime@1.2.0"], "\(label)", sourceLocation: sourceLocation)
        #expect(report.failed.first?.failures.map(\.code).contains(code) == true, "\(label): \(report.text())", sourceLocation: sourceLocation)
        #expect(report.failed.first?.package.line ?? 0 > 0, "\(label): the entry's line is known", sourceLocation: sourceLocation)
    }
}
