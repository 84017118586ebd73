import FixtureTesting
import FixtureRegistry
import Foundation
import NpmModel
import SafeJSON
import Tarball
import Testing
@testable import Installer

/// Packages a tarball bundles are named in the report (found by an attack: a bundled copy of
/// other code was placed while the report listed only the registry copy of the same name).
@Suite struct BundledPackagesTests {
    @Test func bundledPackagesAreFoundAndNamed() throws {
        let unpacked = FileManager.default.temporaryDirectory.appendingPathComponent("bundled-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: unpacked) }
        for folder in ["node_modules/bchild", "node_modules/@s/b", "node_modules/.bin", "lib"] {
            try FileManager.default.createDirectory(at: unpacked.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        let names = BundledPackages.names(in: unpacked)
        #expect(names == ["@s/b", "bchild"])
        #expect(BundledPackages.warning("bparent@1.0.0", names)
            == "bparent@1.0.0 carries 2 bundled package(s) in its own node_modules (@s/b, bchild): installed from its tarball and covered by its integrity, not verified as registry packages of their own")
        #expect(BundledPackages.warning("plain@1.0.0", BundledPackages.names(in: unpacked.appendingPathComponent("lib"))) == nil)
    }
}

/// What npm counts as bundled, as arborist's `getBundler` does (found by review: a bundled
/// package's own dependencies, hoisted beside it by `npm pack`, ran install scripts unreported).
@Suite struct BundlerRuleTests {
    func write(_ root: URL, _ path: String, _ json: String) throws {
        let folder = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(json.utf8).write(to: folder.appendingPathComponent("package.json"))
    }

    @Test func whatBundledPackagesReachIsBundledAndWhatCannotBeReadHasScripts() throws {
        try withScratch("bundler-rule") { root in
            try write(root, "node_modules/b0", #"{"name":"b0","version":"1.0.0","dependencies":{"c":"^1.0.0","d":"^1.0.0"}}"#)
            try write(root, "node_modules/c", #"{"name":"c","version":"1.0.0","scripts":{"postinstall":"x"}}"#)
            try write(root, "node_modules/b0/node_modules/d", #"{"name":"d","version":"2.0.0"}"#)
            try write(root, "node_modules/d", #"{"name":"d","version":"1.0.0"}"#)  // b0 loads its own d: not reached
            try write(root, "node_modules/stray", #"{"name":"stray","version":"1.0.0","scripts":{"install":"x"}}"#)
            // Nested deeper than is read (a lone surrogate no longer makes one unreadable: npm reads it).
            try write(root, "node_modules/bad", #"{"name":"bad","version":"1.0.0","c":"# + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "}")
            let entries = BundledPackages.entries(in: root, declared: ["b0", "bad"])
            #expect(entries.map(\.path) == ["node_modules/b0", "node_modules/b0/node_modules/d", "node_modules/bad", "node_modules/c"])
            #expect(entries.filter(\.entry.hasInstallScript).map(\.path) == ["node_modules/bad", "node_modules/c"])
            #expect(entries.allSatisfy { $0.entry.inBundle })
        }
    }

    /// Found by a re-attack: what a nested bundled package depends on, found only at the top,
    /// is bundled too; and `bundleDependencies` as an object names its keys.
    @Test func whatNestedBundledPackagesReachAtTheTopIsBundled() throws {
        try withScratch("bundler-nested") { root in
            try write(root, "node_modules/mid", #"{"name":"mid","version":"1.0.0","dependencies":{"inner":"1"}}"#)
            try write(root, "node_modules/mid/node_modules/inner", #"{"name":"inner","version":"1.0.0","dependencies":{"evil-b":"1"}}"#)
            try write(root, "node_modules/evil-b", #"{"name":"evil-b","version":"1.0.0","scripts":{"postinstall":"x"}}"#)
            let entries = BundledPackages.entries(in: root, declared: ["mid"])
            #expect(entries.map(\.path) == ["node_modules/evil-b", "node_modules/mid", "node_modules/mid/node_modules/inner"])
            #expect(entries.first?.entry.hasInstallScript == true)
        }
        let object: JSONValue = ["dependencies": ["a": "1"], "bundleDependencies": ["evil-a": "1.0.0"]]
        #expect(Manifest.bundled(object, dependencies: ["a": "1"]) == ["evil-a"])
        #expect(Manifest.bundled(["bundledDependencies": true], dependencies: ["a": "1"]) == ["a"])
        #expect(Manifest.bundled(["bundleDependencies": "evil"], dependencies: [:]) == [])
    }

    /// With ci, a bundled entry the lockfile says has an install script is listed (npm ci goes by it),
    /// once, even when the tarball lists it too.
    @Test func ciListsTheLockfilesBundledInstallScripts() {
        var scripted = Lockfile.Entry(version: "1.0.0")
        scripted.hasInstallScript = true
        let listed = InstallRun.installScripts([], [], lockedBundled: ["node_modules/p/node_modules/evil-a": scripted,
                                                                       "node_modules/p/node_modules/quiet": Lockfile.Entry(version: "1.0.0")])
        #expect(listed == ["evil-a@1.0.0 at node_modules/p/node_modules/evil-a (bundled; the lockfile says it has an install script)"])
    }

    @Test func aPackageNestedBeyondTheDepthReadIsTakenToHaveScripts() throws {
        try withScratch("bundler-depth") { root in
            var path = ""
            for level in 0...BundledPackages.maxDepth + 2 {
                path += (path.isEmpty ? "" : "/") + "node_modules/p\(level)"
                try write(root, path, #"{"name":"p\#(level)","version":"1.0.0"}"#)
            }
            let entries = BundledPackages.entries(in: root, declared: ["p0"])
            #expect(entries.count == BundledPackages.maxDepth)
            #expect(entries.filter(\.entry.hasInstallScript).count == 1)
            #expect(entries.last?.entry.hasInstallScript == true)
        }
    }
}

/// The lockfile's hasInstallScript comes from the verified tarball, as npm computes it (found by
/// an attack: the packument's unsigned flag hid a postinstall script from lockfile reviews), and
/// also from the metadata, whose scripts npm runs (found by review).
@Suite struct InstallScriptTests {
    @Test(arguments: [
        (#"{"scripts":{"postinstall":"node x.js"}}"#, false, true),
        (#"{"scripts":{"preinstall":"x"}}"#, false, true),
        (#"{"scripts":{"test":"x","install":""}}"#, false, false),
        (#"{"name":"a"}"#, true, true),
        (#"{"name":"a"}"#, false, false),
    ])
    func installScriptsAreReadFromThePackageItself(manifest: String, bindingGyp: Bool, expected: Bool) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("install-script-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(manifest.utf8).write(to: folder.appendingPathComponent("package.json"))
        if bindingGyp { try Data("{}".utf8).write(to: folder.appendingPathComponent("binding.gyp")) }
        #expect(try #require(UnpackedManifest(directory: folder)).hasInstallScript(in: folder) == expected)
    }

    /// Found by review: a package.json npm reads but we did not (a byte order mark, deep nesting)
    /// hid a postinstall npm ran; and a script only the metadata held ran under npm. (One we
    /// still cannot read is refused: `TarballIdentityTests`.)
    @Test func scriptsNpmWouldFindAreNeverMissedFromTheReport() async throws {
        try await TestRegistry.with { registry in
            let postinstall: JSONValue = ["postinstall": "node evil.js"]
            func publish(_ name: String, packageJSON: Data, metadata: [String: JSONValue] = [:]) throws {
                var manifest: [String: JSONValue] = ["name": .string(name), "version": "1.0.0", "license": "MIT"]
                for (key, value) in metadata { manifest[key] = value }
                try registry.storage.addVersion(manifest: .object(manifest), tarball: try TarballPacker.pack(files: [
                    PackFile(path: "package.json", contents: packageJSON)]), tags: ["latest"])
            }
            let scripted = try JSONValue.object(["name": "bom", "version": "1.0.0", "scripts": postinstall]).serialized()
            try publish("bom", packageJSON: Data([0xEF, 0xBB, 0xBF]) + scripted)
            try publish("deep", packageJSON: Data(("{\"name\":\"deep\",\"version\":\"1.0.0\",\"scripts\":{\"postinstall\":\"x\"},\"config\":" + String(repeating: "{\"a\":", count: 40) + "1" + String(repeating: "}", count: 40) + "}").utf8))
            try publish("metaonly", packageJSON: try JSONValue.object(["name": "metaonly", "version": "1.0.0"]).serialized(),
                        metadata: ["scripts": postinstall])
            try publish("plain", packageJSON: try JSONValue.object(["name": "plain", "version": "1.0.0"]).serialized())
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0"}"#)
            let report = try await project.install(registry, "bom@1.0.0", "deep@1.0.0", "metaonly@1.0.0", "plain@1.0.0")
            #expect(report.installScripts == ["bom@1.0.0 at node_modules/bom", "deep@1.0.0 at node_modules/deep",
                                              "metaonly@1.0.0 at node_modules/metaonly"])
            #expect(report.warnings.contains { $0.contains("the metadata given for metaonly@1.0.0 declares an install script") }, "\(report.warnings)")
            let lockfile = try project.lockfile()
            #expect(["bom", "deep", "metaonly"].allSatisfy { lockfile.packages["node_modules/\($0)"]?.hasInstallScript == true })
            #expect(lockfile.packages["node_modules/plain"]?.hasInstallScript != true)
        }
    }

    /// Found by review: npm ci ran a postinstall script, one of them in a bundled package, and the
    /// report said nothing. It lists every placed package npm would run scripts for.
    @Test func theReportListsThePackagesNpmWouldRunScriptsFor() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("scripted", "1.0.0", extra: ["scripts": ["postinstall": "node x.js"]])
            try registry.publish("quiet", "1.0.0")
            let manifest: JSONValue = ["name": "bparent", "version": "1.0.0", "license": "MIT",
                                       "dependencies": ["bchild": "1.0.0"], "bundleDependencies": ["bchild"]]
            let child: JSONValue = ["name": "bchild", "version": "1.0.0", "scripts": ["install": "node-gyp rebuild"]]
            let files = [PackFile(path: "package.json", contents: try manifest.serialized()),
                         PackFile(path: "node_modules/bchild/package.json", contents: try child.serialized())]
            try registry.storage.addVersion(manifest: manifest, tarball: try TarballPacker.pack(files: files), tags: ["latest"])
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0"}"#)
            let report = try await project.install(registry, "scripted@1.0.0", "quiet@1.0.0", "bparent@1.0.0")
            #expect(report.installScripts == ["bchild@1.0.0 at node_modules/bparent/node_modules/bchild (bundled in bparent@1.0.0)",
                                              "scripted@1.0.0 at node_modules/scripted"])
            #expect(try project.lockfile().packages["node_modules/bparent/node_modules/bchild"]?.hasInstallScript == true)
        }
    }
}

/// `ci`'s bundled entries without those inside folders it leaves out for the platform.
@Suite struct BundledEntriesLeavingOutTests {
    @Test func onlyEntriesInsideASkippedFolderAreDropped() {
        let entry = Lockfile.Entry(version: "1.0.0")
        let bundled = BundledEntries(entries: [
            "node_modules/a/node_modules/b": entry, "node_modules/ab/node_modules/c": entry,
            "node_modules/x/node_modules/a/node_modules/y": entry, "node_modules/k/node_modules/l": entry,
        ])
        let kept = bundled.leavingOut(["node_modules/a", "node_modules/x/node_modules/a"])
        #expect(Set(kept.entries.keys) == ["node_modules/ab/node_modules/c", "node_modules/k/node_modules/l"])
        #expect(bundled.leavingOut([String]()).entries.count == 4)
        #expect(bundled.leavingOut(["node_modules/x"]).entries.count == 3)
    }
}
