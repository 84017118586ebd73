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
        "https://evil.org/\u{301}@registry.example.com/npm/x",
        "https://evil.org?\u{301}@registry.example.com/npm/x",
        "https://registry.example.com/npm/caf\u{E9}",
        "ftp://registry.example.com/npm/x",
        "https://other.test/x",
        "https://other.test:80800/x",
    ])
    func tokenNeverGoesElsewhere(url: String) {
        #expect(config.token(for: url) == nil, "\(url)")
    }

    @Test func portIsPartOfTheHost() {
        #expect(config.token(for: "https://other.test:8080/x") == "port-token")
        #expect(config.token(for: "https://other.test/x") == nil)
    }

    /// npm would send the token over plain http when a tarball URL or a lockfile's `resolved` says
    /// http: not here, unless the user configured that very registry as http.
    @Test func aTokenNeverTravelsInTheClearToAnHTTPSRegistry() {
        #expect(config.token(for: "http://registry.example.com/npm/left-pad/-/left-pad-1.0.0.tgz") == nil)
        #expect(config.token(for: "HTTP://registry.example.com/npm/x") == nil)
        let plain = RegistryConfiguration(registry: "http://127.0.0.1:4873/", scopeRegistries: ["@corp": "https://corp.test/"],
                                          authTokens: ["//127.0.0.1:4873/": "local", "//corp.test/": "corp"])
        #expect(plain.token(for: "http://127.0.0.1:4873/x/-/x-1.0.0.tgz") == "local")
        #expect(plain.token(for: "http://corp.test/@corp/x/-/x-1.0.0.tgz") == nil)
        #expect(plain.token(for: "https://corp.test/@corp/x/-/x-1.0.0.tgz") == "corp")
        // One host, the default registry over http and a scope over https: the scope's token stays off http.
        let mixed = RegistryConfiguration(registry: "http://h.test:18765/", scopeRegistries: ["@priv": "https://h.test:18765/priv/"],
                                          authTokens: ["//h.test:18765/priv/": "priv", "//h.test:18765/": "plain"])
        #expect(mixed.token(for: "http://h.test:18765/priv/plain-1.0.0.tgz") == nil)
        #expect(mixed.token(for: "https://h.test:18765/priv/plain-1.0.0.tgz") == "priv")
    }

    /// Found by review: a cloned project's `.npmrc` saying `registry=http://…` for the registry the
    /// user's own `.npmrc` names as https sent the user's token in the clear.
    @Test func aProjectNpmrcCannotDowngradeTheUsersHTTPSRegistry() throws {
        let root = try Scratch.folder("npmrc-downgrade")
        defer { Scratch.remove(root) }
        let home = root.appendingPathComponent("home"), project = root.appendingPathComponent("project")
        for folder in [home, project] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        try Data("registry=https://r.test:4873/\n//r.test:4873/:_authToken=user-token\n".utf8).write(to: home.appendingPathComponent(".npmrc"))
        try Data("registry=http://r.test:4873/\n".utf8).write(to: project.appendingPathComponent(".npmrc"))
        let config = try #require(try RegistryConfiguration.load(projectDirectory: project, homeDirectory: home, registryOverride: nil,
                                                                  fallback: nil, environment: [:]))
        #expect(config.registry == "http://r.test:4873/")
        #expect(config.token(for: "http://r.test:4873/x") == nil)
        #expect(config.token(for: "https://r.test:4873/x") == "user-token")
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

    /// npm expands `${VAR}` in keys too: `@${ORG}:registry` left as written sent the scope to the
    /// default registry while npm used the private one (found by review).
    @Test func keysAreExpandedAsNpmExpandsThem() throws {
        let config = try load("registry=http://r.test/A/\n@${SC}:registry=http://r.test/B/\n//r.test/${P}/:_authToken=secret\n",
                              environment: ["SC": "sc", "P": "B"])
        #expect(config?.scopeRegistries["@sc"] == "http://r.test/B/")
        #expect(config?.authTokens["//r.test/B/"] == "secret")
        #expect(config?.registry(for: try PackageName("@sc/pkg")) == "http://r.test/B/")
    }

    @Test func unsetVariablesStayAsWrittenUnlessMarkedOptional() throws {
        let config = try load("registry=http://r.test/${UNSET}/${UNSET?}/\\${HOME}/\\\\${HOME}\n", environment: ["HOME": "h"])
        // npm's ini reader turns `\\` into `\` before `${…}` is expanded, so both references stay
        // literal (npm 10.8.2: `npm config get registry` prints `…/${HOME}/${HOME}`).
        #expect(config?.registry == "http://r.test/${UNSET}//${HOME}/${HOME}/")
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

/// An `.npmrc` is read the way npm reads it, and one that exists is never silently skipped.
@Suite struct NpmrcReadingTests {
    func load(writing write: (URL) throws -> Void) throws -> RegistryConfiguration? {
        let directory = try Scratch.folder("npmrc-read")
        defer { Scratch.remove(directory) }
        try write(directory)
        return try RegistryConfiguration.load(projectDirectory: directory, homeDirectory: nil, registryOverride: nil,
                                              fallback: "https://fallback.test/", environment: [:])
    }

    @Test func aSymlinkedNpmrcIsFollowedAndNonUTF8BytesDoNotHideIt() throws {
        let linked = try load { directory in
            try Data("@corp:registry=https://corp.test/\n".utf8).write(to: directory.appendingPathComponent("dotfiles-npmrc"))
            try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent(".npmrc").path, withDestinationPath: "dotfiles-npmrc")
        }
        #expect(linked?.scopeRegistries["@corp"] == "https://corp.test/")
        let latin1 = try load { directory in
            try Data([0x23, 0x20, 0x63, 0x61, 0x66, 0xE9, 0x0A] + Array("@corp:registry=https://corp.test/\n".utf8))
                .write(to: directory.appendingPathComponent(".npmrc"))
        }
        #expect(latin1?.scopeRegistries["@corp"] == "https://corp.test/")
    }

    @Test func onlyLineFeedsEndLinesAndSectionsAreNotTopLevel() throws {
        let config = try load { directory in
            try Data("description=x\u{2028}registry=https://evil.test/\n# c\r@corp:registry=https://corp.test/\n[section]\nregistry=https://evil2.test/\n".utf8)
                .write(to: directory.appendingPathComponent(".npmrc"))
        }
        #expect(config?.registry == "https://fallback.test/")
        #expect(config?.scopeRegistries["@corp"] == "https://corp.test/", "a lone CR ends a line, as in npm's ini")
    }

    @Test func anNpmrcThatExistsButCannotBeReadIsAnError() throws {
        #expect(throws: NpmModelError.self) {
            try load { directory in try FileManager.default.createDirectory(at: directory.appendingPathComponent(".npmrc"), withIntermediateDirectories: false) }
        }
    }
}
