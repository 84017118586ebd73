import FixtureTesting
import Foundation
import NpmModel
import RegistryClient
import Testing
#if canImport(Glibc)
import Glibc
#endif

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

    /// Found by review: npm takes settings from `npm_config_*` over both `.npmrc` files; a scope
    /// registry set there was ignored and the audit asked another registry than npm had used.
    @Test func theEnvironmentBeatsBothNpmrcFilesAsInNpm() throws {
        let (project, home) = try projectWithNpmrc("registry=http://project.test/\n@mochi:registry=http://mochi.test/\n")
        defer { try? FileManager.default.removeItem(at: project.deletingLastPathComponent()) }
        let other = project.deletingLastPathComponent().appendingPathComponent("other.npmrc")
        try Data("//env.test/:_authToken=t0ken\n".utf8).write(to: other)
        let environment = ["npm_config_@mochi:registry": "http://env.test/", "NPM_CONFIG_USERCONFIG": other.path, "npm_config_cache": "/tmp/x"]
        let config = try #require(try RegistryConfiguration.load(projectDirectory: project, homeDirectory: home,
                                                                 registryOverride: nil, fallback: nil, environment: environment))
        #expect(config.packumentURL(for: try PackageName("@mochi/example")) == "http://env.test/@mochi%2fexample")
        #expect(config.packumentURL(for: try PackageName("left-pad")) == "http://project.test/left-pad")
        #expect(config.token(for: "http://env.test/@mochi%2fexample") == "t0ken", "the user config the environment names is read")
        let twice = ["npm_config_registry": "http://a.test/", "NPM_CONFIG_REGISTRY": "http://b.test/"]
        #expect(throws: NpmModelError.self) {
            try RegistryConfiguration.load(projectDirectory: project, homeDirectory: home, registryOverride: nil, fallback: nil, environment: twice)
        }
    }

    /// Found by a re-attack: npm also reads the global npmrc (`globalconfig`, else
    /// `$PREFIX/etc/npmrc`), below the user's, and expands `~/` in path settings.
    @Test func theGlobalNpmrcIsReadBelowTheUsersAndPathsExpandTheHomeFolder() throws {
        let (project, home) = try projectWithNpmrc("; project\n", home: "@mochi:registry=http://user.test/\n")
        defer { try? FileManager.default.removeItem(at: project.deletingLastPathComponent()) }
        let prefix = project.deletingLastPathComponent().appendingPathComponent("prefix")
        try FileManager.default.createDirectory(at: prefix.appendingPathComponent("etc"), withIntermediateDirectories: true)
        try Data("registry=http://global.test/\n@mochi:registry=http://global-mochi.test/\n".utf8).write(to: prefix.appendingPathComponent("etc/npmrc"))
        let config = try #require(try RegistryConfiguration.load(projectDirectory: project, homeDirectory: home, registryOverride: nil,
                                                                 fallback: nil, environment: ["PREFIX": prefix.path, "PATH": ""]))
        #expect(config.registry == "http://global.test/")
        #expect(config.packumentURL(for: try PackageName("@mochi/example")) == "http://user.test/@mochi%2fexample", "the user's file wins")
        try Data("@other:registry=http://alt.test/\n".utf8).write(to: home.appendingPathComponent("alt.npmrc"))
        let named = try #require(try RegistryConfiguration.load(projectDirectory: project, homeDirectory: home, registryOverride: nil, fallback: nil,
                                                                environment: ["npm_config_userconfig": "~/alt.npmrc", "npm_config_globalconfig": prefix.appendingPathComponent("etc/npmrc").path, "PATH": ""]))
        #expect(named.packumentURL(for: try PackageName("@other/x")) == "http://alt.test/@other%2fx")
        #expect(named.packumentURL(for: try PackageName("@mochi/example")) == "http://global-mochi.test/@mochi%2fexample")
    }

    /// Found by review: npm sends a package whose scope has no registry to the `scope` setting's.
    @Test func theScopeSettingRoutesPackagesWithoutARegistryOfTheirOwn() throws {
        let (project, home) = try projectWithNpmrc("registry=http://public.test/\nscope=corp\n@corp:registry=http://internal.test/\n@other:registry=http://other.test/\n@empty:registry=\n")
        defer { try? FileManager.default.removeItem(at: project.deletingLastPathComponent()) }
        let config = try #require(try RegistryConfiguration.load(projectDirectory: project, homeDirectory: home, registryOverride: nil,
                                                                 fallback: nil, environment: ["PATH": "", "npm_config_registry": ""]))
        #expect(config.packumentURL(for: try PackageName("zzz")) == "http://internal.test/zzz")
        #expect(config.packumentURL(for: try PackageName("@other/x")) == "http://other.test/@other%2fx")
        #expect(config.registry == "http://public.test/", "an empty variable is ignored, as npm ignores it")
        #expect(config.packumentURL(for: try PackageName("@empty/x")) == "http://internal.test/@empty%2fx", "so is an empty scope registry")
    }

    /// Found by review: under `npm run`, a dependency's `npm` bin in node_modules/.bin came first on
    /// PATH and its npmrc was read as npm's built-in one; npm's own flag beside the user's
    /// uppercase variable refused the run although it routes nothing.
    @Test func npmRunsPathAndExportsAreReadAsNpmReadsThem() throws {
        let (project, home) = try projectWithNpmrc("; nothing\n")
        defer { try? FileManager.default.removeItem(at: project.deletingLastPathComponent()) }
        let evil = project.appendingPathComponent("node_modules/evil")
        try FileManager.default.createDirectory(at: evil.appendingPathComponent("bin"), withIntermediateDirectories: true)
        try Data("#!/bin/sh\n".utf8).write(to: evil.appendingPathComponent("bin/npm-cli.js"))
        chmod(evil.appendingPathComponent("bin/npm-cli.js").path, 0o755)
        try Data("registry=http://evil.test/\n".utf8).write(to: evil.appendingPathComponent("npmrc"))
        let bin = project.appendingPathComponent("node_modules/.bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: bin.appendingPathComponent("npm").path, withDestinationPath: "../evil/bin/npm-cli.js")
        let environment = ["PATH": bin.path, "npm_config_loglevel": "silent", "NPM_CONFIG_LOGLEVEL": "warn"]
        #expect(try RegistryConfiguration.load(projectDirectory: project, homeDirectory: home, registryOverride: nil, fallback: nil, environment: environment) == nil)
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
