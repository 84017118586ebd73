import Foundation
import Hummingbird
import HummingbirdTesting
import SafeJSON
import Testing
@testable import FixtureRegistry

@Suite("Packuments: full and abbreviated, scoped names, ETags, prefix")
struct PackumentServingTests {
    @Test func fullPackumentWithoutOrWithJSONAccept() async throws {
        try await withRegistry { registry, client in
            for headers: HTTPFields in [[:], [.accept: "application/json"]] {
                let response = try await client.get("/@mochi%2fexample", headers: headers)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let json = try response.json()
                #expect(json["_id"] == "@mochi/example")
                #expect(json["time"]?["1.1.0"] != nil)
                #expect(json["readme"] != nil)
                #expect(json[path: "versions", "1.1.0", "description"] != nil)
                #expect(json[path: "versions", "1.1.0", "dist", "tarball"]?.stringValue
                    == "\(registry.baseURL)@mochi/example/-/example-1.1.0.tgz")
            }
        }
    }

    @Test func abbreviatedPackumentWhenAcceptPrefersIt() async throws {
        try await withRegistry { registry, client in
            let response = try await client.get("/@mochi%2fexample", headers: [.accept: corgiAccept])
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/vnd.npm.install-v1+json")
            let json = try response.json()
            #expect(Set(try #require(json.objectValue).keys) == ["name", "modified", "dist-tags", "versions"])
            let version = try #require(json[path: "versions", "1.0.0"]?.objectValue)
            #expect(Set(version.keys).isSubset(of: PackumentRenderer.abbreviatedVersionFields))
            #expect(version["description"] == nil && version["readme"] == nil && version["repository"] == nil)
            #expect(version["dependencies"]?["@mochi/runtime"] == "^1.0.0")
            let dist = try #require(version["dist"]?.objectValue)
            #expect(Set(dist.keys) == ["integrity", "shasum", "tarball", "fileCount", "unpackedSize", "signatures"])
            #expect(dist["tarball"]?.stringValue == "\(registry.baseURL)@mochi/example/-/example-1.0.0.tgz")
        }
    }

    @Test(arguments: ["/@mochi%2fexample", "/@mochi%2Fexample", "/@mochi/example"])
    func scopedNameInBothEncodings(path: String) async throws {
        try await withRegistry { _, client in
            let response = try await client.get(path, headers: [.accept: corgiAccept])
            #expect(response.status == .ok)
            #expect(try response.json()["name"] == "@mochi/example")
        }
    }

    @Test func distTagsAndVersionDocuments() async throws {
        try await withRegistry { _, client in
            let json = try await client.get("/@mochi/runtime").json()
            #expect(json["dist-tags"] == ["latest": "1.2.0"])
            let latest = try await client.get("/@mochi/example/latest").json()
            #expect(latest["version"] == "1.1.0")
            let next = try await client.get("/@mochi%2fexample/next").json()
            #expect(next[path: "dependencies", "@mochi/runtime"] == "^1.2.0")
            #expect(try await client.get("/@mochi/example/9.9.9").status == .notFound)
        }
    }

    @Test func notFoundIsJSONLikeNpm() async throws {
        try await withRegistry { _, client in
            for path in ["/no-such-package", "/@mochi/nope", "/-/nothing-here", "/", "/@mochi/example/-/example-9.9.9.tgz"] {
                let response = try await client.get(path)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.headers[.contentType] == "application/json")
                #expect(try response.json() == ["error": "Not found"])
            }
        }
    }

    @Test func badNamesAndMethodsGetJSONErrors() async throws {
        try await withRegistry { _, client in
            let bad = try await client.get("/..%2f..%2fetc")
            #expect(bad.status == .badRequest)
            #expect(try bad.json()["error"]?.stringValue?.contains("invalid package name") == true)
            let post = try await client.post("/@mochi/example", body: ByteBuffer(string: "{}"))
            #expect(post.status == .methodNotAllowed)
            #expect(try post.json() == ["error": "Method not allowed"])
            #expect(post.headers[.allow] == "GET, HEAD, PUT")
        }
    }

    @Test func etagRevalidationAnswers304() async throws {
        try await withRegistry { _, client in
            let first = try await client.get("/@mochi/example", headers: [.accept: corgiAccept])
            let etag = try #require(first.headers[.eTag])
            let again = try await client.get("/@mochi/example", headers: [.accept: corgiAccept, .ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(again.headers[.eTag] == etag)
            #expect(again.data.isEmpty)

            let full = try await client.get("/@mochi/example", headers: [.ifNoneMatch: etag])
            #expect(full.status == .ok, "the full form has its own ETag")
            let listed = try await client.get("/@mochi/example", headers: [.accept: corgiAccept, .ifNoneMatch: "\"stale\", W/\(etag)"])
            #expect(listed.status == .notModified, "a list with a weak form of the tag matches")
        }
    }

    /// Served packuments are kept rendered (`PackumentRenders`): every edit must still show at once,
    /// in both forms, with a new ETag, and a deleted package must be gone.
    @Test func aServedPackumentFollowsEveryEdit() async throws {
        try await withRegistry { registry, client in
            let name = try PackageName("@mochi/example")
            var etags: [String: String] = [:]
            for accept in ["application/json", corgiAccept] {
                let served = try await client.get("/@mochi/example", headers: [.accept: accept])
                #expect(try served.json()["dist-tags"]?["next"] != nil)
                etags[accept] = served.headers[.eTag]
                #expect(try await client.get("/@mochi/example", headers: [.accept: accept]).data == served.data, "kept")
            }
            try registry.storage.removeDistTag("next", of: name)
            for accept in ["application/json", corgiAccept] {
                let served = try await client.get("/@mochi/example", headers: [.accept: accept, .ifNoneMatch: etags[accept] ?? ""])
                #expect(served.status == .ok, "the old ETag no longer matches")
                #expect(try served.json()["dist-tags"]?["next"] == nil)
                #expect(served.headers[.eTag] != etags[accept])
            }
            try registry.storage.deletePackage(name)
            #expect(try await client.get("/@mochi/example", headers: [.accept: corgiAccept]).status == .notFound)
        }
    }

    @Test func pingAnswersEmptyObject() async throws {
        try await withRegistry { _, client in
            let response = try await client.get("/-/ping")
            #expect(response.status == .ok)
            #expect(try response.json() == [:])
        }
    }

    @Test func everyRouteLivesUnderThePrefix() async throws {
        try await withRegistry(prefix: "/npm/") { registry, client in
            #expect(registry.baseURL.hasSuffix("/npm/"))
            #expect(try await client.get("/npm/-/ping").status == .ok)
            #expect(try await client.get("/-/ping").status == .notFound)
            #expect(try await client.get("/@mochi/example").status == .notFound)
            let json = try await client.get("/npm/@mochi%2fexample", headers: [.accept: corgiAccept]).json()
            let tarball = try #require(json[path: "versions", "1.1.0", "dist", "tarball"]?.stringValue)
            #expect(tarball == "\(registry.baseURL)@mochi/example/-/example-1.1.0.tgz")
            let path = String(tarball.dropFirst("http://127.0.0.1:\(registry.port)".count))
            #expect(try await client.get(path).status == .ok)
        }
    }
}
