import FixtureTesting
import Foundation
import SafeJSON
import Testing

extension Phase12NpmPublish {
    /// `verify-install` installs `@mochi/example` into a copy of `ConsumerFixtures/basic` under the
    /// world's trusted root and the `policy-pass` policy, and reports who built every package: the
    /// Mochi repository, the emitted workflow, the tag, the commit.
    func consumerVerification() async throws {
        let (project, result) = try await GateWorld.shared.basicInstall()
        #expect(result.status == 0, "verify-install failed: \(result.stderr)")
        let report = try JSONValue.parse(Data(result.stdout.utf8))
        #expect(report["ok"]?.boolValue == true)
        let packages = try #require(report["report"]?["packages"]?.arrayValue, "no packages in \(result.stdout)")
        let example = try #require(packages.first { $0["name"]?.stringValue == "@mochi/example" })
        #expect(example["version"]?.stringValue == "1.1.0")
        let provenance = try #require(example["provenance"], "no provenance for @mochi/example in \(example)")
        #expect(provenance["status"]?.stringValue == "verified")
        let builtBy = try #require(provenance["builtBy"])
        #expect(builtBy["repository"]?.stringValue == "https://github.com/mochi-lang/mochi")
        #expect(builtBy["workflow"]?.stringValue == ".github/workflows/mochi-publish-npm.yml")
        #expect(builtBy["ref"]?.stringValue == "refs/tags/v1.1.0")
        #expect(builtBy["commit"]?.stringValue?.count == 40)
        #expect(builtBy["issuer"]?.stringValue == "https://token.actions.githubusercontent.com")
        for package in packages {
            #expect(package["provenance"]?["status"]?.stringValue == "verified", "\(package["name"] ?? "?") is not verified")
        }
        let installed = project.appendingPathComponent("node_modules/@mochi/example/package.json")
        #expect(FileManager.default.fileExists(atPath: installed.path))
        #expect(FileManager.default.fileExists(atPath: project.appendingPathComponent("package-lock.json").path))
    }
}
