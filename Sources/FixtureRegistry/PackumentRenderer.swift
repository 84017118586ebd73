import Foundation
public import SafeJSON

/// Turns stored packuments into the documents the registry serves: the full
/// form (`application/json`) and npm's abbreviated "corgi" form
/// (`application/vnd.npm.install-v1+json`), with absolute tarball URLs for
/// the address the server actually bound.
public struct PackumentRenderer: Sendable {
    /// The registry's base URL including its path prefix, with a trailing slash.
    public let baseURL: String

    public init(baseURL: String) {
        self.baseURL = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
    }

    /// Version fields the abbreviated form keeps (npm/registry's package-metadata.md,
    /// plus the install-relevant extras the live registry is reported to keep).
    static let abbreviatedVersionFields: Set<String> = [
        "name", "version", "deprecated", "dependencies", "optionalDependencies", "devDependencies",
        "bundleDependencies", "bundledDependencies", "peerDependencies", "peerDependenciesMeta", "bin",
        "directories", "dist", "engines", "_hasShrinkwrap", "hasInstallScript", "os", "cpu", "libc",
    ]

    // MARK: - Documents

    /// The full packument: every stored field, tarball URLs made absolute.
    public func full(_ document: PackumentDocument) -> JSONValue {
        var json = document.json
        json["versions"] = .object(document.versions.mapValues(absolutise))
        return .object(json)
    }

    /// The abbreviated packument: `name`, `modified`, `dist-tags` and trimmed `versions`.
    public func abbreviated(_ document: PackumentDocument) -> JSONValue {
        let versions = document.versions.mapValues { version -> JSONValue in
            guard let object = version.objectValue else { return version }
            return absolutise(.object(object.filter { Self.abbreviatedVersionFields.contains($0.key) }))
        }
        var json: [String: JSONValue] = [
            "name": document.json["name"] ?? .null,
            "dist-tags": document.json["dist-tags"] ?? [:],
            "versions": .object(versions),
        ]
        if let modified = document.time["modified"] { json["modified"] = .string(modified) }
        return .object(json)
    }

    /// One version document, chosen by exact version or dist-tag (`GET /<name>/<spec>`).
    public func manifest(_ document: PackumentDocument, spec: String) -> JSONValue? {
        let version = document.distTags[spec] ?? spec
        return document.versions[version].map(absolutise)
    }

    /// The absolute URL of a registry-relative path (`@scope/name/-/name-1.0.0.tgz`).
    public func url(forRelativePath path: String) -> String { baseURL + path }

    // MARK: - URLs

    /// Makes the registry-relative `dist.tarball` and `dist.attestations.url` absolute.
    private func absolutise(_ version: JSONValue) -> JSONValue {
        guard var object = version.objectValue, var dist = object["dist"]?.objectValue else { return version }
        if let tarball = dist["tarball"]?.stringValue, !tarball.contains("://") {
            dist["tarball"] = .string(url(forRelativePath: tarball))
        }
        if var attestations = dist["attestations"]?.objectValue, let path = attestations["url"]?.stringValue, !path.contains("://") {
            attestations["url"] = .string(url(forRelativePath: path))
            dist["attestations"] = .object(attestations)
        }
        object["dist"] = .object(dist)
        return .object(object)
    }
}
