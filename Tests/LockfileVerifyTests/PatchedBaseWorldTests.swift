import FixtureTesting
import Foundation
import LockfileFormats
import LockfileVerify
import Testing

/// Found by review: a patched pnpm entry was listed whole as not verifiable, so its base tarball,
/// which pnpm downloads from `resolution.tarball` with the lockfile's integrity before patching,
/// could come from any host. The base is verified as the registry version; only the patch is listed.
@Suite(.serialized) struct PatchedBaseWorldTests {
    @Test func aPatchedPackagesBaseFromAnotherHostFails() async throws {
        try await WorldSupport.with { support in
            let runtime = support.lockfiles.runtime
            let evil = "resolution: {integrity: sha512-\(String(repeating: "A", count: 86))==, tarball: 'http://127.0.0.1:9/evil/-/runtime-\(runtime.version).tgz'}"
            let patched = "patchedDependencies:\n  '@mochi/runtime@\(runtime.version)':\n    hash: 0a1b2c\n    path: patches/runtime.patch\n\n"
            let text = support.lockfiles.pnpmV9
                .replacingOccurrences(of: "resolution: {integrity: \(runtime.integrity)}", with: evil)
                .replacingOccurrences(of: "importers:", with: patched + "importers:")
            #expect(text.contains("evil/-/runtime") && text.contains("patchedDependencies"), "the edits took")
            let report = try await support.verify(text, file: "pnpm-lock.yaml", settings: try support.settings())
            #expect(report.exitCode == 1, "\(report.text())")
            let codes = report.failed.filter { $0.package.name == "@mochi/runtime" }.flatMap { $0.failures.map(\.code) }
            #expect(codes.contains(.integrityMismatch), "\(report.text())")

            // The registry's own bytes, patched: the base verifies, and the patch is listed.
            let honest = support.lockfiles.pnpmV9.replacingOccurrences(of: "importers:", with: patched + "importers:")
            let listed = try await support.verify(honest, file: "pnpm-lock.yaml", settings: try support.settings())
            #expect(listed.exitCode == 0, "\(listed.text())")
            #expect(listed.text().contains("@mochi/runtime (@mochi/runtime@\(runtime.version) (patch)): patched package"), "\(listed.text())")
            #expect(listed.text().contains("2 packages have verified registry signatures"), "\(listed.text())")
        }
    }
}
