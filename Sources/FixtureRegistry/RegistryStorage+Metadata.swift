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

    /// Deletes a whole package (`npm unpublish <name>` of its last version ends here).
    public func deletePackage(_ name: PackageName, revision: String? = nil) throws(RegistryError) {
        if let current = try packument(for: name) { try Self.check(revision, of: current, name) }
        try removePackage(name)
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
