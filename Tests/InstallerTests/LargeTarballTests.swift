import Foundation
import SafeJSON
import Tarball
import Testing
import FixtureRegistry
import FixtureTesting

/// Tarballs stream to a staging file and are unpacked from it: a 300 MiB tarball installs
/// without the process holding it in memory.
@Suite struct LargeTarballTests {
    @Test func a300MiBTarballInstallsWithPeakRSSUnder150MiB() async throws {
        try await TestRegistry.with { registry in
            let payload = try Self.randomBytes(300 * 1024 * 1024)
            let manifest: JSONValue = ["name": "big", "version": "1.0.0", "license": "MIT"]
            let tarball = try TarballPacker.pack(files: [
                PackFile(path: "package.json", contents: try manifest.serialized()),
                PackFile(path: "blob.bin", contents: payload),
            ])
            #expect(tarball.count >= 300 * 1024 * 1024)
            try registry.storage.addVersion(manifest: manifest, tarball: tarball, tags: ["latest"])
            let project = try TestProject(packageJSON: #"{"name":"app","dependencies":{"big":"1.0.0"}}"#)
            defer { try? FileManager.default.removeItem(at: project.directory.deletingLastPathComponent()) }
            let result = try await CommandLineTests().verifyInstall(["--registry", registry.url, "--json", "--quiet"], project: project)
            #expect(result.status == 0, "stderr: \(result.stderr)")
            let peak = try JSONValue.parse(Data(result.stdout.utf8))["report"]?["peakResidentBytes"]?.numberValue ?? .infinity
            #expect(peak < 150 * 1024 * 1024, "peak RSS \(Int(peak) / 1024 / 1024) MiB")
            let installed = project.directory.appendingPathComponent("node_modules/big/blob.bin")
            #expect((try FileManager.default.attributesOfItem(atPath: installed.path)[.size] as? Int) == payload.count)
        }
    }

    static func randomBytes(_ count: Int) throws -> Data {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/dev/urandom"))
        defer { try? handle.close() }
        return try handle.read(upToCount: count) ?? Data()
    }
}
