// MARK: - Picking errors

/// Why `ManifestPicker.pick` found nothing, with what was asked for and what was available.
public struct ManifestPickError: Error, CustomStringConvertible, Equatable, Sendable {
    /// npm's error codes where npm has one.
    public enum Code: String, Sendable {
        /// No published version satisfies the spec, or the tag or exact version is missing.
        case noMatchingVersion = "ETARGET"
        /// The package has no versions at all.
        case noVersionsAvailable = "ENOVERSIONS"
        /// Not a version or range, and not usable as a dist-tag name.
        case invalidTagName = "EINVALIDTAGNAME"
        /// A git, file, URL or alias spec, which is not resolved from the registry.
        case unsupportedSpec = "EUNSUPPORTEDSPEC"
    }

    public let code: Code
    /// The spec as given.
    public let wanted: String
    /// The candidate versions, in the order given.
    public let availableVersions: [String]
    public let distTags: [String: String]

    public init(_ code: Code, wanted: String, versions: [String], distTags: [String: String]) {
        self.code = code
        self.wanted = wanted
        self.availableVersions = versions
        self.distTags = distTags
    }

    public var description: String {
        let spec = "\"\(wanted)\""
        let problem = switch code {
        case .noMatchingVersion: "No matching version found for \(spec)"
        case .noVersionsAvailable: "No versions available for \(spec)"
        case .invalidTagName: "Invalid tag name \(spec): tags may not have any characters that encodeURIComponent encodes"
        case .unsupportedSpec: "Unsupported spec \(spec): only tags, versions and ranges are resolved from the registry"
        }
        let shown = availableVersions.prefix(40).joined(separator: ", ")
        let more = availableVersions.count > 40 ? ", … (\(availableVersions.count) in all)" : ""
        let versions = availableVersions.isEmpty ? "none" : shown + more
        let tags = distTags.isEmpty ? "none" : distTags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        return "\(problem) (\(code.rawValue)); available versions: \(versions); dist-tags: \(tags)"
    }
}
