public import Foundation
public import SafeJSON

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
        guard let document = manifest.objectValue else {
            throw .invalidManifest(package: "<unknown>", reason: "the manifest must be a JSON object")
        }
        return try store(manifest: document, tarball: tarball, tags: tags)
    }

    /// Publishes one version from npm's `PUT /<name>` body: the single path every publish takes.
    ///
    /// Stores the tarball, the provenance bundle (if any) with the registry's publish
    /// attestation, then the packument, under the storage lock; a failure removes
    /// whatever this publish wrote, so nothing of it is left.
    @discardableResult
    func publish(_ request: PublishRequest, by user: AuthenticatedUser, registryURL: String) throws(RegistryError) -> JSONValue {
        var manifest = request.manifest
        var npmUser: [String: JSONValue] = ["name": .string(user.name)]
        if let email = tokens.email(of: user.name) { npmUser["email"] = .string(email) }
        manifest["_npmUser"] = .object(npmUser)
        // The registry alone says where attestations are: a client's `dist.attestations` advertised
        // provenance that did not exist (found by review).
        if case .object(var dist)? = manifest["dist"] {
            dist["attestations"] = nil
            manifest["dist"] = .object(dist)
        }
        return try store(manifest: manifest, tarball: request.tarball, tags: request.tags, publisher: .object(npmUser),
                         provenance: request.provenance, registryURL: registryURL)
    }

    /// Publishes npm's `PUT /<name>` body as `user`: the checks and storage of a publish over
    /// HTTP, for in-process publishers such as the seed loader.
    @discardableResult
    public func publish(body: [String: JSONValue], by user: AuthenticatedUser,
                        registryURL: String = "fixture-registry") throws(RegistryError) -> JSONValue {
        guard let rawName = body["name"]?.stringValue else {
            throw .invalidPublish(package: "<unknown>", reason: "the body has no string \"name\"")
        }
        return try publish(PublishRequest(body: body, for: PackageName(rawName)), by: user, registryURL: registryURL)
    }

    /// Fills `dist`, signs, and writes files then packument (see ``addVersion(manifest:tarball:tags:)``).
    private func store(manifest: [String: JSONValue], tarball: Data, tags: [String], publisher: JSONValue? = nil,
                       provenance: Data? = nil, registryURL: String = "fixture-registry") throws(RegistryError) -> JSONValue {
        var document = manifest
        let (rawName, name, version) = try Self.identity(of: document, tags: tags, tarball: tarball)
        let digest = TarballDigest(of: tarball)
        document["dist"] = .object(try signedDist(document["dist"]?.objectValue ?? [:], name: name, version: version,
                                                  tarball: tarball, digest: digest))
        document["_id"] = .string("\(name)@\(version)")
        // Attested (and logged in Rekor) only once the version is known to be new, under its lock:
        // a refused publish leaves no registry-signed statement about bytes it never served.
        let attest = { [manifest = document] () throws(RegistryError) -> (dist: JSONValue, document: JSONValue)? in
            guard let provenance else { return nil }
            return try self.attest(provenance, manifest: manifest, package: rawName, name: name, version: version,
                                   digest: digest, registryURL: registryURL)
        }
        return try commit(document, rawName: rawName, name: name, version: version, tags: tags, tarball: tarball,
                          attest: attest, publisher: publisher)
    }

    /// The manifest's name and version, checked with the tags and the tarball's size.
    private static func identity(of document: [String: JSONValue], tags: [String],
                                 tarball: Data) throws(RegistryError) -> (rawName: String, name: PackageName, version: String) {
        guard let rawName = document["name"]?.stringValue else {
            throw .invalidManifest(package: "<unknown>", reason: "the manifest has no string \"name\"")
        }
        let name = try PackageName(rawName)
        guard let version = document["version"]?.stringValue else {
            throw .invalidManifest(package: rawName, reason: "the manifest has no string \"version\"")
        }
        try PackageName.validate(version: version)
        for tag in tags { try validate(tag: tag) }
        guard tarball.count <= RegistryLimits.maxTarballBytes else {
            throw .tarballTooLarge(package: rawName, version: version, bytes: tarball.count)
        }
        return (rawName, name, version)
    }

    /// `dist` with the registry's digests, file count, size, tarball path and signature.
    private func signedDist(_ dist: [String: JSONValue], name: PackageName, version: String, tarball: Data,
                            digest: TarballDigest) throws(RegistryError) -> [String: JSONValue] {
        var dist = dist
        let contents = try TarballContents(of: tarball, package: name, version: version)
        dist["integrity"] = .string(digest.integrity)
        dist["shasum"] = .string(digest.shasum)
        dist["tarball"] = .string(name.tarballPath(version: version))
        dist["fileCount"] = .number(Double(contents.fileCount))
        dist["unpackedSize"] = .number(Double(contents.unpackedSize))
        let (keyid, signature) = try keyring.sign(Data("\(name)@\(version):\(digest.integrity)".utf8))
        dist["signatures"] = [["keyid": .string(keyid), "sig": .string(signature)]]
        return dist
    }

    /// How long npm keeps a fully unpublished name from being published again.
    static let unpublishedNameHold: TimeInterval = 24 * 3600

    /// Under the package's lock: refuses a used version, attests, writes the tarball and
    /// attestations (removed again on failure), then adds the version to the packument.
    private func commit(_ document: [String: JSONValue], rawName: String, name: PackageName, version: String, tags: [String],
                        tarball: Data, attest: () throws(RegistryError) -> (dist: JSONValue, document: JSONValue)?,
                        publisher: JSONValue?) throws(RegistryError) -> JSONValue {
        let date = now
        return try update(name) { packument throws(RegistryError) -> JSONValue in
            if packument == nil { try name.validateForNewPackage() }
            // A deleted package's versions stay used (its new packument starts from their `time`),
            // and for 24 hours no one may publish the name, as on npm's registry (found by review:
            // another user took it over milliseconds after the delete).
            let deleted = packument == nil ? try unpublished(name) : nil
            if let at = deleted?.deleted, date.timeIntervalSince(at) < Self.unpublishedNameHold {
                throw .forbidden("\(name) was unpublished at \(PackumentDocument.timestamp(at)); npm lets no one publish it again until 24 hours later")
            }
            var current = packument ?? deleted?.versions ?? PackumentDocument(name: name)
            // npm never lets a name@version be reused, not even after an unpublish (its `time` entry
            // stays), and ignores build metadata: 1.0.0+b is 1.0.0 again.
            guard !current.holds(version) else { throw .versionExists(package: rawName, version: version) }
            var stored = document
            let attested = try attest()
            if let attested, case .object(var dist)? = stored["dist"] {
                dist["attestations"] = attested.dist
                stored["dist"] = .object(dist)
            }
            try writeFiles(tarball: tarball, attestations: attested?.document, name: name, version: version)
            current.add(version: version, document: stored, tags: tags, at: date)
            if let publisher { current.addMaintainer(publisher) }
            packument = current
            return current.versions[version] ?? .object(stored)
        }
    }

    /// Writes the tarball and the attestations document; a failure removes whatever was written.
    private func writeFiles(tarball: Data, attestations: JSONValue?, name: PackageName, version: String) throws(RegistryError) {
        var written: [URL] = []
        do throws(RegistryError) {
            try writeTarball(tarball, for: name, version: version)
            written.append(tarballURL(name, version: version))
            // A file left by a publish killed before its packument names bytes that are gone.
            if attestations == nil { try? FileManager.default.removeItem(at: attestationsURL(name, version: version)) }
            if let attestations {
                let data: Data
                do { data = try attestations.serialized() } catch {
                    throw RegistryError.storage(path: attestationsURL(name, version: version).path, reason: "\(error)")
                }
                try AtomicFile.write(data, to: attestationsURL(name, version: version))
                written.append(attestationsURL(name, version: version))
            }
        } catch {
            for url in written { try? FileManager.default.removeItem(at: url) }
            throw error
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
