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

/// The lockfile's hasInstallScript comes from the verified tarball, as npm computes it (found by
/// an attack: the packument's unsigned flag hid a postinstall script from lockfile reviews).
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
