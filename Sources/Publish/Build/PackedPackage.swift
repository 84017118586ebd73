import Crypto
import Foundation
import SafeJSON
import Tarball

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

/// Lowercase hexadecimal.
enum Hex {
    static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 0xF)]) }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
