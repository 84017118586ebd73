import FixtureTesting
import Foundation
import Publish
import SafeJSON
import Testing

/// The fixture play packs what `npm publish` would (found by review: it packed the whole folder,
/// an `.npmrc` holding a token included). npm 10's own `npm pack --dry-run --json` is the witness.
@Suite struct NpmPackListTests {
    static let common: [String: String] = [
        "README.md": "# x", "LICENSE": "MIT", "dist/index.js": "1", "dist/util/deep.js": "2", "dist/index.test.js": "3",
        "src/index.ts": "4", ".npmrc": "//registry.npmjs.org/:_authToken=npm_SECRET", "package-lock.json": "{}",
        "sub/.npmrc": "x", "docs/guide.md": "5", "bin/tool": "6", ".env": "7", "notes.orig": "8",
        "README-dev.md": "9", "LICENSE-MIT": "10", "readme.md~": "11", "web/b.js": "12", "build/x.js": "13",
        "sub/build/p.js": "14", "bin2/cli": "15", "lib/m.js": "16", "dist/prod.env": "17", "dist/sub/x.env": "18",
        "bin2/.hidden": "19", "dist/index.js.map": "20", "README.": "21",
    ]

    static let layouts: [(String, [String: String])] = [
        ("files allowlist with a glob and a negation", ["package.json": #"{"name":"x","version":"1.0.0","bin":{"tool":"bin/tool"},"files":["dist","!dist/**/*.test.js","docs/*.md"]}"#]),
        ("root .npmignore with a negation", ["package.json": #"{"name":"x","version":"1.0.0","main":"src/index.ts"}"#,
                                             ".npmignore": "# comment\nsrc/\n*.md\n!README.md\n/dist/util\n.env\n"]),
        (".gitignore when there is no .npmignore", ["package.json": #"{"name":"x","version":"1.0.0"}"#, ".gitignore": "dist\n*.orig\n"]),
        ("nothing but npm's defaults", ["package.json": #"{"name":"x","version":"1.0.0"}"#]),
        ("browser, directories.bin and a main written with ./", ["package.json":
            #"{"name":"x","version":"1.0.0","browser":"web/b.js","directories":{"bin":"bin2"},"main":"./lib/m.js","files":["dist"]}"#]),
        ("negations without a slash in files", ["package.json": #"{"name":"x","version":"1.0.0","files":["dist","!*.env","!*.map"]}"#]),
        ("dot files under directories.bin", ["package.json": #"{"name":"x","version":"1.0.0","files":["lib"],"directories":{"bin":"./bin2"}}"#]),
        ("an anchored .npmignore rule", ["package.json": #"{"name":"x","version":"1.0.0"}"#, ".npmignore": "/build\nsrc/\n"]),
    ]

    @Test(arguments: layouts.map(\.0))
    func packsWhatNpmPacks(_ label: String) async throws {
        let layout = try #require(Self.layouts.first { $0.0 == label }).1
        let folder = try Scratch.folder("pack-list")
        defer { Scratch.remove(folder) }
        for (path, text) in Self.common.merging(layout, uniquingKeysWith: { $1 }) {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let packageJSON = try #require(layout["package.json"])
        let manifest = try #require(try JSONValue.parse(Data(packageJSON.utf8)).objectValue)
        let ours = try PackedPackage.files(in: folder, manifest: manifest)

        let npm = try await ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/env"), ["npm", "pack", "--dry-run", "--json", "--ignore-scripts"],
                                              in: folder, environment: ["npm_config_update_notifier": "false"], isolatedHome: true)
        try #require(npm.status == 0, "\(npm.stderr)")
        let report = try JSONValue.parse(Data(npm.stdout.utf8))
        let theirs = (report.arrayValue?.first?["files"]?.arrayValue ?? []).compactMap { $0["path"]?.stringValue }.sorted()
        #expect(ours == theirs, "\(label)")
        #expect(!ours.contains(".npmrc") && !ours.contains("package-lock.json"), "\(label)")
    }
}
