import Foundation
import LockfileFormats
import Testing

/// Git, file, link and workspace entries are listed as not verifiable, in every format; an npm
/// alias is verified as the real package its bytes are, installed under the alias.
@Suite struct NonRegistryEntryTests {
    static func isAlias(_ package: LockedPackage?, of real: String = "real", as installed: String = "al", version: String = "2.0.0") -> Bool {
        package?.kind == .registry && package?.name == real && package?.installedAs == installed && package?.version == version
    }

    static func packages(_ text: String, _ name: String) throws -> [String: LockedPackage] {
        let lock = try LockfileReader().read(Data(text.utf8), fileName: name)
        return Dictionary(lock.packages.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
    }

    static func read(_ text: String, _ name: String) throws -> [String: LockedPackage.Kind] {
        let lock = try LockfileReader().read(Data(text.utf8), fileName: name)
        return Dictionary(lock.packages.map { ($0.key, $0.kind) }, uniquingKeysWith: { first, _ in first })
    }

    static func reason(_ kind: LockedPackage.Kind?) -> String {
        if case .notVerifiable(let reason)? = kind { return reason }
        return "registry"
    }

    /// The shape npm 10 writes for `workspaces: ["packages/*"]` (checked against npm on this
    /// machine): folder entries omit `name` when it is the folder's, and a workspace's conflicting
    /// dependency sits below its folder; that one is a registry package like any other.
    @Test func packageLockWorkspaces() throws {
        let text = #"""
            {"lockfileVersion": 3, "packages": {"": {"workspaces": ["packages/*"]},
             "node_modules/a": {"resolved": "packages/a", "link": true},
             "node_modules/@scope/bee": {"resolved": "packages/b-folder", "link": true},
             "packages/a": {"version": "1.0.0", "dependencies": {"dep": "1.0.0"}},
             "packages/b-folder": {"name": "@scope/bee", "version": "2.0.0"},
             "packages/a/node_modules/dep": {"version": "1.0.0", "resolved": "https://registry.npmjs.org/dep/-/dep-1.0.0.tgz", "integrity": "sha512-x"},
             "packages/a/node_modules/@s/n": {"version": "1.0.0", "resolved": "https://registry.npmjs.org/@s/n/-/n-1.0.0.tgz", "integrity": "sha512-x"}}}
            """#
        let packages = try Self.packages(text, "package-lock.json")
        #expect(packages["packages/a"]?.name == "a" && Self.reason(packages["packages/a"]?.kind).hasPrefix("workspace package"))
        #expect(packages["packages/b-folder"]?.name == "@scope/bee")
        #expect(packages["packages/a/node_modules/dep"]?.kind == .registry && packages["packages/a/node_modules/dep"]?.name == "dep")
        #expect(packages["packages/a/node_modules/@s/n"]?.kind == .registry && packages["packages/a/node_modules/@s/n"]?.name == "@s/n")
    }

    /// Only a folder the lockfile lists can hold a node_modules, and below it the usual path rules hold.
    @Test(arguments: ["packages/zz/node_modules/dep", "packages/a/node_modules/..", "packages/a/node_modules/@s", "../node_modules/dep"])
    func workspaceInstallPathsAreChecked(path: String) {
        let text = #"{"lockfileVersion": 3, "packages": {"": {}, "packages/a": {"version": "1.0.0"}, "\#(path)": {"version": "1.0.0"}}}"#
        #expect(throws: (any Error).self) { try Self.packages(text, "package-lock.json") }
    }

    /// Found by a re-attack: with a folder-shaped key `packages/a/node_modules`, a set's order
    /// decided which folder a path was read under, so the verdict changed from run to run.
    @Test func aKeyWithANodeModulesSegmentIsNeverAWorkspaceFolder() {
        let text = #"{"lockfileVersion": 3, "packages": {"": {}, "packages/a": {"version": "1.0.0"}, "packages/a/node_modules": {"version": "1.0.0"}, "packages/a/node_modules/node_modules/leaf": {"version": "1.0.0", "resolved": "https://r.example/leaf/-/leaf-1.0.0.tgz", "integrity": "sha512-x"}}}"#
        #expect(throws: (any Error).self) { try Self.packages(text, "package-lock.json") }
    }

    @Test func packageLockV3() throws {
        let text = #"""
            {"lockfileVersion": 3, "packages": {"": {"dependencies": {"al": "npm:real@^2.0.0"}}, "packages/ws": {"name": "ws", "version": "1.0.0"},
             "node_modules/ws": {"resolved": "packages/ws", "link": true},
             "node_modules/g": {"version": "1.0.0", "resolved": "git+ssh://git@github.com/a/g.git#0123"},
             "node_modules/f": {"version": "1.0.0", "resolved": "file:../f"},
             "node_modules/al": {"name": "real", "version": "2.0.0", "resolved": "https://registry.npmjs.org/real/-/real-2.0.0.tgz", "integrity": "sha512-x"},
             "node_modules/ok": {"version": "1.0.0", "resolved": "https://registry.npmjs.org/ok/-/ok-1.0.0.tgz"}}}
            """#
        let kinds = try Self.read(text, "package-lock.json")
        #expect(Self.reason(kinds["packages/ws"]).hasPrefix("workspace package"))
        #expect(Self.reason(kinds["node_modules/ws"]).hasPrefix("linked local folder"))
        #expect(Self.reason(kinds["node_modules/g"]).hasPrefix("git dependency"))
        #expect(Self.reason(kinds["node_modules/f"]).hasPrefix("local file dependency"))
        #expect(Self.isAlias(try Self.packages(text, "package-lock.json")["node_modules/al"]))
        #expect(kinds["node_modules/ok"] == .registry)
    }

    @Test func packageLockV1() throws {
        let text = #"""
            {"lockfileVersion": 1, "dependencies": {"al": {"version": "npm:real@2.0.0"}, "g": {"version": "github:a/g#0123"},
             "ok": {"version": "1.0.0", "dependencies": {"inner": {"version": "file:../inner"}}}}}
            """#
        let kinds = try Self.read(text, "npm-shrinkwrap.json")
        #expect(Self.isAlias(try Self.packages(text, "npm-shrinkwrap.json")["node_modules/al"]))
        #expect(Self.reason(kinds["node_modules/g"]).hasPrefix("git dependency"))
        #expect(Self.reason(kinds["node_modules/ok/node_modules/inner"]).hasPrefix("local file dependency"))
        #expect(kinds["node_modules/ok"] == .registry)
    }

    @Test func pnpmV9() throws {
        let kinds = try Self.read("""
            lockfileVersion: '9.0'
            importers:
              .:
                dependencies:
                  local:
                    specifier: link:../local
                    version: link:../local
            packages:
              ok@1.0.0:
                resolution: {integrity: sha512-x}
              g@https://codeload.github.com/a/g/tar.gz/0123:
                resolution: {tarball: https://codeload.github.com/a/g/tar.gz/0123}
                version: 1.0.0
              f@file:../f:
                resolution: {directory: ../f, type: directory}
            """, "pnpm-lock.yaml")
        #expect(kinds["ok@1.0.0"] == .registry)
        #expect(Self.reason(kinds["g@https://codeload.github.com/a/g/tar.gz/0123"]).hasPrefix("git dependency"))
        #expect(Self.reason(kinds["f@file:../f"]).hasPrefix("local file dependency"))
        #expect(Self.reason(kinds["local"]).hasPrefix("linked local folder"))
    }

    /// Found by review: pnpm and Yarn test `startsWith('link:')` on code units; a combining mark
    /// after the colon merged with it into one Character, so the local reference was not listed.
    @Test func localReferencesWithACombiningMarkAreStillLocal() throws {
        let pnpm = try Self.read("""
            lockfileVersion: '9.0'
            importers:
              .:
                dependencies:
                  foo:
                    specifier: "link:\u{301}x"
                    version: "link:\u{301}x"
            """, "pnpm-lock.yaml")
        #expect(Self.reason(pnpm["foo"]).hasPrefix("linked local folder"), "\(pnpm)")
        let yarn = try Self.read("""
            # yarn lockfile v1


            "dep@file:\u{301}x":
              version "1.0.0"
              resolved "https://registry.yarnpkg.com/dep/-/dep-1.0.0.tgz#abc"
            """, "yarn.lock")
        #expect(Self.reason(yarn["dep@file:\u{301}x"]).hasPrefix("local file dependency"), "\(yarn)")
    }

    @Test func yarnClassicAndBerry() throws {
        let classic = try Self.packages("""
            # yarn lockfile v1


            "al@npm:real@^2.0.0":
              version "2.0.0"
              resolved "https://registry.yarnpkg.com/real/-/real-2.0.0.tgz#abc"

            "g@github:a/g":
              version "1.0.0"
              resolved "https://codeload.github.com/a/g/tar.gz/0123"
            """, "yarn.lock")
        #expect(Self.isAlias(classic["al@npm:real@^2.0.0"]))
        let git = Self.reason(classic["g@github:a/g"]?.kind)
        #expect(git.hasPrefix("git dependency"))
        let berry = try Self.packages("""
            __metadata:
              version: 8
              cacheKey: 10c0

            "al@npm:real@^2":
              version: 2.0.0
              resolution: "real@npm:2.0.0"
            "p@patch:p@npm%3A1.0.0#~/p.patch":
              version: 1.0.0
              resolution: "p@patch:p@npm%3A1.0.0#~/p.patch::version=1.0.0"
            """, "yarn.lock")
        #expect(Self.isAlias(berry["al@npm:real@^2"]))
        let patch = Self.reason(berry["p@patch:p@npm%3A1.0.0#~/p.patch"]?.kind)
        #expect(patch.hasPrefix("patched package"))
    }

    /// Found by review: Berry installs a descriptor's stored resolution whatever package it names,
    /// and only the first descriptor of a key was read: `b@npm:^1` resolved to `a`'s code passed.
    @Test(arguments: ["\"a@npm:^1.0.0, b@npm:^1.0.0\"", "\"b@npm:^1.0.0\"", "\"b@npm:c@^1.0.0\""])
    func aBerryDescriptorResolvedToAnotherPackageIsRefused(_ key: String) {
        let text = "__metadata:\n  version: 8\n  cacheKey: 10c0\n\n\(key):\n  version: 1.1.0\n  resolution: \"a@npm:1.1.0\"\n"
        #expect { try Self.packages(text, "yarn.lock") } throws: { "\($0)".contains("resolves to a") }
        let alias = "__metadata:\n  version: 8\n  cacheKey: 10c0\n\n\"b@npm:a@^1.0.0, a@npm:^1.0.0\":\n  version: 1.1.0\n  resolution: \"a@npm:1.1.0\"\n"
        #expect(Self.isAlias(try? Self.packages(alias, "yarn.lock")["b@npm:a@^1.0.0, a@npm:^1.0.0"], of: "a", as: "b", version: "1.1.0"))
    }

    @Test func bunWithCommentsAndTrailingCommas() throws {
        let lock = try LockfileReader().read(Data("""
            // bun writes JSONC
            {
              "lockfileVersion": 1, /* a block comment with "quotes" */
              "workspaces": {"": {"dependencies": {"al": "npm:real@^2.0.0",},},},
              "packages": {
                "ok": ["ok@1.0.0", "", {}, "sha512-x//not-a-comment"],
                "al": ["real@2.0.0", "", {}, "sha512-y"],
                "g": ["g@github:a/g#0123", {}, "a-g-0123"],
                "parent/@s/child": ["@s/child@3.0.0", "", {}, "sha512-z",],
              },
            }
            """.utf8), fileName: "bun.lock")
        let byKey = Dictionary(uniqueKeysWithValues: lock.packages.map { ($0.key, $0) })
        #expect(byKey["ok"]?.integrity == "sha512-x//not-a-comment" && byKey["ok"]?.kind == .registry && byKey["ok"]?.line == 6)
        let git = Self.reason(byKey["g"]?.kind)
        #expect(Self.isAlias(byKey["al"]))
        #expect(git.hasPrefix("git dependency"))
        #expect(byKey["parent/@s/child"]?.name == "@s/child" && byKey["parent/@s/child"]?.version == "3.0.0")
    }
}
