import Foundation
import SafeJSON

extension PackumentDocument {
    // MARK: - Maintainers

    /// The users listed in `maintainers`.
    var maintainerNames: [String] {
        (json["maintainers"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
    }

    /// Adds `{name, email}` to `maintainers` unless that name is already there.
    mutating func addMaintainer(_ user: JSONValue) {
        guard let name = user["name"]?.stringValue, !maintainerNames.contains(name) else { return }
        json["maintainers"] = .array((json["maintainers"]?.arrayValue ?? []) + [user])
    }

    // MARK: - Tags

    /// Removes a dist-tag (`latest` cannot be removed, as on npm's registry).
    mutating func removeTag(_ tag: String, at date: Date) {
        var distTags = self.distTags
        distTags.removeValue(forKey: tag)
        json["dist-tags"] = .object(distTags.mapValues { .string($0) })
        touch(date, seed: "rm " + tag)
    }

    // MARK: - Deprecate and unpublish

    /// Applies a client's edited packument (`npm deprecate`, `npm unpublish`): versions it
    /// lacks are removed (their `time` entry stays, so the version can never be reused),
    /// `deprecated` is taken from each remaining version (an empty string clears it), and
    /// dist-tags are taken from the body where they name a remaining version.
    ///
    /// - Returns: the versions removed.
    mutating func applyEdit(from body: [String: JSONValue], at date: Date) throws(RegistryError) -> [String] {
        let package = json["name"]?.stringValue ?? "<unknown>"
        guard let incoming = body["versions"]?.objectValue else {
            throw .invalidPublish(package: package, reason: "the body has no \"versions\" object")
        }
        let stored = self.versions
        if let unknown = incoming.keys.first(where: { stored[$0] == nil }) {
            throw .invalidPublish(package: package, reason: "version \(unknown) is not published; publish it with its tarball attachment")
        }
        var versions = self.versions
        let removed = versions.keys.filter { incoming[$0] == nil }.sorted()
        for version in removed { versions.removeValue(forKey: version) }
        for (version, document) in incoming {
            guard var stored = versions[version]?.objectValue else { continue }
            switch document["deprecated"] {
            case .string(let message) where !message.isEmpty: stored["deprecated"] = .string(message)
            case .string, .null, nil: stored.removeValue(forKey: "deprecated")
            default: throw .invalidPublish(package: package, reason: "versions[\"\(version)\"].deprecated must be a string")
            }
            versions[version] = .object(stored)
        }
        json["versions"] = .object(versions)

        var distTags = (body["dist-tags"]?.stringMap ?? self.distTags).filter { versions[$0.value] != nil }
        if distTags["latest"] == nil, let newest = versions.keys.max(by: { (time[$0] ?? "", $0) < (time[$1] ?? "", $1) }) {
            distTags["latest"] = newest
        }
        json["dist-tags"] = .object(distTags.mapValues { .string($0) })
        touch(date, seed: "edit " + removed.joined(separator: ","))
        return removed
    }

    /// Stamps `time.modified` and bumps `_rev`.
    private mutating func touch(_ date: Date, seed: String) {
        let stamp = Self.timestamp(date)
        var time = self.time
        time["modified"] = stamp
        json["time"] = .object(time.mapValues { .string($0) })
        let count = json["_rev"]?.stringValue?.split(separator: "-").first.flatMap { Int($0) } ?? 0
        json["_rev"] = .string("\(count + 1)-\(TarballDigest(of: Data((stamp + seed).utf8)).shasum.prefix(32))")
    }
}
