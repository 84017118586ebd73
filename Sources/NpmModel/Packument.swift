public import FoundationEssentials
public import SafeJSON
import CodedError

/// A package document from the registry, full or abbreviated (`application/vnd.npm.install-v1+json`).
public struct Packument: Sendable {
    /// The media type npm asks for when it only needs install metadata.
    public static let abbreviatedMediaType = "application/vnd.npm.install-v1+json"
    /// npm's `Accept` header for install-time packument requests.
    public static let abbreviatedAccept = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*"
    /// npm's `Accept` for full documents (`npm audit signatures`, `npm view`).
    public static let fullAccept = "application/json"

    public let name: String
    public let distTags: [String: String]
    public let versions: [String: Manifest]
    /// `time[version]` publication dates (full documents only).
    public let time: [String: String]
    /// Versions left out, with the reason (a malformed entry, or one naming another package or version).
    public let skippedVersions: [String: String]

    /// Decodes a packument, skipping (and reporting) malformed versions rather than failing the package.
    public init(json: JSONValue, requestedName: String) throws {
        guard case .object = json else {
            throw NpmModelError(.malformedDocument, "packument for \(requestedName) is not a JSON object")
        }
        let name = json["name"]?.stringValue ?? requestedName
        guard name.utf8.elementsEqual(requestedName.utf8) else {  // bytes: a Kelvin sign is not a K
            throw NpmModelError(.malformedDocument, "packument requested for \(requestedName) names \(name)")
        }
        self.name = name
        distTags = json["dist-tags"]?.stringMap ?? [:]
        var versions: [String: Manifest] = [:]
        var skipped: [String: String] = [:]
        let entries = json["versions"]?.objectValue ?? [:]
        guard entries.count <= Self.maxVersions else {
            throw NpmModelError(.malformedDocument, "packument for \(requestedName) lists \(entries.count) versions, more than \(Self.maxVersions)")
        }
        for (version, entry) in entries {
            do {
                let manifest = try Manifest(json: entry, context: "packument \(name)")
                guard manifest.name.utf8.elementsEqual(name.utf8), manifest.version.utf8.elementsEqual(version.utf8) else {
                    skipped[version] = "packument \(name): versions[\(version)] describes \(manifest.name)@\(manifest.version)"
                    continue
                }
                versions[version] = manifest
            } catch {
                skipped[version] = "\(error)"
            }
        }
        // A few reasons say enough; thousands kept for the run cost memory (found by review: 80x).
        if skipped.count > Self.maxSkippedReasons {
            let shown = skipped.keys.sorted().prefix(Self.maxSkippedReasons)
            skipped = shown.reduce(into: ["…": "and \(skipped.count - shown.count) more malformed versions"]) { $0[$1] = skipped[$1] }
        }
        self.versions = versions
        skippedVersions = skipped
        time = json["time"]?.stringMap ?? [:]
    }

    /// Most versions one document may list (npm's largest packages have some thousands).
    public static let maxVersions = 100_000
    /// Most reasons kept for versions left out; the rest are counted.
    public static let maxSkippedReasons = 16
    /// Most JSON values one document may hold (npm's largest full documents hold some hundreds of thousands).
    public static let maxValues = 4_000_000

    public init(data: Data, requestedName: String) throws {
        let json: JSONValue
        do {
            json = try JSONValue.parse(data, maxValues: Self.maxValues)
        } catch {
            throw NpmModelError(.malformedDocument, "packument for \(requestedName) is not valid JSON: \(error)")
        }
        try self.init(json: json, requestedName: requestedName)
    }
}
