import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import SafeJSON
import Testing
@testable import FixtureRegistry

@Suite("Tarballs match the integrity their packument promises")
struct TarballServingTests {
    @Test(arguments: [("@mochi/example", "1.0.0"), ("@mochi/example", "2.0.0-beta.1"), ("@mochi/runtime", "1.2.0")])
    func tarballBytesMatchIntegrityAndShasum(name: String, version: String) async throws {
        try await withRegistry { registry, client in
            let packument = try await client.get("/\(name)", headers: [.accept: corgiAccept]).json()
            let dist = try #require(packument[path: "versions", version, "dist"])
            let url = try #require(dist["tarball"]?.stringValue)
            let response = try await client.get(String(url.dropFirst(registry.baseURL.count - 1)))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/octet-stream")
            let bytes = response.data
            #expect(bytes.starts(with: [0x1F, 0x8B]), "a gzip stream")
            #expect(dist["integrity"]?.stringValue == "sha512-" + Data(SHA512.hash(data: bytes)).base64EncodedString())
            #expect(dist["shasum"]?.stringValue == Insecure.SHA1.hash(data: bytes).map { String(format: "%02x", $0) }.joined())
        }
    }

    @Test func tarballURLsNameTheUnscopedFile() async throws {
        try await withRegistry { registry, client in
            let json = try await client.get("/@mochi%2fruntime").json()
            #expect(json[path: "versions", "1.0.0", "dist", "tarball"]?.stringValue == "\(registry.baseURL)@mochi/runtime/-/runtime-1.0.0.tgz")
            #expect(try await client.get("/@mochi%2fruntime/-/runtime-1.0.0.tgz").status == .ok, "escaped scope works for tarballs too")
        }
    }

    @Test func aPackageAddedWhileRunningIsServed() async throws {
        try await withRegistry(seeded: false) { registry, client in
            #expect(try await client.get("/left-pad").status == .notFound)
            let (manifest, tarball) = try makePackage("left-pad", "1.3.0")
            try registry.storage.addVersion(manifest: manifest, tarball: tarball, tags: ["latest"])
            let json = try await client.get("/left-pad").json()
            #expect(json[path: "versions", "1.3.0", "dist", "tarball"]?.stringValue == "\(registry.baseURL)left-pad/-/left-pad-1.3.0.tgz")
            #expect(try await client.get("/left-pad/-/left-pad-1.3.0.tgz").data == tarball)
        }
    }

    /// Found by review: a publish killed between its tarball and its packument left a file that was
    /// served; its attestations likewise.
    @Test func aTarballOfNoListedVersionIsNotServed() async throws {
        try await withRegistry(seeded: false) { registry, client in
            let (manifest, tarball) = try makePackage("left-pad", "1.3.0")
            try registry.storage.addVersion(manifest: manifest, tarball: tarball, tags: ["latest"])
            let name = try PackageName("left-pad")
            let orphan = registry.storage.tarballURL(name, version: "1.4.0")
            try tarball.write(to: orphan)
            let attestations = registry.storage.attestationsURL(name, version: "1.4.0")
            try FileManager.default.createDirectory(at: attestations.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(#"{"attestations":[]}"#.utf8).write(to: attestations)
            #expect(try registry.storage.attestations(for: name, version: "1.4.0") == nil)
            #expect(try await client.get("/left-pad/-/left-pad-1.4.0.tgz").status == .notFound)
            #expect(try await client.get("/left-pad/-/left-pad-1.3.0.tgz").status == .ok)
        }
    }
}
