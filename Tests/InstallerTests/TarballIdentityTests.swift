import FixtureRegistry
import Foundation
import Installer
import NpmModel
import SafeJSON
import Tarball
import Testing

/// Found by review: a tarball whose package.json names another version or package was installed as
/// verified; npm then takes the installed package for what that file says, so `npm ls` showed, and
/// `npm audit signatures` would have verified, another version than the bytes we verified.
@Suite struct TarballIdentityTests {
    static func publish(_ registry: TestRegistry, _ name: String, packageJSON: JSONValue) throws {
        let manifest: JSONValue = ["name": .string(name), "version": "1.0.0", "license": "MIT"]
        try registry.storage.addVersion(manifest: manifest, tarball: try TarballPacker.pack(files: [
            PackFile(path: "package.json", contents: try packageJSON.serialized())]), tags: ["latest"])
    }

    @Test(arguments: [
        ("another version", ["name": "mm", "version": "9.9.9"], "version"),
        ("a dist-tag", ["name": "mm", "version": "latest"], "version"),
        ("a range", ["name": "mm", "version": "^1.0.0"], "version"),
        ("a number", ["name": "mm", "version": 1], "version"),
        ("no version", ["name": "mm"], "version"),
        ("another name", ["name": "other", "version": "1.0.0"], "name"),
        ("no name", ["version": "1.0.0"], "name"),
    ] as [(String, JSONValue, String)])
    func aTarballThatCallsItselfAnotherPackageIsRefused(_ label: String, _ packageJSON: JSONValue, _ field: String) async throws {
        try await TestRegistry.with { registry in
            try Self.publish(registry, "mm", packageJSON: packageJSON)
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0"}"#)
            let before = project.snapshot()
            let error = await #expect(throws: InstallError.self, "\(label)") { try await project.install(registry, "mm@1.0.0") }
            #expect(error?.exitCode == 1, "\(label)")
            #expect(error?.message.contains("mm@1.0.0: its tarball's package.json gives \(field)") == true, "\(label): \(String(describing: error))")
            #expect(project.snapshot() == before, "\(label): nothing is installed")
        }
    }

    /// Found by review: a package.json we cannot read but npm can (a lone surrogate here) carried
    /// a lying version past the check with only a warning.
    @Test func aPackageJSONThatCannotBeReadIsRefused() async throws {
        try await TestRegistry.with { registry in
            let manifest: JSONValue = ["name": "mm", "version": "1.0.0"]
            try registry.storage.addVersion(manifest: manifest, tarball: try TarballPacker.pack(files: [
                PackFile(path: "package.json", contents: Data(#"{"name":"mm","version":"9.9.9","description":"\ud800"}"#.utf8))]),
                tags: ["latest"])
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0"}"#)
            let before = project.snapshot()
            let error = await #expect(throws: InstallError.self) { try await project.install(registry, "mm@1.0.0") }
            #expect(error?.exitCode == 1)
            #expect(error?.message.contains("mm@1.0.0: its tarball's package.json cannot be read here") == true, "\(String(describing: error))")
            #expect(project.snapshot() == before)
        }
    }

    @Test func aVersionSpelledLooselyIsTheSameVersion() async throws {
        try await TestRegistry.with { registry in
            try Self.publish(registry, "mm", packageJSON: ["name": "mm", "version": "v1.0.0"])
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0"}"#)
            let report = try await project.install(registry, "mm@1.0.0")
            #expect(report.packages.map(\.version) == ["1.0.0"])
        }
    }
}
