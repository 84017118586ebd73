import Crypto
import FixtureTesting
import Foundation
import Publish
import SafeJSON
import Testing
import CodedError

/// Building `Registry/packages/@mochi/example` into target/ts/npm-library and packing it.
@Suite struct NpmLibraryBuilderTests {
    static func latestExample() throws -> URL { try PackageSource.resolve(TestPaths.examplePackage) }

    @Test func seedFolderResolvesToItsLatestVersion() throws {
        #expect(try Self.latestExample().lastPathComponent == "1.1.0")
        let explicit = TestPaths.examplePackage.appendingPathComponent("1.0.0")
        #expect(try PackageSource.resolve(explicit) == explicit)
    }

    @Test func copiesEveryPackageFileIntoTheLibraryFolder() async throws {
        try await withScratch { (project) async throws in
            let build = try NpmLibraryBuilder(source: try Self.latestExample(), project: project).build()
            #expect(build.name == "@mochi/example" && build.version == "1.1.0")
            #expect(build.directory == project.appendingPathComponent("target/ts/npm-library"))
            #expect(build.files.contains("package.json") && build.files.contains("dist/index.js"))
            for file in build.files {
                let copied = try Data(contentsOf: build.directory.appendingPathComponent(file))
                let original = try Data(contentsOf: try Self.latestExample().appendingPathComponent(file))
                #expect(copied == original, "\(file) differs")
            }
        }
    }

    /// Found by review: a package folder that is the project (holding target/) copied its own output
    /// into itself down to PATH_MAX. The output is skipped; a package inside the output is refused.
    @Test func aPackageHoldingTheOutputSkipsItAndOneInsideItIsRefused() async throws {
        try await withScratch { (project) async throws in
            for file in ["package.json", "dist/index.js"] {
                let to = project.appendingPathComponent(file)
                try FileManager.default.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(contentsOf: try Self.latestExample().appendingPathComponent(file)).write(to: to)
            }
            let builder = NpmLibraryBuilder(source: project, project: project)
            _ = try builder.build()
            let again = try builder.build()
            #expect(Set(again.files) == ["package.json", "dist/index.js"], "\(again.files)")
            let inside = builder.output.appendingPathComponent("pkg")
            try FileManager.default.createDirectory(at: inside, withIntermediateDirectories: true)
            try Data(contentsOf: try Self.latestExample().appendingPathComponent("package.json")).write(to: inside.appendingPathComponent("package.json"))
            let error = #expect(throws: PublishError.self) { try NpmLibraryBuilder(source: inside, project: project).build() }
            #expect(error?.message.contains("the package lies inside the build folder") == true, "\(error?.message ?? "")")
        }
    }

    @Test func rebuildingRemovesStaleFiles() async throws {
        try await withScratch { (project) async throws in
            let builder = NpmLibraryBuilder(source: try Self.latestExample(), project: project)
            let stale = builder.output.appendingPathComponent("dist/old.js")
            try FileManager.default.createDirectory(at: stale.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("old".utf8).write(to: stale)
            _ = try builder.build()
            #expect(!FileManager.default.fileExists(atPath: stale.path))
        }
    }

    @Test func refusesASymlinkInThePackage() async throws {
        try await withScratch { (folder) async throws in
            let source = folder.appendingPathComponent("pkg")
            try FileManager.default.createDirectory(at: source.appendingPathComponent("dist"), withIntermediateDirectories: true)
            try Data(#"{"name":"evil","version":"1.0.0"}"#.utf8).write(to: source.appendingPathComponent("package.json"))
            try FileManager.default.createSymbolicLink(atPath: source.appendingPathComponent("dist/secret").path, withDestinationPath: "/etc/passwd")
            let error = #expect(throws: PublishError.self) {
                try NpmLibraryBuilder(source: source, project: folder.appendingPathComponent("project")).build()
            }
            #expect(error?.code == .invalidPackage)
            #expect(error?.message.contains("dist/secret") == true)
        }
    }

    @Test func refusesAnOutputFolderThatIsASymlink() async throws {
        try await withScratch { (folder) async throws in
            let project = folder.appendingPathComponent("project"), elsewhere = folder.appendingPathComponent("elsewhere")
            try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: project.appendingPathComponent("target").path, withDestinationPath: elsewhere.path)
            let error = #expect(throws: PublishError.self) { try NpmLibraryBuilder(source: try Self.latestExample(), project: project).build() }
            #expect(error?.message.contains("symlink") == true)
            #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
        }
    }

    @Test func refusesAPackageJSONWithoutAValidName() async throws {
        try await withScratch { (folder) async throws in
            try Data(#"{"name":"Not Valid","version":"1.0.0"}"#.utf8).write(to: folder.appendingPathComponent("package.json"))
            #expect(throws: PublishError.self) { try NpmLibraryBuilder(source: folder, project: folder.appendingPathComponent("p")).build() }
        }
    }

    @Test func packIsDeterministicAndItsDigestsMatchTheBytes() async throws {
        try await withScratch { (project) async throws in
            let first = try PackedPackage.pack(try NpmLibraryBuilder(source: try Self.latestExample(), project: project).build())
            let second = try PackedPackage.pack(try NpmLibraryBuilder(source: try Self.latestExample(), project: project).build())
            #expect(first.tarball == second.tarball)
            #expect(first.tarball.starts(with: [0x1F, 0x8B]), "gzip")
            #expect(first.integrity == "sha512-" + Data(SHA512.hash(data: first.tarball)).base64EncodedString())
            #expect(first.shasum == Insecure.SHA1.hash(data: first.tarball).map { String(format: "%02x", $0) }.joined())
            #expect(first.sha512Hex == SHA512.hash(data: first.tarball).map { String(format: "%02x", $0) }.joined())
            #expect(first.manifest["name"]?.stringValue == "@mochi/example")
        }
    }
}
