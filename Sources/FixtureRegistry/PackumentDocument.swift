import Foundation
public import SafeJSON

/// The stored (full) packument of one package and the pure edits made to it.
///
/// Stored `dist.tarball` values are registry-relative (`@scope/name/-/name-1.0.0.tgz`);
/// ``PackumentRenderer`` makes them absolute for the address the server bound.
/// Unknown fields of manifests are kept as they came.
public struct PackumentDocument: Sendable, Hashable {
    /// The document as stored.
    public internal(set) var json: [String: JSONValue]

    /// An empty packument for `name`.
    public init(name: PackageName) {
        json = ["_id": .string(name.description), "name": .string(name.description), "dist-tags": [:], "versions": [:], "time": [:]]
    }

    /// Wraps a stored document.
    public init(json: [String: JSONValue]) { self.json = json }

    /// `versions`: version → version document.
    public var versions: [String: JSONValue] { json["versions"]?.objectValue ?? [:] }
    /// `dist-tags`: tag → version.
    public var distTags: [String: String] { json["dist-tags"]?.stringMap ?? [:] }
    /// `time`: `created`, `modified` and one ISO date per version.
    public var time: [String: String] { json["time"]?.stringMap ?? [:] }

    /// Whether `version` was ever published here (its `time` entry outlives an unpublish), build
    /// metadata ignored as npm's registry ignores it: `1.0.0+b` is `1.0.0` again.
    func holds(_ version: String) -> Bool {
        func precedence(_ text: String) -> Substring { text.prefix { $0 != "+" } }
        let wanted = precedence(version)
        return versions.keys.contains { precedence($0) == wanted }
            || time.keys.contains { $0 != "created" && $0 != "modified" && precedence($0) == wanted }
    }

    // MARK: - Edits

    /// Top-level fields the registry copies from the `latest` version (`maintainers` is the
    /// registry's own list of who may publish, so it is never overwritten from a manifest).
    static let liftedFromLatest = ["description", "readme", "readmeFilename", "repository", "license", "homepage",
                                   "keywords", "bugs", "author", "contributors"]
    /// Script names that make npm's abbreviated documents say `hasInstallScript`.
    static let installScripts = ["preinstall", "install", "postinstall"]

    /// Adds a version document (already carrying `_id` and `dist`), points `tags` at it and stamps `time`.
    ///
    /// When no tag is given and the package has no `latest` yet, `latest` points at this version,
    /// like a first `npm publish`.
    mutating func add(version: String, document: [String: JSONValue], tags: [String], at date: Date) {
        var versionDoc = document
        if versionDoc["hasInstallScript"] == nil,
           let scripts = versionDoc["scripts"]?.objectValue, Self.installScripts.contains(where: { scripts[$0] != nil }) {
            versionDoc["hasInstallScript"] = true
        }
        let readme = versionDoc.removeValue(forKey: "readme")
        var versions = self.versions
        versions[version] = .object(versionDoc)
        json["versions"] = .object(versions)

        var distTags = self.distTags
        for tag in tags { distTags[tag] = version }
        if distTags["latest"] == nil { distTags["latest"] = version }
        json["dist-tags"] = .object(distTags.mapValues { .string($0) })

        let stamp = Self.timestamp(date)
        var time = self.time
        time["created"] = time["created"] ?? stamp
        time["modified"] = stamp
        time[version] = stamp
        json["time"] = .object(time.mapValues { .string($0) })

        if distTags["latest"] == version {
            liftFields(from: versionDoc)
            if let readme { json["readme"] = readme }
        }
        bumpRevision(stamp + version)
    }

    /// Points a dist-tag at an existing version.
    mutating func setTag(_ tag: String, to version: String, at date: Date) {
        var distTags = self.distTags
        distTags[tag] = version
        json["dist-tags"] = .object(distTags.mapValues { .string($0) })
        if tag == "latest", let versionDoc = versions[version]?.objectValue { liftFields(from: versionDoc) }
        let stamp = Self.timestamp(date)
        var time = self.time
        time["modified"] = stamp
        json["time"] = .object(time.mapValues { .string($0) })
        bumpRevision(stamp + tag + version)
    }

    /// Copies the top-level fields (description, repository, …) of the `latest` version.
    private mutating func liftFields(from versionDoc: [String: JSONValue]) {
        for key in Self.liftedFromLatest where key != "readme" { json[key] = versionDoc[key] }
    }

    /// CouchDB-style `_rev`: an edit counter and a digest, changed by every edit.
    private mutating func bumpRevision(_ seed: String) {
        let count = json["_rev"]?.stringValue?.split(separator: "-").first.flatMap { Int($0) } ?? 0
        json["_rev"] = .string("\(count + 1)-\(TarballDigest(of: Data(seed.utf8)).shasum.prefix(32))")
    }

    /// npm's timestamp form: ISO 8601 in UTC with milliseconds (`2024-05-01T12:00:00.000Z`).
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
