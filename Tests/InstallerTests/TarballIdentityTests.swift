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

    /// Found by review: a package.json strict JSON refused but npm reads (a lone surrogate) carried
    /// a lying version past the check; one nested past what is read is refused outright. And
    /// what npm reads must be read too: a Latin-1 author name, a number out of range.
    @Test(arguments: [
        ("a lone surrogate and a lying version", Data(#"{"name":"mm","version":"9.9.9","description":"\ud800"}"#.utf8), "gives version"),
        ("nesting past what is read", Data((#"{"name":"mm","version":"1.0.0","c":"# + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "}").utf8),
         "cannot be read here"),
        ("a Latin-1 author name", Data(#"{"name":"mm","version":"1.0.0","author":"J"#.utf8) + Data([0xFC]) + Data(#"rgen"}"#.utf8), ""),
        ("a number out of range and a lone surrogate", Data(#"{"name":"mm","version":"1.0.0","x":1e400,"y":"\ud800"}"#.utf8), ""),
    ] as [(String, Data, String)])
    func aPackageJSONIsReadAsNpmReadsIt(_ label: String, _ bytes: Data, _ refusal: String) async throws {
        try await TestRegistry.with { registry in
            let manifest: JSONValue = ["name": "mm", "version": "1.0.0"]
            try registry.storage.addVersion(manifest: manifest, tarball: try TarballPacker.pack(files: [
                PackFile(path: "package.json", contents: bytes)]), tags: ["latest"])
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0"}"#)
            if refusal.isEmpty {
                let report = try await project.install(registry, "mm@1.0.0")
                #expect(report.packages.map(\.version) == ["1.0.0"], "\(label)")
                return
            }
            let before = project.snapshot()
            let error = await #expect(throws: InstallError.self) { try await project.install(registry, "mm@1.0.0") }
            #expect(error?.exitCode == 1)
            #expect(error?.message.contains("mm@1.0.0: its tarball's package.json \(refusal)") == true, "\(label): \(String(describing: error))")
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

