import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import SafeJSON
import Testing
@testable import FixtureRegistry

/// `PUT /<name>` with npm's body: what is stored, and every refusal with its status and JSON error.
@Suite("Publishing over HTTP")
struct PublishTests {
    @Test func publishStoresASignedVersionAndWhoamiNamesTheUser() async throws {
        try await withPublishRegistry { registry, client in
            let token = try registry.storage.tokens.mint(user: "alice")
            let whoami = try await client.get("/-/whoami", headers: bearer(token))
            #expect(try whoami.json() == ["username": "alice"])
            let (manifest, tarball) = try makePackage("widget", "1.0.0")
            let put = try await client.put("/widget", token: token, json: publishBody("widget", "1.0.0", tarball: tarball, manifest: manifest))
            #expect(put.status == .created)

            let packument = try await client.get("/widget").json()
            #expect(packument[path: "dist-tags", "latest"] == "1.0.0")
            #expect(packument[path: "versions", "1.0.0", "_npmUser", "name"] == "alice")
            #expect(packument["maintainers"] == [["name": "alice", "email": "alice@fixture.test"]])
            #expect(packument[path: "versions", "1.0.0", "dist", "tarball"]?.stringValue == registry.url("widget/-/widget-1.0.0.tgz"))
            let signature = try #require(packument[path: "versions", "1.0.0", "dist", "signatures"]?.arrayValue?.first)
            #expect(signature["keyid"]?.stringValue == registry.storage.keyring.currentKeyID)
            let tarballBack = try await client.get("/widget/-/widget-1.0.0.tgz")
            #expect(tarballBack.data == tarball)
        }
    }

    /// Found by review: a client's `dist.attestations` advertised provenance that did not exist.
    @Test func aClientsDistAttestationsAreNotStored() async throws {
        try await withPublishRegistry { registry, client in
            let token = try registry.storage.tokens.mint(user: "alice")
            let (manifest, tarball) = try makePackage("widget", "1.0.0")
            var body = try #require(try publishBody("widget", "1.0.0", tarball: tarball, manifest: manifest).objectValue)
            var versions = try #require(body["versions"]?.objectValue), version = try #require(versions["1.0.0"]?.objectValue)
            var dist = try #require(version["dist"]?.objectValue)
            dist["attestations"] = ["url": "/-/npm/v1/attestations/other@3.0.0", "provenance": ["predicateType": "https://slsa.dev/provenance/v1"]]
            version["dist"] = .object(dist)
            versions["1.0.0"] = .object(version)
            body["versions"] = .object(versions)
            let put = try await client.put("/widget", token: token, json: .object(body))
            #expect(put.status == .created)
            let packument = try await client.get("/widget").json()
            #expect(packument[path: "versions", "1.0.0", "dist", "signatures"] != nil)
            #expect(packument[path: "versions", "1.0.0", "dist", "attestations"] == nil)
        }
    }

