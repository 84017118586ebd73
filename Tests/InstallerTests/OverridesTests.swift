import FixtureTesting
import Foundation
import Installer
import NpmModel
import SafeJSON
import Testing

/// package.json `overrides`: applied below the project like npm does, refused where not applied.
@Suite struct OverridesTests {
    /// lib@1.0.0 asks for vuln ^1.0.0; vuln 2.0.0 is the fixed version an override would force.
    static func publish(_ registry: TestRegistry) throws {
        try registry.publish("vuln", "1.0.0")
        try registry.publish("vuln", "2.0.0")
        try registry.publish("lib", "1.0.0", dependencies: ["vuln": "^1.0.0"])
    }

    static func project(_ dependencies: String, overrides: String) throws -> TestProject {
        try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":\#(dependencies),"overrides":\#(overrides)}"#)
    }

    @Test(arguments: [#"{"vuln":"2.0.0"}"#, #"{"vuln":{".":"2.0.0"}}"#])
    func anOverrideForcesTheVersionEverywhereBelowTheProject(overrides: String) async throws {
        try await TestRegistry.with { registry in
            try Self.publish(registry)
            let project = try Self.project(#"{"lib":"1.0.0"}"#, overrides: overrides)
            try await project.install(registry)
            #expect(project.installedVersion("node_modules/vuln") == "2.0.0")
            let lock = try project.lockfile()
            #expect(lock.packages["node_modules/lib"]?.dependencies["vuln"] == "^1.0.0")  // as lib declares it, as npm writes it
            // ci reinstalls the overridden tree: the lockfile's edge is judged with the override.
            try FileManager.default.removeItem(at: project.directory.appendingPathComponent("node_modules"))
            #expect(try await project.ci(registry).packages.contains { $0.path == "node_modules/vuln" && $0.version == "2.0.0" })
        }
    }

    @Test func ciRefusesAnOverriddenLockfileOnceTheOverrideIsGone() async throws {
        try await TestRegistry.with { registry in
            try Self.publish(registry)
            let project = try Self.project(#"{"lib":"1.0.0"}"#, overrides: #"{"vuln":"2.0.0"}"#)
            try await project.install(registry)
            try Data(#"{"name":"app","version":"1.0.0","dependencies":{"lib":"1.0.0"}}"#.utf8)
                .write(to: project.directory.appendingPathComponent("package.json"))
            let error = await #expect(throws: InstallError.self) { try await project.ci(registry) }
            #expect(error?.message.contains("depends on vuln@^1.0.0 (its lockfile entry), but node_modules/vuln is locked at 2.0.0") == true)
        }
    }

    /// arborist reads an empty override as "*", which leaves the declared spec alone.
    @Test(arguments: [#"{"vuln":""}"#, #"{"vuln":{".":""}}"#, #"{"vuln":"*"}"#])
    func anEmptyOrStarOverrideChangesNothing(overrides: String) async throws {
        try await TestRegistry.with { registry in
            try Self.publish(registry)
            let project = try Self.project(#"{"lib":"1.0.0"}"#, overrides: overrides)
            try await project.install(registry)
            #expect(project.installedVersion("node_modules/vuln") == "1.0.0")
        }
    }

    @Test func aReferenceTakesTheProjectsOwnSpec() async throws {
        try await TestRegistry.with { registry in
            try Self.publish(registry)
            let project = try Self.project(#"{"lib":"1.0.0","vuln":"2.0.0"}"#, overrides: #"{"vuln":"$vuln"}"#)
            try await project.install(registry)
            #expect(project.installedVersion("node_modules/vuln") == "2.0.0")
            #expect(project.installedVersion("node_modules/lib/node_modules/vuln") == nil)
        }
    }

    @Test(arguments: [
        (#"{"vuln":"^1.0.0"}"#, #"{"vuln":"2.0.0"}"#, "EOVERRIDE"),
        (#"{"lib":"1.0.0"}"#, #"{"vuln@^1":"2.0.0"}"#, "selects versions"),
        (#"{"lib":"1.0.0"}"#, #"{"lib":{"vuln":"2.0.0"}}"#, "nests rules under a package"),
        (#"{"lib":"1.0.0"}"#, #"{"vuln":"$missing"}"#, "Unable to resolve reference $missing"),
        (#"{"lib":"1.0.0"}"#, #"["vuln"]"#, "overrides must be an object"),
        (#"{"lib":"1.0.0"}"#, #"{"vuln":{".":5}}"#, #"gives "." 5, not a spec"#),
        (#"{"lib":"1.0.0"}"#, #"{"vuln":5}"#, "neither a spec nor"),
    ])
    func overridesNotAppliedAreRefusedAndNothingChanges(dependencies: String, overrides: String, reason: String) async throws {
        try await TestRegistry.with { registry in
            try Self.publish(registry)
            let project = try Self.project(dependencies, overrides: overrides)
            let before = try Data(contentsOf: project.directory.appendingPathComponent("package.json"))
            let error = await #expect(throws: InstallError.self) { try await project.install(registry) }
            #expect(error?.exitCode == 2)
            #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
            #expect(try Data(contentsOf: project.directory.appendingPathComponent("package.json")) == before)
            #expect(!FileManager.default.fileExists(atPath: project.directory.appendingPathComponent("node_modules").path))
        }
    }
}
