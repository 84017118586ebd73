import FixtureTesting
import Foundation
import NpmModel
import RegistryClient
import Testing
import CodedError

/// Tokens go only to their nerf-darted registry, matched on whole host, port and path segments.
@Suite struct TokenScopeTests {
    let config = RegistryConfiguration(registry: "https://registry.example.com/npm/",
                                       authTokens: ["//registry.example.com/npm/": "npm-token", "//other.test:8080/": "port-token"])

    @Test(arguments: [
        "https://registry.example.com/npm/left-pad",
        "https://registry.example.com/npm/@s%2fx",
        "http://registry.example.com/npm/left-pad/-/left-pad-1.0.0.tgz",
        "https://REGISTRY.example.com:443/npm/x?write=true",
    ])
    func tokenGoesToItsRegistry(url: String) {
        #expect(config.token(for: url) == "npm-token")
    }

    @Test(arguments: [
        "https://registry.example.com/npmevil/left-pad",
        "https://registry.example.com/npm",
        "https://registry.example.com.evil.org/npm/left-pad",
        "https://registry.example.com:8443/npm/left-pad",
        "https://evil.org/registry.example.com/npm/x",
        "https://registry.example.com@evil.org/npm/x",
        "https://registry.example.com/npm/../evil/x",
        "https://registry.example.com/npm/%2e%2e/evil/x",
        "ftp://registry.example.com/npm/x",
        "https://other.test/x",
        "https://other.test:80800/x",
    ])
    func tokenNeverGoesElsewhere(url: String) {
        #expect(config.token(for: url) == nil, "\(url)")
    }

    @Test func portIsPartOfTheHost() {
        #expect(config.token(for: "http://other.test:8080/x") == "port-token")
        #expect(config.token(for: "http://other.test/x") == nil)
    }

    @Test func dartWithoutTrailingSlashMatchesWholeSegmentOnly() {
        let config = RegistryConfiguration(registry: "https://r.test/", authTokens: ["//r.test/npm": "t"])
        #expect(config.token(for: "https://r.test/npm/x") == "t")
        #expect(config.token(for: "https://r.test/npmx/y") == nil)
        let hostOnly = RegistryConfiguration(registry: "https://r.test/", authTokens: ["//r.test": "t"])
        #expect(hostOnly.token(for: "https://r.test/x") == "t")
        #expect(hostOnly.token(for: "https://r.test.evil.org/x") == nil)
        #expect(hostOnly.token(for: "https://r.test:8443/x") == nil)
    }
}

/// `${VAR}` in `.npmrc`: one pass, bounded, npm's escapes.
@Suite struct NpmrcExpansionTests {
    func load(_ npmrc: String, environment: [String: String]) throws -> RegistryConfiguration? {
        let directory = try Scratch.folder("npmrc")
        defer { Scratch.remove(directory) }
        try Data(npmrc.utf8).write(to: directory.appendingPathComponent(".npmrc"))
        return try RegistryConfiguration.load(projectDirectory: directory, homeDirectory: nil, registryOverride: nil,
                                              fallback: nil, environment: environment)
    }

    @Test func expansionIsNotRecursive() throws {
        let config = try load("registry=http://r.test/${A}/\n//r.test/:_authToken=t${B}\n//s.test/:_authToken=${SELF}\n",
                              environment: ["A": "${B}", "B": "secret\\", "SELF": "x${SELF}"])
        #expect(config?.authTokens["//s.test/"] == "x${SELF}")
        #expect(config?.registry == "http://r.test/${B}/")
        #expect(config?.authTokens["//r.test/"] == "tsecret\\")
    }

    @Test func unsetVariablesStayAsWrittenUnlessMarkedOptional() throws {
        let config = try load("registry=http://r.test/${UNSET}/${UNSET?}/\\${HOME}/\\\\${HOME}\n", environment: ["HOME": "h"])
        #expect(config?.registry == "http://r.test/${UNSET}//${HOME}/\\h/")
    }

    @Test func expansionCountIsBounded() {
        let value = String(repeating: "${A}", count: RegistryConfiguration.maxExpansions + 1)
        #expect { try load("registry=http://r.test/\(value)\n", environment: ["A": "a"]) } throws: { error in
            (error as? NpmModelError)?.code == .invalidConfiguration && "\(error)".contains(".npmrc: registry")
        }
    }

    @Test func expandedLengthIsBounded() {
        let big = String(repeating: "x", count: RegistryConfiguration.maxExpandedBytes / 4 + 1)
        #expect { try load("registry=http://r.test/${A}${A}${A}${A}\n", environment: ["A": big]) } throws: { error in
            (error as? NpmModelError)?.code == .invalidConfiguration && "\(error)".contains("bytes after")
        }
    }
}