    @Test func refusalsAreJSONErrorsAndLeaveNothingBehind() async throws {
        try await withPublishRegistry { registry, client in
            let alice = try registry.storage.tokens.mint(user: "alice")
            let bob = try registry.storage.tokens.mint(user: "bob")
            let (manifest, tarball) = try makePackage("widget", "1.0.0")
            let good = try publishBody("widget", "1.0.0", tarball: tarball, manifest: manifest)

            let anonymous = try await client.put("/widget", token: nil, json: good)
            #expect(anonymous.status == .unauthorized)
            #expect(try anonymous.json()["error"]?.stringValue?.contains("npm login") == true)
            #expect(try await client.put("/widget", token: "npm_wrong", json: good).status == .unauthorized)
            let expired = try registry.storage.tokens.mint(user: "alice", lifetime: -1)
            #expect(try await client.put("/widget", token: expired, json: good).status == .unauthorized)
            // An expired token is dropped at the next mint: the store does not grow with every exchange.
            let count = registry.storage.tokens.records.count
            _ = try registry.storage.tokens.mint(user: "alice", lifetime: 600)
            #expect(registry.storage.tokens.records.count == count)

            let wrongSum = try publishBody("widget", "1.0.0", tarball: tarball, manifest: manifest,
                                           integrity: TarballDigest(of: Data("other".utf8)).integrity)
            let mismatch = try await client.put("/widget", token: alice, json: wrongSum)
            #expect(mismatch.status == .badRequest)
            #expect(try mismatch.json()["error"]?.stringValue?.contains("does not match the attached tarball") == true)
            let malformed = try await client.put("/widget", headers: bearer(alice), body: ByteBuffer(string: "{\"versions\": [1, 2"))
            #expect(malformed.status == .badRequest)
            let deep = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
            #expect(try await client.put("/widget", headers: bearer(alice), body: ByteBuffer(string: deep)).status == .badRequest)
            let (badManifest, badTarball) = try makePackage("widget", "1.0")
            let badVersion = try publishBody("widget", "1.0", tarball: badTarball, manifest: badManifest)
            #expect(try await client.put("/widget", token: alice, json: badVersion).status == .badRequest)
            let otherName = try publishBody("gadget", "1.0.0", tarball: tarball, manifest: manifest)
            #expect(try await client.put("/widget", token: alice, json: otherName).status == .badRequest)
            #expect(try registry.storage.packument(for: PackageName("widget")) == nil, "no refused publish left a packument")
            let folder = registry.storage.directory.appendingPathComponent("packages/widget")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("tarballs/widget-1.0.0.tgz").path))

