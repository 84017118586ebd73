import FixtureTesting
import Foundation
import NpmModel
import RegistryClient
import Testing

@Suite struct RegistryConfigurationTests {
    func projectWithNpmrc(_ project: String, home: String? = nil) throws -> (URL, URL) {
        let root = Scratch.path("npmrc")
        let projectDir = root.appendingPathComponent("app"), homeDir = root.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: projectDir, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: homeDir, withIntermediateDirectories: true)
        try Data(project.utf8).write(to: projectDir.appendingPathComponent(".npmrc"))
        if let home { try Data(home.utf8).write(to: homeDir.appendingPathComponent(".npmrc")) }
        return (projectDir, homeDir)
    }

    @Test func projectNpmrcBeatsUserNpmrcAndScopesPickTheirRegistry() throws {
        let (project, home) = try projectWithNpmrc(
            "registry=http://project.test/npm/\n@mochi:registry=http://mochi.test/\n; comment\n",
            home: "registry=http://user.test/\n//mochi.test/:_authToken=${MOCHI_TOKEN}\n")
        defer { try? FileManager.default.removeItem(at: project.deletingLastPathComponent()) }
        let config = try #require(try RegistryConfiguration.load(projectDirectory: project, homeDirectory: home,
                                                                 registryOverride: nil, fallback: nil, environment: ["MOCHI_TOKEN": "s3cret"]))
        #expect(config.packumentURL(for: try PackageName("left-pad")) == "http://project.test/npm/left-pad")
        #expect(config.packumentURL(for: try PackageName("@mochi/example")) == "http://mochi.test/@mochi%2fexample")
        #expect(config.token(for: "http://mochi.test/@mochi%2fexample") == "s3cret")
        #expect(config.token(for: "http://project.test/npm/left-pad") == nil)
    }

    @Test func commandLineRegistryOverridesNpmrc() throws {
        let (project, home) = try projectWithNpmrc("registry=http://project.test/")
        defer { try? FileManager.default.removeItem(at: project.deletingLastPathComponent()) }
        let config = try RegistryConfiguration.load(projectDirectory: project, homeDirectory: home,
                                                    registryOverride: "http://cli.test", fallback: nil, environment: [:])
        #expect(config?.registry == "http://cli.test/")
    }

    @Test func noRegistryAnywhereYieldsNilSoTheCallerCanUseItsDefault() throws {
        let (project, home) = try projectWithNpmrc("; nothing\n")
        defer { try? FileManager.default.removeItem(at: project.deletingLastPathComponent()) }
        #expect(try RegistryConfiguration.load(projectDirectory: project, homeDirectory: home,
                                               registryOverride: nil, fallback: nil, environment: [:]) == nil)
    }

    @Test func longestNerfDartWins() {
        let config = RegistryConfiguration(registry: "http://r.test/", authTokens: ["//r.test/": "short", "//r.test/npm/": "long"])
        #expect(config.token(for: "http://r.test/npm/x") == "long")
        #expect(config.token(for: "http://r.test/x") == "short")
        #expect(config.token(for: "http://other.test/x") == nil)
    }
}
