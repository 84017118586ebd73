import Foundation
import SafeJSON

/// The `PUT /<name>` document `npm publish` sends (libnpmpublish `buildMetadata`), with the
/// tarball attachment and, when signed, the `<name>-<version>.sigstore` provenance attachment.
public enum PublishBody {
    /// Builds the body. `access` is `"public"` for `--access=public`, `nil` (JSON null) when
    /// not given. `bundle` is the Sigstore bundle; its text goes in as a string, not base64.
    /// package.json fields keep npm's content but are written in sorted key order (we parse
    /// package.json into an unordered tree); registries do not depend on that order.
    public static func make(package: PackedPackage, endpoints: RegistryEndpoints, tag: String = "latest",
                            access: String? = "public", bundle: OrderedJSON? = nil,
                            clientVersions: (node: String, npm: String)? = nil) -> OrderedJSON {
        let name = package.name, version = package.version
        var manifest = package.manifest.keys.sorted()
            .filter { !["_id", "dist", "_nodeVersion", "_npmVersion"].contains($0) }
            .map { ($0, OrderedJSON(package.manifest[$0]!)) }
        if let clientVersions {
            manifest.append(("_nodeVersion", .string(clientVersions.node)))
            manifest.append(("_npmVersion", .string(clientVersions.npm)))
        }
        manifest.append(("_id", .string("\(name)@\(version)")))
        var dist = (package.manifest["dist"]?.objectValue ?? [:])
            .filter { !["integrity", "shasum", "tarball"].contains($0.key) }
            .sorted { $0.key < $1.key }.map { ($0.key, OrderedJSON($0.value)) }
        dist += [
            ("integrity", .string(package.integrity)),
            ("shasum", .string(package.shasum)),
            ("tarball", .string(endpoints.tarballURL(name: name, version: version))),
        ]
        manifest.append(("dist", .object(dist)))

        var attachments: [(String, OrderedJSON)] = [
            ("\(name)-\(version).tgz", .object([
                ("content_type", .string("application/octet-stream")),
                ("data", .string(package.tarball.base64EncodedString())),
                ("length", .int(Int64(package.tarball.count))),
            ])),
        ]
        if let bundle {
            let text = bundle.text
            attachments.append(("\(name)-\(version).sigstore", .object([
                ("content_type", .string(bundle["mediaType"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? "")),
                ("data", .string(text)),
                ("length", .int(Int64(text.utf16.count))),
            ])))
        }

        var root: [(String, OrderedJSON)] = [("_id", .string(name)), ("name", .string(name))]
        if let description = package.manifest["description"] { root.append(("description", OrderedJSON(description))) }
        root += [
            ("dist-tags", .object([(tag, .string(version))])),
            ("versions", .object([(version, .object(manifest))])),
            ("access", access.map(OrderedJSON.string) ?? .null),
            ("_attachments", .object(attachments)),
        ]
        return .object(root)
    }
}
