import FixtureTesting
import Foundation
import LockfileFormats
import Testing

/// Which lockfile a project folder is verified by: npm's shrinkwrap before its package-lock, and
/// never one of two package managers' (found by review: a good package-lock.json beside a hostile
/// yarn.lock passed, having verified only the first).
@Suite struct LockfileDiscoveryTests {
    func folder(with files: [String], _ body: (URL) throws -> Void) async throws {
        try withScratch("lockfile-discovery") { folder in
            for file in files { try Data("{}".utf8).write(to: folder.appendingPathComponent(file)) }
            try body(folder)
        }
    }

    @Test func npmReadsItsShrinkwrapBeforeItsPackageLock() async throws {
        try await folder(with: ["package-lock.json", "npm-shrinkwrap.json"]) { folder in
            let found = try LockfileReader.find(in: folder)
            #expect(found?.lastPathComponent == "npm-shrinkwrap.json")
        }
        try await folder(with: []) { folder in
            let found = try LockfileReader.find(in: folder)
            #expect(found == nil)
        }
    }

    @Test func lockfilesOfTwoPackageManagersAreRefused() async throws {
        for pair in [["package-lock.json", "yarn.lock"], ["pnpm-lock.yaml", "bun.lock"], ["yarn.lock", "bun.lockb"]] {
            try await folder(with: pair) { folder in
                let error = #expect(throws: LockfileError.self, "\(pair)") { try LockfileReader.find(in: folder) }
                #expect("\(error.map { "\($0)" } ?? "")".contains("more than one package manager"))
            }
        }
    }

