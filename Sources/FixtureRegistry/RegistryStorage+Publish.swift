import Foundation
import SafeJSON

extension RegistryStorage {
    // MARK: - Adding versions

    /// Stores a new version of a package, the way the registry does after `npm publish`.
    ///
    /// Fills `_id` (`name@version`), `dist.integrity` (SRI sha512), `dist.shasum`
    /// (hex SHA-1), `dist.fileCount`, `dist.unpackedSize` and `dist.tarball`
    /// (registry-relative; rendered absolute when served), keeps every other
    /// manifest field (and any other `dist` field, such as `signatures`), stamps
    /// `time`, and points `tags` at the version (`latest` too if the package has none yet).
    ///
    /// - Parameters:
    ///   - manifest: the package.json of the version (an object with `name` and `version`).
    ///   - tarball: the npm-style `.tgz` bytes.
    ///   - tags: dist-tags to point at this version, such as `["latest"]`.
    /// - Returns: the stored version document.
    /// - Throws: ``RegistryError/versionExists(package:version:)`` if the version is already stored,
    ///   or another ``RegistryError`` naming the bad field.
    @discardableResult
    public func addVersion(manifest: JSONValue, tarball: Data, tags: [String]) throws(RegistryError) -> JSONValue {
        guard var document = manifest.objectValue else {
            throw .invalidManifest(package: "<unknown>", reason: "the manifest must be a JSON object")
        }
        guard let rawName = document["name"]?.stringValue else {
            throw .invalidManifest(package: "<unknown>", reason: "the manifest has no string \"name\"")
        }
        let name = try PackageName(rawName)
        guard let version = document["version"]?.stringValue else {
            throw .invalidManifest(package: rawName, reason: "the manifest has no string \"version\"")
        }
        try PackageName.validate(version: version)
        for tag in tags { try Self.validate(tag: tag) }
        guard tarball.count <= RegistryLimits.maxTarballBytes else {
            throw .tarballTooLarge(package: rawName, version: version, bytes: tarball.count)
        }

        let digest = TarballDigest(of: tarball)
        let contents = try TarballContents(of: tarball, package: name, version: version)
        var dist = document["dist"]?.objectValue ?? [:]
        dist["integrity"] = .string(digest.integrity)
        dist["shasum"] = .string(digest.shasum)
        dist["tarball"] = .string(name.tarballPath(version: version))
        dist["fileCount"] = .number(Double(contents.fileCount))
        dist["unpackedSize"] = .number(Double(contents.unpackedSize))
        document["dist"] = .object(dist)
        document["_id"] = .string("\(name)@\(version)")
        let stored = document

        let date = now
        return try update(name) { packument throws(RegistryError) -> JSONValue in
            var current = packument ?? PackumentDocument(name: name)
            guard current.versions[version] == nil else { throw .versionExists(package: rawName, version: version) }
            try writeTarball(tarball, for: name, version: version)
            current.add(version: version, document: stored, tags: tags, at: date)
            packument = current
            return current.versions[version] ?? .object(stored)
        }
    }

    /// Points `tag` at an already stored version of `name`.
    public func setDistTag(_ tag: String, of name: PackageName, to version: String) throws(RegistryError) {
        try Self.validate(tag: tag)
        let date = now
        try update(name) { packument throws(RegistryError) in
            guard var current = packument else { throw .packageNotFound(name.description) }
            guard current.versions[version] != nil else { throw .versionNotFound(package: name.description, version: version) }
            current.setTag(tag, to: version, at: date)
            packument = current
        }
    }

    // MARK: - Validation

    /// A dist-tag is URL-safe and must not read as a version or range (npm refuses those).
    static func validate(tag: String) throws(RegistryError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        guard !tag.isEmpty, tag.count <= RegistryLimits.maxTagLength, tag.allSatisfy(allowed.contains) else {
            throw .invalidTag(tag, reason: "expected 1 to \(RegistryLimits.maxTagLength) of letters, digits and '-._~'")
        }
        guard let first = tag.first, !first.isNumber, !(first == "v" && tag.dropFirst().first?.isNumber == true) else {
            throw .invalidTag(tag, reason: "a tag must not look like a version")
        }
    }
}
