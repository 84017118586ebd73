import Foundation
import Hummingbird
import HummingbirdTesting
import SafeJSON
import Testing
@testable import FixtureRegistry

/// Writes with hostile input: each a clear 4xx with a JSON error, and nothing changed on disk.
@Suite("Hostile writes are refused and change nothing")
struct HostileInputTests {
    /// Every file under the storage's `packages` folder.
    static func packageFiles(_ storage: RegistryStorage) -> [String] {
        let root = storage.directory.appendingPathComponent("packages")
        return (FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? []).sorted()
    }

    @Test(arguments: ["/..%2f..%2fetc", "/%2e%2e", "/%2E%2E%2fwidget", "/@scope/..", "/.widget", "/wid%00get", "/a/b/c/d"])
    func pathTricksInPublishURLs(path: String) async throws {
        try await withPublishRegistry { registry, client in
            let token = try registry.storage.tokens.mint(user: "alice")
            let (manifest, tarball) = try makePackage("widget", "1.0.0")
            let response = try await client.put(path, token: token, json: publishBody("widget", "1.0.0", tarball: tarball, manifest: manifest))
            #expect([400, 404, 405].contains(response.status.code), "\(path) → \(response.status)")
            #expect(try response.json()["error"]?.stringValue != nil)
            #expect(Self.packageFiles(registry.storage).isEmpty)
        }
    }

    @Test func badBodiesAreRefusedWithNothingStored() async throws {
        try await withPublishRegistry { registry, client in
            let token = try registry.storage.tokens.mint(user: "alice")
            let (manifest, tarball) = try makePackage("widget", "1.0.0")
            let good = try publishBody("widget", "1.0.0", tarball: tarball, manifest: manifest).objectValue ?? [:]
            var cases: [(String, JSONValue)] = []

            var traversal = good
            traversal["versions"] = ["../../x": manifest]
            cases.append(("version with ../", .object(traversal)))
            var wrongLength = good
            wrongLength["_attachments"] = ["widget-1.0.0.tgz": ["data": .string(tarball.base64EncodedString()), "length": 3]]
            cases.append(("attachment length", .object(wrongLength)))
            var notBase64 = good
            notBase64["_attachments"] = ["widget-1.0.0.tgz": ["data": "***not base64***"]]
            cases.append(("attachment not base64", .object(notBase64)))
            let garbage = Data("this is not a gzip tarball".utf8)
            cases.append(("not a tarball", try publishBody("widget", "1.0.0", tarball: garbage, manifest: manifest)))
            var noAttachment = good
            noAttachment["_attachments"] = [:]
            cases.append(("no attachment (an edit of a package that does not exist)", .object(noAttachment)))
            cases.append(("array body", [1, 2, 3]))

            for (label, body) in cases {
                let response = try await client.put("/widget", token: token, json: body)
                #expect((400..<500).contains(response.status.code), "\(label) → \(response.status)")
                #expect(try response.json()["error"]?.stringValue != nil, "\(label)")
            }
            #expect(Self.packageFiles(registry.storage).isEmpty, "\(Self.packageFiles(registry.storage))")
        }
    }

    /// Found by review: listing a published tarball inflated it without a limit, so a 4 MB gzip bomb
    /// declaring a 4 GiB file held a registry thread for 15 s and was stored. Refused from its header.
    @Test func aTarballDeclaringMoreThanTheRegistryUnpacksIsRefused() async throws {
        try await withPublishRegistry { registry, client in
            let token = try registry.storage.tokens.mint(user: "alice")
            let (manifest, _) = try makePackage("widget", "1.0.0")
            var header = [UInt8](repeating: 0, count: 512)
            func put(_ text: String, at offset: Int) { header.replaceSubrange(offset..<offset + text.utf8.count, with: Array(text.utf8)) }
            put("package/zeros", at: 0)
            put("0000644\u{0}", at: 100)
            put(String(String(4 << 30, radix: 8).reversed()).padding(toLength: 11, withPad: "0", startingAt: 0).reversed() + "\u{0}", at: 124)
            put("0", at: 156)
            put("ustar\u{0}00", at: 257)
            put("        ", at: 148)
            let sum = header.reduce(0) { $0 + Int($1) }
            put(String(format: "%06o\u{0} ", sum), at: 148)
            // (A plain tar: the listing reads either, and the header alone must be refused.)
            let tar = Data(header + [UInt8](repeating: 0, count: 4096))
            let response = try await client.put("/widget", token: token, json: try publishBody("widget", "1.0.0", tarball: tar, manifest: manifest))
            #expect(response.status == .badRequest, "\(response.status)")
            let error = try response.json()["error"]?.stringValue ?? ""
            #expect(error.contains("over the limit of 536870912 per file"), "\(error)")
            #expect(Self.packageFiles(registry.storage).isEmpty, "\(Self.packageFiles(registry.storage))")
        }
    }

    @Test func oversizeBodiesAre413() async throws {
        try await withPublishRegistry { registry, client in
            let token = try registry.storage.tokens.mint(user: "alice")
            let huge = ByteBuffer(repeating: UInt8(ascii: "a"), count: RegistryLimits.maxSmallBodyBytes + 1)
            // Found by review: anonymous dist-tag bodies were read and parsed before any check.
            let anonymous = try await client.put("/-/package/widget/dist-tags/beta", headers: [:], body: huge)
            #expect(anonymous.status == .unauthorized)
            let tag = try await client.put("/-/package/widget/dist-tags/beta", headers: bearer(token), body: huge)
            #expect(tag.status == .contentTooLarge)
            #expect(try tag.json()["error"]?.stringValue?.contains("exceeds the limit") == true)
            let login = try await client.put("/-/user/org.couchdb.user:alice", headers: [.contentType: "application/json"], body: huge)
            #expect(login.status == .contentTooLarge)
            #expect(Self.packageFiles(registry.storage).isEmpty)
        }
    }
}