            #expect(try await client.put("/widget", token: alice, json: good).status == .created)
            let duplicate = try await client.put("/widget", token: alice, json: good)
            #expect(duplicate.status == .forbidden)
            #expect(try duplicate.json() == ["error": "You cannot publish over the previously published versions: 1.0.0."])
            let (next, nextTarball) = try makePackage("widget", "1.1.0")
            let notMaintainer = try await client.put("/widget", token: bob, json: publishBody("widget", "1.1.0", tarball: nextTarball, manifest: next))
            #expect(notMaintainer.status == .forbidden)
        }
    }

    @Test func scopedRightsAndTokenRestrictions() async throws {
        try await withPublishRegistry { registry, client in
            let (manifest, tarball) = try makePackage("@owned/thing", "1.0.0")
            let body = try publishBody("@owned/thing", "1.0.0", tarball: tarball, manifest: manifest)
            let bob = try registry.storage.tokens.mint(user: "bob")
            #expect(try await client.put("/@owned%2fthing", token: bob, json: body).status == .forbidden, "@owned is alice's")
            // Refused before the body is read: a malformed one is not even parsed (found by review).
            #expect(try await client.put("/@owned%2fthing", headers: bearer(bob), body: ByteBuffer(string: "{\"versions\": [1")).status == .forbidden)
            let elsewhere = try registry.storage.tokens.mint(user: "alice", restriction: "@other")
            #expect(try await client.put("/@owned%2fthing", token: elsewhere, json: body).status == .forbidden)
            let scoped = try registry.storage.tokens.mint(user: "alice", restriction: "@owned")
            #expect(try await client.put("/@owned%2fthing", token: scoped, json: body).status == .created)
            #expect(registry.storage.tokens.records.allSatisfy { $0.hash.count == 64 && !$0.hash.hasPrefix("npm_") })
        }
    }

    @Test func legacyLoginMintsAToken() async throws {
        try await withPublishRegistry { _, client in
            let login: JSONValue = ["_id": "org.couchdb.user:alice", "name": "alice", "password": "alice-password", "type": "user", "roles": []]
            let ok = try await client.put("/-/user/org.couchdb.user:alice", token: nil, json: login)
            #expect(ok.status == .created)
            let token = try #require(try ok.json()["token"]?.stringValue)
            #expect(try await client.get("/-/whoami", headers: bearer(token)).json() == ["username": "alice"])
            let wrong: JSONValue = ["name": "alice", "password": "nope"]
            #expect(try await client.put("/-/user/org.couchdb.user:alice", token: nil, json: wrong).status == .unauthorized)
            #expect(try await client.get("/-/whoami").status == .unauthorized)
        }
    }

    @Test func distTagsDeprecateAndUnpublish() async throws {
        try await withPublishRegistry { registry, client in
            let token = try registry.storage.tokens.mint(user: "alice")
            for version in ["1.0.0", "1.1.0"] {
                let (manifest, tarball) = try makePackage("widget", version)
                #expect(try await client.put("/widget", token: token, json: publishBody("widget", version, tarball: tarball, manifest: manifest)).status == .created)
            }
            #expect(try await client.put("/-/package/widget/dist-tags/beta", token: token, json: "1.0.0").status == .created)
            #expect(try await client.get("/-/package/widget/dist-tags").json() == ["latest": "1.1.0", "beta": "1.0.0"])
            #expect(try await client.delete("/-/package/widget/dist-tags/beta", headers: bearer(token), body: ByteBuffer()).status == .ok)
            #expect(try await client.get("/-/package/widget/dist-tags").json() == ["latest": "1.1.0"])

            var edited = try await client.get("/widget?write=true").json().objectValue ?? [:]
            var versions = edited["versions"]?.objectValue ?? [:]
            versions["1.0.0"] = .object((versions["1.0.0"]?.objectValue ?? [:]).merging(["deprecated": "use 1.1.0"]) { $1 })
            versions.removeValue(forKey: "1.1.0")
            edited["versions"] = .object(versions)
            let revision = try #require(edited["_rev"]?.stringValue)
            let stale = try await client.put("/widget/-rev/1-stale", token: token, json: .object(edited))
            #expect(stale.status == .conflict)
            #expect(try stale.json()["error"]?.stringValue?.contains("Document update conflict") == true)
            #expect(try await client.put("/widget/-rev/\(revision)", token: token, json: .object(edited)).status == .created)
            let after = try await client.get("/widget").json()
            #expect(after[path: "versions", "1.0.0", "deprecated"] == "use 1.1.0")
            #expect(after[path: "versions", "1.1.0"] == nil)
            #expect(after[path: "dist-tags", "latest"] == "1.0.0")
            #expect(try await client.delete("/widget/-/widget-1.1.0.tgz/-rev/2-x", headers: bearer(token), body: ByteBuffer()).status == .ok)
            #expect(try await client.get("/widget/-/widget-1.1.0.tgz").status == .notFound)
            let (again, againTarball) = try makePackage("widget", "1.1.0")
            let republish = try await client.put("/widget", token: token, json: publishBody("widget", "1.1.0", tarball: againTarball, manifest: again))
            #expect(republish.status == .forbidden, "an unpublished version can never be reused")

            // Found by review: deleting the whole package forgot its versions.
            let current = try #require(try await client.get("/widget?write=true").json()["_rev"]?.stringValue)
            #expect(try await client.delete("/widget/-rev/\(current)", headers: bearer(token), body: ByteBuffer()).status == .ok)
            #expect(try await client.get("/widget").status == .notFound)
            let (reused, reusedTarball) = try makePackage("widget", "1.0.0", dependencies: ["other": "^1.0.0"])
            let afterDelete = try await client.put("/widget", token: token, json: publishBody("widget", "1.0.0", tarball: reusedTarball, manifest: reused))
            #expect(afterDelete.status == .forbidden, "a deleted package's versions can never be reused")
            // Nor may anyone publish the name for 24 hours, as on npm's registry (found by review: another
            // user took it over at once).
            let (fresh, freshTarball) = try makePackage("widget", "2.0.0")
            let held = try await client.put("/widget", token: token, json: publishBody("widget", "2.0.0", tarball: freshTarball, manifest: fresh))
            #expect(held.status == .forbidden)
            #expect(try held.json()["error"]?.stringValue?.contains("until 24 hours later") == true)
            #expect(registry.storage.wasPublished(try PackageName("widget"), "1.1.0"), "the seeder skips what was deleted")
        }
    }
}
