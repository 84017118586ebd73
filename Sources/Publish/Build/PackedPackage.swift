import Crypto
public import Foundation
import Hex
public import SafeJSON
import Tarball
public import CodedError

/// A packed package: the deterministic `npm pack`-style tarball and the digests npm puts in
/// `dist` (`integrity` sha512 SRI, `shasum` sha1 hex) and in the provenance subject (sha512 hex).
public struct PackedPackage: Sendable {
    public let name: String
    public let version: String
    public let manifest: [String: JSONValue]
    public let tarball: Data
    /// `sha512-<base64>`.
    public let integrity: String
    /// Lowercase hex SHA-1.
    public let shasum: String
    /// Lowercase hex SHA-512 (the provenance subject digest).
    public let sha512Hex: String

    /// Packs a build folder with `TarballPacker` (sorted entries under `package/`, fixed mtime).
    public static func pack(_ build: NpmLibraryBuild) throws(PublishError) -> PackedPackage {
        let tarball: Data
        do { tarball = try TarballPacker.pack(directory: build.directory) } catch {
            throw PublishError(.pack, "cannot pack \(build.name)@\(build.version) from \(build.directory.path): \(error)")
        }
        return PackedPackage(name: build.name, version: build.version, manifest: build.manifest, tarball: tarball)
    }

    /// Computes the digests of `tarball`.
    public init(name: String, version: String, manifest: [String: JSONValue], tarball: Data) {
        self.name = name
        self.version = version
        self.manifest = manifest
        self.tarball = tarball
        let sha512 = Data(SHA512.hash(data: tarball))
        integrity = "sha512-" + sha512.base64EncodedString()
        sha512Hex = Hex.encode(sha512)
        shasum = Hex.encode(Data(Insecure.SHA1.hash(data: tarball)))
    }
}
