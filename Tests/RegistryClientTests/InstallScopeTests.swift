import FixtureTesting
import Foundation
import NpmModel
import RegistryClient
import Testing

/// npm's omit list (`@npmcli/config` definitions' `buildOmitList`) and platform settings, read
/// from every layer of npm's configuration and from the command line.
@Suite struct InstallScopeTests {
    /// The scope `npmrc` (the project's .npmrc), `environment` and `commandLine` give.
    func scope(npmrc: String = "", environment: [String: String] = [:], commandLine: [(String, String)] = []) throws -> InstallScope {
        let root = Scratch.path("scope")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data(npmrc.utf8).write(to: root.appendingPathComponent(".npmrc"))
        let config = try #require(try RegistryConfiguration.load(projectDirectory: root, homeDirectory: nil, registryOverride: nil,
                                                                 fallback: "http://registry.test/", environment: environment,
                                                                 commandLine: commandLine))
        return config.installScope
    }

    @Test func nodeEnvProductionOmitsDevUnlessOmitIsSet() throws {
        #expect(try scope().omit == [])
        #expect(try scope(environment: ["NODE_ENV": "production"]).omit == [.dev])
        #expect(try scope(environment: ["NODE_ENV": "development"]).omit == [])
        #expect(try scope(npmrc: "omit=optional\n", environment: ["NODE_ENV": "production"]).omit == [.optional])
    }

    @Test func includeWinsOverOmitWhateverTheLayer() throws {
        #expect(try scope(npmrc: "omit=dev\n", commandLine: [("include", "dev")]).omit == [])
        #expect(try scope(environment: ["NODE_ENV": "production", "npm_config_include": "dev"]).omit == [])
        #expect(try scope(npmrc: "include=dev\n", commandLine: [("omit", "dev\n\npeer")]).omit == [.peer])
    }

    /// ini reads `omit[]=` lines as a list, and once it is a list a plain `omit=` adds to it.
    @Test func npmrcListsAreReadAsIniBuildsThem() throws {
        #expect(try scope(npmrc: "omit[]=dev\nomit[]=optional\n").omit == [.dev, .optional])
        #expect(try scope(npmrc: "omit=peer\nomit[]=dev\n").omit == [.dev, .peer])
        #expect(try scope(npmrc: "omit[]=dev\nomit=peer\n").omit == [.dev, .peer])
        #expect(try scope(npmrc: "omit=peer\nomit=dev\n").omit == [.dev])
    }

    @Test func theDeprecatedAliasesActAsInNpm() throws {
        #expect(try scope(npmrc: "production=true\n").omit == [.dev])
        #expect(try scope(npmrc: "only=prod\n").omit == [.dev])
        #expect(try scope(npmrc: "production=false\n", environment: ["NODE_ENV": "production"]).omit == [])
        #expect(try scope(npmrc: "also=development\n", environment: ["NODE_ENV": "production"]).omit == [])
        #expect(try scope(npmrc: "dev=true\nomit=dev\n").omit == [])
        #expect(try scope(npmrc: "optional=false\n").omit == [.optional])
        #expect(try scope(npmrc: "optional=true\nomit=optional\n").omit == [])
    }

    /// Found by a re-attack: nopt reads a Boolean through JavaScript's `+text`; Swift's parser
    /// read `0x0p1` (a hex float) as zero, where npm reads it as true.
    @Test(arguments: [("0", false), ("0.0", false), ("-0e5", false), ("0x0", false), ("0b0", false), ("00", false),
                      ("0x0p1", true), ("1", true), ("inf", true), ("nan", true), ("1_0", true), ("0x1", true), (".5", true), ("Infinity", true)])
    func productionIsReadAsNoptReadsABoolean(value: String, omitsDev: Bool) throws {
        #expect(try scope(npmrc: "production=\(value)\n").omit == (omitsDev ? [.dev] : []))
    }

    @Test func theCommandLineBeatsTheEnvironment() throws {
        let given = try scope(npmrc: "os=darwin\n", environment: ["npm_config_cpu": "arm64"], commandLine: [("os", "win32")])
        #expect(given.os == "win32" && given.cpu == "arm64" && given.libc == nil)
    }

    /// npm warns and drops a value it does not know; guessing would place another set, so it is refused.
    @Test func anUnknownKindIsRefusedNamingIt() throws {
        #expect(throws: NpmModelError.self) { try scope(npmrc: "omit=devDependencies\n") }
        #expect(throws: NpmModelError.self) { try scope(commandLine: [("include", "optinal")]) }
    }
}
