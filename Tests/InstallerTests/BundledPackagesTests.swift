import Foundation
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
}
