import FixtureTesting
import Foundation
import LockfileFormats
import LockfileVerify
import SafeJSON
import Testing

/// npm ci links the bins a lockfile entry records, not the tarball's (found by review: a bin named
/// after another package's tool, pointed at any file of this one, ran it in that tool's place).
/// verify-lockfile fetches no tarball, so the lockfile's bins are held to the registry manifest's.
@Suite(.serialized) struct LockedBinsWorldTests {
    @Test func binsTheRegistryManifestDoesNotDeclareFail() async throws {
        try await WorldSupport.with { support in
            let example = support.lockfiles.example
            let anchor = "\"integrity\": \"\(example.integrity)\""
            let locked = support.lockfiles.npmV3.replacingOccurrences(of: anchor, with: anchor + ",\n      \"bin\": {\"tsc\": \"./index.js\"}")
            #expect(locked != support.lockfiles.npmV3, "the edit took")
            let report = try await support.verify(locked, file: "package-lock.json", settings: try support.settings())
            let failure = report.failed.first { $0.package.name == "@mochi/example" }?.failures.first { $0.code == .binsDiffer }
            #expect(report.exitCode == 1, "\(report.text())")
            #expect(failure?.message.contains("links bins tsc -> index.js that the registry's manifest does not declare (it declares none)") == true, "\(report.text())")

            // The same bins, declared by the registry's manifest in another spelling, verify.
            let declaring: @Sendable (String, Int, Data) -> (Int, Data) = { url, status, body in
                guard url.hasSuffix("/@mochi%2fexample") else { return (status, body) }
                return (status, TamperingTransport.editManifest(body, version: example.version) { $0["bin"] = ["tsc": "index.js", "mochi": "cli.js"] })
            }
            let agreeing = try await support.verify(locked, file: "package-lock.json", settings: try support.settings(), rewrite: declaring)
            #expect(agreeing.exitCode == 0, "\(agreeing.text())")
        }
    }

    /// Found by review: bun.lock's `binDir` makes Bun link every file of that folder as a bin.
    @Test func aBinFolderTheRegistryManifestDoesNotDeclareFails() async throws {
        try await WorldSupport.with { support in
            let locked = support.lockfiles.bun.replacingOccurrences(of: "{ \"dependencies\": { \"@mochi/runtime\": \"^1.0.0\" } }",
                                                                 with: "{ \"dependencies\": { \"@mochi/runtime\": \"^1.0.0\" }, \"binDir\": \".\" }")
            #expect(locked != support.lockfiles.bun, "the edit took")
            let report = try await support.verify(locked, file: "bun.lock", settings: try support.settings())
            let failure = report.failed.first { $0.package.name == "@mochi/example" }?.failures.first { $0.code == .binsDiffer }
            #expect(failure?.message.contains("links every file of . as a bin, where its registry manifest's directories.bin is absent") == true, "\(report.text())")
        }
    }

    /// Found by review: Berry writes no checksum for an entry it installs only on some platforms
    /// (`conditions: os=darwin & cpu=arm64`); such entries are downloaded and checked too, not failed.
    @Test func aBerryEntryWithoutAChecksumIsDownloadedAndChecked() async throws {
        try await WorldSupport.with { support in
            let berry = support.lockfiles.berry.replacingOccurrences(of: "  checksum: 10c0/\(String(repeating: "cd", count: 64))\n",
                                                                     with: "  conditions: os=darwin & cpu=arm64\n")
            #expect(berry != support.lockfiles.berry, "the edit took")
            let report = try await support.verify(berry, file: "yarn.lock", settings: try support.settings())
            #expect(report.exitCode == 0, "\(report.text())")
            let runtime = report.results.first { $0.package.name == "@mochi/runtime" }
            #expect(runtime?.notes.contains { $0.contains("records no checksum for it") } == true, "\(report.text())")
        }
    }
}
