import Foundation
public import SafeJSON

extension RegistryStorage {
    // MARK: - Dist-tags

    /// Removes `tag` from `name` (`npm dist-tag rm`); `latest` cannot be removed.
    public func removeDistTag(_ tag: String, of name: PackageName) throws(RegistryError) {
        guard tag != "latest" else { throw .invalidTag(tag, reason: "the latest tag cannot be removed") }
        let date = now
        try update(name) { packument throws(RegistryError) in
            guard var current = packument else { throw .packageNotFound(name.description) }
            guard current.distTags[tag] != nil else { throw .invalidTag(tag, reason: "\(name) has no such dist-tag") }
            current.removeTag(tag, at: date)
            packument = current
        }
    }

    // MARK: - Deprecate and unpublish

    /// Applies a client-edited packument (`npm deprecate`, `npm unpublish <name>@<version>`).
    /// Removed versions' tarballs and attestations are deleted after the packument is written.
    ///
    /// - Returns: the versions removed.
    /// - Parameter revision: the `_rev` the client edited (from the URL or the body); a stale one is a 409.
    @discardableResult
    public func applyEdit(_ body: [String: JSONValue], to name: PackageName, revision: String? = nil) throws(RegistryError) -> [String] {
        let date = now
        let removed = try update(name) { packument throws(RegistryError) -> [String] in
            guard var current = packument else { throw .packageNotFound(name.description) }
            try Self.check(revision, of: current, name)
            let removed = try current.applyEdit(from: body, at: date)
            packument = current
            return removed
        }
        for version in removed { removeFiles(of: name, version: version) }
        return removed
    }

    /// Deletes a whole package (`npm unpublish <name>` of its last version ends here), under its
    /// lock, checking the revision and recording what ``unpublished(_:)`` keeps there too (found
    /// by review: outside the lock, a publish landing between the check and the removal was
    /// acknowledged, deleted unrecorded, and its version published again with other bytes).
    public func deletePackage(_ name: PackageName, revision: String? = nil) throws(RegistryError) {
        try removePackage(name) { current throws(RegistryError) in
            try Self.check(revision, of: current, name)
            try recordUnpublished(current, name)
        }
    }

    /// `<directory>/unpublished/<escaped name>.json`: a packument with no versions whose `time`
    /// names every version the deleted package ever had, and `unpublished` when it was deleted.
    private func unpublishedURL(_ name: PackageName) -> URL {
        directory.appendingPathComponent("unpublished/\(name.escaped).json", isDirectory: false)
    }

    /// What a deleted `name` leaves: the versions it had (npm never lets a name@version be
    /// published again) and when it was deleted (npm lets no one publish the name for 24 hours).
    /// nil when it was never deleted; a record that cannot be read fails closed.
    func unpublished(_ name: PackageName) throws(RegistryError) -> (versions: PackumentDocument, deleted: Date?)? {
        guard let data = try AtomicFile.read(unpublishedURL(name), limit: RegistryLimits.maxPackumentBytes) else { return nil }
        guard var json = (try? JSONValue.parse(data, maxDepth: RegistryLimits.maxJSONDepth))?.objectValue else {
            throw .storage(path: unpublishedURL(name).path, reason: "not a JSON object")
        }
        let deleted = json.removeValue(forKey: "unpublished")?.stringValue.flatMap { try? Date($0, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) }
        return (PackumentDocument(json: json), deleted)
    }

    private func recordUnpublished(_ document: PackumentDocument, _ name: PackageName) throws(RegistryError) {
        var time = try unpublished(name)?.versions.time ?? [:]
        for (version, date) in document.time where version != "created" && version != "modified" { time[version] = date }
        for version in document.versions.keys where time[version] == nil { time[version] = document.time["modified"] ?? "" }
        var kept = PackumentDocument(name: name)
        kept.json["time"] = .object(time.mapValues(JSONValue.string))
        kept.json["unpublished"] = .string(PackumentDocument.timestamp(now))
        do { try AtomicFile.write(try JSONValue.object(kept.json).serialized(), to: unpublishedURL(name)) } catch let error as RegistryError {
            throw error
        } catch {
            throw .storage(path: unpublishedURL(name).path, reason: "cannot record the unpublished versions: \(error)")
        }
    }

    /// A client's revision must be the current `_rev` (nil: not checked).
    static func check(_ revision: String?, of document: PackumentDocument, _ name: PackageName) throws(RegistryError) {
        guard let revision, let current = document.json["_rev"]?.stringValue, revision != current else { return }
        throw .revisionConflict(package: name.description, expected: revision, current: current)
    }

    /// Removes the tarball of a version no longer listed (unpublish's `DELETE …tgz/-rev/…`).
    public func deleteTarball(of name: PackageName, version: String) throws(RegistryError) {
        guard !hasVersion(name, version) else {
            throw .forbidden("\(name)@\(version) is still published; unpublish it from the packument first")
        }
        removeFiles(of: name, version: version)
    }

    private func removeFiles(of name: PackageName, version: String) {
        try? FileManager.default.removeItem(at: tarballURL(name, version: version))
        try? FileManager.default.removeItem(at: attestationsURL(name, version: version))
    }
}
