import Crypto
import Foundation
import SafeJSON
import Semver

/// One version as `npm publish` sends it (`PUT /<name>`, libnpmpublish's body),
/// checked: the name and version agree everywhere, the version is semver, and
/// the base64 tarball attachment matches the manifest's `integrity`, `shasum` and `length`.
struct PublishRequest: Sendable {
    let name: PackageName
    let version: String
    /// The version document as sent (npm's normalised package.json plus `_id`, `dist`, …).
    let manifest: [String: JSONValue]
    let tarball: Data
    /// Dist-tags the body points at this version (npm sends `{"<tag>": "<version>"}`).
    let tags: [String]
    /// The `.sigstore` provenance bundle (JSON bytes), when published with `--provenance`.
    let provenance: Data?

    /// Whether a `PUT /<name>` body is a publish (it carries a tarball attachment)
    /// rather than a metadata edit (deprecate, unpublish).
    static func isPublish(_ body: [String: JSONValue]) -> Bool {
        (body["_attachments"]?.objectValue ?? [:]).keys.contains { $0.hasSuffix(".tgz") }
    }

    /// Checks `body` against the package named by the URL.
    init(body: [String: JSONValue], for name: PackageName) throws(RegistryError) {
        let package = name.description
        for key in ["_id", "name"] {
            if let value = body[key], value.stringValue != package {
                throw .invalidPublish(package: package, reason: "\"\(key)\" is \(value), expected \"\(package)\" as in the URL")
            }
        }
        guard let versions = body["versions"]?.objectValue, versions.count == 1, let (version, document) = versions.first,
              var manifest = document.objectValue else {
            throw .invalidPublish(package: package, reason: "\"versions\" must hold exactly one version object")
        }
        guard SemanticVersion(version) != nil, (try? PackageName.validate(version: version)) != nil else {
            throw .invalidVersion(version, reason: "not a valid semver version (\(package))")
        }
        guard manifest["name"]?.stringValue == package else {
            throw .invalidPublish(package: package, reason: "versions[\"\(version)\"].name must be \"\(package)\"")
        }
        guard manifest["version"]?.stringValue == version else {
            throw .invalidPublish(package: package, reason: "versions[\"\(version)\"].version must be \"\(version)\"")
        }
        if let id = manifest["_id"], id.stringValue != "\(package)@\(version)" {
            throw .invalidPublish(package: package, reason: "versions[\"\(version)\"]._id must be \"\(package)@\(version)\"")
        }
        let attachments = body["_attachments"]?.objectValue ?? [:]
        let tarballs = attachments.filter { $0.key.hasSuffix(".tgz") }
        guard tarballs.count == 1, let attachment = tarballs.first?.value.objectValue else {
            throw .invalidPublish(package: package, reason: "\"_attachments\" must hold exactly one .tgz attachment")
        }
        guard let base64 = attachment["data"]?.stringValue, let tarball = Data(base64Encoded: base64), !tarball.isEmpty else {
            throw .invalidPublish(package: package, reason: "the .tgz attachment's \"data\" is not base64")
        }
        if let length = attachment["length"], length.numberValue != Double(tarball.count) {
            throw .integrityMismatch(package: package, version: version,
                                     reason: "attachment length is \(length) but the data holds \(tarball.count) bytes")
        }
        try Self.check(tarball, against: manifest["dist"]?.objectValue ?? [:], package: package, version: version)
        manifest.removeValue(forKey: "_attachments")

        self.name = name
        self.version = version
        self.manifest = manifest
        self.tarball = tarball
        tags = (body["dist-tags"]?.objectValue ?? [:]).filter { $0.value.stringValue == version }.map(\.key).sorted()
        provenance = try Self.provenance(in: attachments, package: package, version: version)
    }

    // MARK: - Checks

    /// Every digest the manifest claims (`dist.integrity`, any SRI algorithm we know; `dist.shasum`) must match.
    static func check(_ tarball: Data, against dist: [String: JSONValue], package: String, version: String) throws(RegistryError) {
        let digest = TarballDigest(of: tarball)
        var checked = 0
        for entry in (dist["integrity"]?.stringValue ?? "").split(whereSeparator: \.isWhitespace) {
            let parts = entry.split(separator: "?")[0].split(separator: "-", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let expected: String? = switch parts[0] {
            case "sha512": String(digest.integrity.dropFirst("sha512-".count))
            case "sha256": Data(SHA256.hash(data: tarball)).base64EncodedString()
            case "sha1": Data(Insecure.SHA1.hash(data: tarball)).base64EncodedString()
            default: nil
            }
            guard let expected else { continue }
            guard expected == parts[1] else {
                throw .integrityMismatch(package: package, version: version,
                                         reason: "dist.integrity \(entry) does not match the attached tarball (\(digest.integrity))")
            }
            checked += 1
        }
        if let shasum = dist["shasum"]?.stringValue {
            guard shasum.lowercased() == digest.shasum else {
                throw .integrityMismatch(package: package, version: version,
                                         reason: "dist.shasum \(shasum) does not match the attached tarball (\(digest.shasum))")
            }
            checked += 1
        }
        guard checked > 0 else {
            throw .integrityMismatch(package: package, version: version, reason: "the manifest has no dist.integrity or dist.shasum")
        }
    }

    /// The `.sigstore` attachment: a JSON string (not base64) holding a Sigstore bundle.
    private static func provenance(in attachments: [String: JSONValue], package: String, version: String) throws(RegistryError) -> Data? {
        let bundles = attachments.filter { $0.key.hasSuffix(".sigstore") }
        guard let attachment = bundles.first?.value.objectValue else { return nil }
        guard bundles.count == 1, let text = attachment["data"]?.stringValue else {
            throw .invalidPublish(package: package, reason: "the .sigstore attachment's \"data\" must be the bundle JSON as a string")
        }
        let data = Data(text.utf8)
        guard data.count <= RegistryLimits.maxProvenanceBytes else { throw .bodyTooLarge(limit: RegistryLimits.maxProvenanceBytes) }
        guard (try? JSONValue.parse(data, maxDepth: RegistryLimits.maxJSONDepth))?.objectValue?["mediaType"]?.stringValue != nil else {
            throw .invalidPublish(package: package, reason: "the .sigstore attachment of \(version) is not a Sigstore bundle (no mediaType)")
        }
        return data
    }
}
