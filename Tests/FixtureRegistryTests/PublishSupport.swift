import FixtureTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import SafeJSON
@testable import FixtureRegistry

/// npm's `PUT /<name>` body (libnpmpublish `buildMetadata`) for one version, built by the test.
func publishBody(_ name: String, _ version: String, tarball: Data, manifest: JSONValue, tag: String = "latest",
                 integrity: String? = nil, provenance: JSONValue? = nil) throws -> JSONValue {
    let digest = TarballDigest(of: tarball)
    var versionDoc = manifest.objectValue ?? [:]
    versionDoc["_id"] = .string("\(name)@\(version)")
    versionDoc["dist"] = ["integrity": .string(integrity ?? digest.integrity), "shasum": .string(digest.shasum),
                          "tarball": .string("http://127.0.0.1/\(name)/-/\(name)-\(version).tgz")]
    let stem = name.split(separator: "/").last.map(String.init) ?? name
    var attachments: [String: JSONValue] = [
        "\(stem)-\(version).tgz": ["content_type": "application/octet-stream", "data": .string(tarball.base64EncodedString()),
                                   "length": .number(Double(tarball.count))],
    ]
    if let provenance {
        let text = String(decoding: try provenance.serialized(), as: UTF8.self)
        attachments["\(stem)-\(version).sigstore"] = ["content_type": "application/vnd.dev.sigstore.bundle+json;version=0.2",
                                                      "data": .string(text), "length": .number(Double(text.count))]
    }
    return [
        "_id": .string(name), "name": .string(name), "dist-tags": [tag: .string(version)],
        "versions": [version: .object(versionDoc)], "access": .null, "_attachments": .object(attachments),
    ]
}

/// Headers with a bearer token and a JSON content type.
func bearer(_ token: String) -> HTTPFields {
    [.authorization: "Bearer \(token)", .contentType: "application/json"]
}

extension TestClient {
    /// `PUT` of a JSON value.
    func put(_ uri: String, token: String?, json: JSONValue) async throws -> TestClient.Response {
        try await put(uri, headers: token.map(bearer) ?? [.contentType: "application/json"],
                      body: ByteBuffer(bytes: try json.serialized()))
    }
}

/// A package folder on disk for the real npm to publish: package.json and index.js.
func writePackageFolder(_ folder: URL, name: String, version: String) throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let manifest: JSONValue = ["name": .string(name), "version": .string(version), "main": "index.js", "license": "MIT",
                               "description": "published by a fixture-registry test"]
    try manifest.serialized(pretty: true).write(to: folder.appendingPathComponent("package.json"))
    try Data("module.exports = \"\(name)@\(version)\";\n".utf8).write(to: folder.appendingPathComponent("index.js"))
}

/// The test-only access config the publish tests run with.
let testConfig = RegistryConfig(
    users: ["alice": .init(password: "alice-password", email: "alice@fixture.test"), "bob": .init(password: "bob-password")],
    publishers: ["@owned": ["alice"]]
)

/// Runs `body` against a live, empty registry using ``testConfig``.
func withPublishRegistry<T: Sendable>(
    _ body: @escaping @Sendable (RunningRegistry, TestClient) async throws -> T
) async throws -> T {
    try await withScratch { folder in
        try await serve(try RegistryStorage(directory: folder.appendingPathComponent("storage"), config: testConfig), body)
    }
}
