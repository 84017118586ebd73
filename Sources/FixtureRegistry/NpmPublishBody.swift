public import Foundation
public import SafeJSON

/// Builds the `PUT /<name>` body `npm publish` sends (libnpmpublish `buildMetadata`), so that
/// publishers inside this package (the seed loader) take the same path as the npm CLI.
public enum NpmPublishBody {
    /// The body for one version: `versions` with `_id` and `dist` (integrity, shasum),
    /// `dist-tags` for `tags`, and the base64 tarball in `_attachments`.
    public static func make(manifest: [String: JSONValue], tarball: Data, tags: [String],
                            provenance: JSONValue? = nil) throws(RegistryError) -> [String: JSONValue] {
        guard let name = manifest["name"]?.stringValue, let version = manifest["version"]?.stringValue else {
            throw .invalidManifest(package: manifest["name"]?.stringValue ?? "<unknown>", reason: "the manifest needs string \"name\" and \"version\"")
        }
        let package = try PackageName(name)
        let digest = TarballDigest(of: tarball)
        var versionDoc = manifest
        versionDoc["_id"] = .string("\(name)@\(version)")
        versionDoc["dist"] = ["integrity": .string(digest.integrity), "shasum": .string(digest.shasum),
                              "tarball": .string(package.tarballPath(version: version))]
        var attachments: [String: JSONValue] = [
            package.tarballFileName(version: version): [
                "content_type": "application/octet-stream", "data": .string(tarball.base64EncodedString()),
                "length": .number(Double(tarball.count)),
            ],
        ]
        if let provenance {
            let text: String
            do { text = String(decoding: try provenance.serialized(), as: UTF8.self) } catch {
                throw .invalidPublish(package: name, reason: "cannot serialise the provenance bundle: \(error)")
            }
            attachments["\(package.unscoped)-\(version).sigstore"] = [
                "content_type": .string(provenance["mediaType"]?.stringValue ?? "application/json"),
                "data": .string(text), "length": .number(Double(text.utf16.count)),
            ]
        }
        return [
            "_id": .string(name), "name": .string(name), "access": .null,
            "dist-tags": .object(Dictionary(uniqueKeysWithValues: tags.map { ($0, .string(version)) })),
            "versions": [version: .object(versionDoc)],
            "_attachments": .object(attachments),
        ]
    }
}