    /// Found by review: what the package manager runs or fetches from beside the lockfile is listed
    /// as not verifiable, so --fail-on-unverifiable fails on it.
    @Test func hooksAndRegistriesBesideTheLockfileAreListed() async throws {
        try withScratch("project-hooks") { folder in
            let pnpm = folder.appendingPathComponent("pnpm-lock.yaml")
            try Data("lockfileVersion: '9.0'\n".utf8).write(to: pnpm)
            try Data("module.exports = {}\n".utf8).write(to: folder.appendingPathComponent(".pnpmfile.cjs"))
            #expect(try LockfileReader().read(contentsOf: pnpm).packages.map(\.key) == [".pnpmfile.cjs"])
            // Found by review: pnpm may install from a branch lockfile instead.
            try Data("git-branch-lockfile=true\n".utf8).write(to: folder.appendingPathComponent(".npmrc"))
            try Data("gitBranchLockfile: true\n".utf8).write(to: folder.appendingPathComponent("pnpm-workspace.yaml"))
            #expect(try LockfileReader().read(contentsOf: pnpm).packages.map(\.key) == [".pnpmfile.cjs", "pnpm-workspace.yaml gitBranchLockfile", ".npmrc git-branch-lockfile"])
            for file in [".npmrc", "pnpm-workspace.yaml"] { try FileManager.default.removeItem(at: folder.appendingPathComponent(file)) }
            try FileManager.default.removeItem(at: pnpm)
            let yarn = folder.appendingPathComponent("yarn.lock")
            try Data("__metadata:\n  version: 8\n".utf8).write(to: yarn)
            try Data("yarnPath: .yarn/releases/yarn.cjs\nnpmRegistryServer: \"https://evil.example\"\n".utf8)
                .write(to: folder.appendingPathComponent(".yarnrc.yml"))
            let items = try LockfileReader().read(contentsOf: yarn).packages
            #expect(items.map(\.key) == [".yarnrc.yml yarnPath", ".yarnrc.yml npmRegistryServer"])
            #expect(items.allSatisfy { if case .notVerifiable = $0.kind { true } else { false } })
            // Found by review: Berry merges the .yarnrc.yml of every folder above too.
            let nested = folder.appendingPathComponent("web")
            try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
            try Data("__metadata:\n  version: 8\n".utf8).write(to: nested.appendingPathComponent("yarn.lock"))
            #expect(try LockfileReader().read(contentsOf: nested.appendingPathComponent("yarn.lock")).packages.map(\.key)
                    == ["../.yarnrc.yml yarnPath", "../.yarnrc.yml npmRegistryServer"])
            try FileManager.default.removeItem(at: nested)
            // pnpm's hooks file named in .npmrc, and Yarn 1's yarn-path and .yarnrc.yml yarnPath.
            try FileManager.default.removeItem(at: yarn)
            try Data("lockfileVersion: '9.0'\n".utf8).write(to: pnpm)
            try FileManager.default.removeItem(at: folder.appendingPathComponent(".pnpmfile.cjs"))
            try Data("pnpmfile=hooks.cjs\n".utf8).write(to: folder.appendingPathComponent(".npmrc"))
            #expect(try LockfileReader().read(contentsOf: pnpm).packages.map(\.key) == [".npmrc pnpmfile"])
            // Found by review: pnpm 11's .pnpmfile.mjs, and config dependencies (pnpm-workspace.yaml,
            // package.json, pnpm 11's pnpm-lock.env.yaml), which pnpm installs and may run outside the lockfile.
            try FileManager.default.removeItem(at: folder.appendingPathComponent(".npmrc"))
            try Data("export default {}\n".utf8).write(to: folder.appendingPathComponent(".pnpmfile.mjs"))
            try Data("configDependencies:\n  pnpm-plugin-x: \"1.0.0+sha512-AAAA\"\n".utf8).write(to: folder.appendingPathComponent("pnpm-workspace.yaml"))
            try Data(#"{"pnpm":{"configDependencies":{"pnpm-plugin-y":"1.0.0"}}}"#.utf8).write(to: folder.appendingPathComponent("package.json"))
            try Data("lockfileVersion: '9.0'\n".utf8).write(to: folder.appendingPathComponent("pnpm-lock.env.yaml"))
            #expect(try LockfileReader().read(contentsOf: pnpm).packages.map(\.key)
                    == [".pnpmfile.mjs", "pnpm-lock.env.yaml", "package.json pnpm.configDependencies", "pnpm-workspace.yaml configDependencies"])
            for file in [".pnpmfile.mjs", "pnpm-workspace.yaml", "package.json", "pnpm-lock.env.yaml"] {
                try FileManager.default.removeItem(at: folder.appendingPathComponent(file))
            }
            try FileManager.default.removeItem(at: pnpm)
            try Data("# yarn lockfile v1\n".utf8).write(to: yarn)
            try Data("yarn-path \"./tools/yarn.js\"\n".utf8).write(to: folder.appendingPathComponent(".yarnrc"))
            #expect(try LockfileReader().read(contentsOf: yarn).packages.map(\.key) == [".yarnrc yarn-path", ".yarnrc.yml yarnPath"])
        }
    }

    /// Found by review: the hooks settings are read as pnpm and Yarn read them (npm's ini reader,
    /// YAML, Yarn's own parser), so quoted keys, flow mappings and a combining mark after `=` count.
    @Test(arguments: [
        (".npmrc", "pnpmfile=\u{301}hooks.cjs\n"), (".npmrc", "\"pnpmfile\"=hooks.cjs\n"), (".npmrc", "'pnpmfile' = hooks.cjs\n"),
        (".npmrc", "  global-pnpmfile = hooks.cjs ; comment\n"), ("pnpm-workspace.yaml", "{pnpmfile: hooks.cjs}\n"),
        ("pnpm-workspace.yaml", "\"pnpmfile\": hooks.cjs\n"),
    ])
    func pnpmHooksAreFoundAsPnpmReadsItsSettings(_ file: String, _ text: String) async throws {
        try withScratch("pnpm-hooks") { folder in
            let pnpm = folder.appendingPathComponent("pnpm-lock.yaml")
            try Data("lockfileVersion: '9.0'\n".utf8).write(to: pnpm)
            try Data(text.utf8).write(to: folder.appendingPathComponent(file))
            #expect(try LockfileReader().read(contentsOf: pnpm).packages.map(\.key) == ["\(file) pnpmfile"])
        }
    }

    /// Found by review: one invalid UTF-8 byte made a hooks file look absent. Node reads it as
    /// U+FFFD and pnpm and Yarn go on, so it is read the same way; a side file that cannot be read
    /// (not a regular file, or too large) is refused rather than skipped.
    @Test(arguments: [(".npmrc", "pnpmfile=hooks.cjs\n; \u{FF}\n", "pnpm-lock.yaml", ".npmrc pnpmfile"),
                      ("pnpm-workspace.yaml", "pnpmfile: evil.cjs\n# \u{FF}\n", "pnpm-lock.yaml", "pnpm-workspace.yaml pnpmfile"),
                      (".yarnrc", "yarn-path \"./y.js\"\n# \u{FF}\n", "yarn.lock", ".yarnrc yarn-path"),
                      (".yarnrc.yml", "yarnPath: y.cjs\n# \u{FF}\n", "yarn.lock", ".yarnrc.yml yarnPath")])
    func sideFilesWithInvalidUTF8AreReadAsNodeReadsThem(_ file: String, _ text: String, _ lockfile: String, _ item: String) async throws {
        try withScratch("side-file-bytes") { folder in
            let lock = folder.appendingPathComponent(lockfile)
            try Data((lockfile == "yarn.lock" ? "# yarn lockfile v1\n" : "lockfileVersion: '9.0'\n").utf8).write(to: lock)
            // Latin-1 bytes: U+00FF is the lone byte 0xFF, invalid UTF-8.
            try Data(text.unicodeScalars.map { UInt8($0.value) }).write(to: folder.appendingPathComponent(file))
            #expect(try LockfileReader().read(contentsOf: lock).packages.map(\.key) == [item])

            try FileManager.default.removeItem(at: folder.appendingPathComponent(file))
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(file), withIntermediateDirectories: false)
            let error = #expect(throws: LockfileError.self) { try LockfileReader().read(contentsOf: lock) }
            #expect("\(error.map { "\($0)" } ?? "")".contains("not a regular file"))
        }
    }

    @Test(arguments: ["[section]\npnpmfile=hooks.cjs\n", "; pnpmfile=hooks.cjs\n", "pnpmfiles=hooks.cjs\n"])
    func pnpmHooksUnderASectionOrCommentedOutAreNotSettings(_ npmrc: String) async throws {
        try withScratch("pnpm-hooks") { folder in
            let pnpm = folder.appendingPathComponent("pnpm-lock.yaml")
            try Data("lockfileVersion: '9.0'\n".utf8).write(to: pnpm)
            try Data(npmrc.utf8).write(to: folder.appendingPathComponent(".npmrc"))
            #expect(try LockfileReader().read(contentsOf: pnpm).packages.isEmpty)
        }
    }

    @Test func yarnPathUnderAQuotedKeyIsFound() async throws {
        try withScratch("yarn-hooks") { folder in
            let yarn = folder.appendingPathComponent("yarn.lock")
            try Data("# yarn lockfile v1\n".utf8).write(to: yarn)
            try Data("\"yarn-path\" \".yarn/evil.js\"\n".utf8).write(to: folder.appendingPathComponent(".yarnrc"))
            #expect(try LockfileReader().read(contentsOf: yarn).packages.map(\.key) == [".yarnrc yarn-path"])
        }
    }

    /// Found by a re-attack: npm builds a workspace's edges from its own package.json, so a `file:`
    /// spec there was installed while verify-lockfile said ok. Its non-registry specs are listed.
    @Test func aWorkspacesOwnPackageJSONIsRead() async throws {
        try withScratch("workspace-specs") { folder in
            let lock = folder.appendingPathComponent("package-lock.json")
            try Data(#"{"lockfileVersion": 3, "packages": {"": {"workspaces": ["packages/a"]}, "packages/a": {"name": "a", "version": "1.0.0"}, "node_modules/a": {"resolved": "packages/a", "link": true}}}"#.utf8).write(to: lock)
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("packages/a"), withIntermediateDirectories: true)
            try Data(#"{"name": "a", "dependencies": {"@m/runtime": "file:../../evil.tgz"}}"#.utf8).write(to: folder.appendingPathComponent("packages/a/package.json"))
            let keys = try LockfileReader().read(contentsOf: lock).packages.map(\.key)
            #expect(keys.contains("packages/a/package.json → @m/runtime"), "\(keys)")
        }
    }

    /// Found by a re-attack: `../\u{301}x` split by Character has no `..` part, so the package.json
    /// one level above the project was read (and echoed); its first byte-wise part is `..`.
    @Test func aWorkspaceFolderClimbingOutBehindACombiningMarkIsNotRead() async throws {
        try withScratch("workspace-outside") { folder in
            let project = folder.appendingPathComponent("project")
            try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("\u{301}x"), withIntermediateDirectories: true)
            try Data(#"{"name": "evil", "dependencies": {"dep": "file:/etc"}}"#.utf8).write(to: folder.appendingPathComponent("\u{301}x/package.json"))
            let lock = project.appendingPathComponent("package-lock.json")
            let text = #"{"lockfileVersion": 3, "packages": {"": {"workspaces": ["../\#u{301}x"]}, "../\#u{301}x": {"name": "w"}, "node_modules/w": {"resolved": "../\#u{301}x", "link": true}}}"#
            try Data(text.utf8).write(to: lock)
            let packages = try LockfileReader().read(contentsOf: lock).packages
            #expect(!packages.contains { $0.key.contains("package.json") }, "\(packages.map(\.key))")
            #expect(packages.contains { if case .notVerifiable(let why) = $0.kind { why.contains("is outside the project") } else { false } },
                    "\(packages.map(\.kind))")
        }
    }
}
