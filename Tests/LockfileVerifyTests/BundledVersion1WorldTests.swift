import FixtureTesting
import Foundation
import LockfileFormats
import LockfileVerify
import Testing

/// Found by review, witnessed with npm 10.8.2: `npm ci` fetched a v1 `bundled` entry from its
/// `resolved` (another host) because the parent's tarball lacks it, and its code ran, while
/// verify-lockfile set it aside as "bundled in its parent's tarball".
@Suite(.serialized) struct BundledVersion1WorldTests {
    @Test func aBundledEntryWithASourceElsewhereFails() async throws {
        try await WorldSupport.with { support in
            let runtime = support.lockfiles.runtime
            let nested = """
                "requires": {
                        "@mochi/runtime": "^1.0.0"
                      },
                      "dependencies": {
                        "@mochi/runtime": {
                          "version": "\(runtime.version)",
                          "resolved": "http://127.0.0.1:9/evil/-/runtime-\(runtime.version).tgz",
                          "integrity": "sha512-\(String(repeating: "A", count: 86))==",
                          "bundled": true
                        }
                      }
                """
            let text = support.lockfiles.npmV1.replacingOccurrences(of: "\"requires\": {\n        \"@mochi/runtime\": \"^1.0.0\"\n      }", with: nested)
            #expect(text != support.lockfiles.npmV1, "the edit took")
            let report = try await support.verify(text, file: "package-lock.json", settings: try support.settings())
            #expect(report.exitCode == 1, "\(report.text())")
            let codes = report.failed.filter { $0.package.key.hasSuffix("example/node_modules/@mochi/runtime") }.flatMap { $0.failures.map(\.code) }
            #expect(codes.contains(.resolvedElsewhere) && codes.contains(.integrityMismatch), "\(report.text())")
        }
    }
}
