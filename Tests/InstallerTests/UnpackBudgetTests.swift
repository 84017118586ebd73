import CurlTransport
import FixtureRegistry
import Foundation
import Installer
import NpmModel
import RegistryClient
import SafeJSON
import Tarball
import Testing

/// Found by review: each tarball stayed under its own caps, so a tree of many small gzip bombs
/// (about 1 MB each, 1 GiB unpacked) filled the disk. The run as a whole has a budget too.
@Suite struct UnpackBudgetTests {
    /// A root package depending on `count` packages of one 64 KiB file each.
    static func publishTree(_ registry: TestRegistry, count: Int) throws {
        var dependencies: [String: JSONValue] = [:]
        for index in 0..<count {
            let name = "leaf\(index)"
            dependencies[name] = "1.0.0"
            let manifest: JSONValue = ["name": .string(name), "version": "1.0.0"]
            try registry.storage.addVersion(manifest: manifest, tarball: try TarballPacker.pack(files: [
                PackFile(path: "package.json", contents: try manifest.serialized()),
                PackFile(path: "zeros.bin", contents: Data(count: 64 << 10))]), tags: ["latest"])
        }
        let root: JSONValue = ["name": "tree", "version": "1.0.0", "dependencies": .object(dependencies)]
        try registry.storage.addVersion(manifest: root, tarball: try TarballPacker.pack(files: [
            PackFile(path: "package.json", contents: try root.serialized())]), tags: ["latest"])
    }

    static func install(_ registry: TestRegistry, _ project: TestProject, budget: UnpackBudget) async throws -> InstallReport {
        let transport = try CurlHTTPClient(configuration: TransportConfiguration())
        defer { transport.shutdown() }
        let client = RegistryClient(configuration: RegistryConfiguration(registry: registry.url), transport: transport)
        let installer = Installer(client: client, cache: ContentCache(root: project.cache), unpackBudget: budget)
        return try await installer.install(prefix: project.directory, specs: [try PackageSpec(parsing: "tree@1.0.0")])
    }

    @Test func aTreeBeyondTheRunsBudgetIsRefusedAndNothingIsPlaced() async throws {
        try await TestRegistry.with { registry in
            try Self.publishTree(registry, count: 8)
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0"}"#)
            let before = project.snapshot()
            // Eight files of 64 KiB: 512 KiB in all, against a budget of 300 KiB.
            let error = await #expect(throws: InstallError.self) {
                try await Self.install(registry, project, budget: UnpackBudget(maxBytes: 300 << 10))
            }
            #expect(error?.exitCode == 1)
            #expect(error?.message.contains("beyond the limit of 307200 bytes") == true, "\(String(describing: error))")
            #expect(project.snapshot() == before)
            let files = await #expect(throws: InstallError.self) {
                try await Self.install(registry, project, budget: UnpackBudget(maxFiles: 12))
            }
            #expect(files?.message.contains("in 12 files and folders for all packages together") == true, "\(String(describing: files))")
            #expect(project.snapshot() == before)
        }
    }

    /// Found by review: folders were not counted, so 8 KB of tarball made 97 000 empty folders.
    @Test func foldersCountAgainstTheBudget() async throws {
        try await TestRegistry.with { registry in
            let manifest: JSONValue = ["name": "deep", "version": "1.0.0"]
            let nested = Array(repeating: "d", count: 40).joined(separator: "/") + "/f"
            try registry.storage.addVersion(manifest: manifest, tarball: try TarballPacker.pack(files: [
                PackFile(path: "package.json", contents: try manifest.serialized()), PackFile(path: nested, contents: Data())]),
                tags: ["latest"])
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"deep":"1.0.0"}}"#)
            let error = await #expect(throws: InstallError.self) {
                let transport = try CurlHTTPClient(configuration: TransportConfiguration())
                defer { transport.shutdown() }
                let client = RegistryClient(configuration: RegistryConfiguration(registry: registry.url), transport: transport)
                _ = try await Installer(client: client, cache: ContentCache(root: project.cache), unpackBudget: UnpackBudget(maxFiles: 30))
                    .install(prefix: project.directory, specs: [])
            }
            #expect(error?.message.contains("42 files and folders") == true, "\(String(describing: error))")
        }
    }

    @Test func aTreeWithinTheBudgetInstalls() async throws {
        try await TestRegistry.with { registry in
            try Self.publishTree(registry, count: 8)
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0"}"#)
            let report = try await Self.install(registry, project, budget: UnpackBudget(maxBytes: 600 << 10, maxFiles: 17))
            #expect(report.packages.count == 9)
        }
    }
}
