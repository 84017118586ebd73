import NpmModel
import SafeJSON
import Semver

/// The name and version a tarball's own package.json gives: npm reads an installed package's
/// identity from there (arborist's load-actual), so `npm ls` and `npm audit signatures` judge that
/// name and version, whatever the registry said when the bytes were verified.
enum TarballIdentity {
    /// Refuses a package.json that cannot be read, or that names another package or version than
    /// the one verified ("manifest confusion": `"version": "9.9.9"`, `"latest"` or a range would
    /// make a later `npm audit signatures` verify another version's signatures). Both fields must
    /// be there: the name byte for byte, the version as node-semver reads it loosely (`v1.0.0` is
    /// `1.0.0`). Returns the package.json read; nil when the tarball has none (npm then reads no
    /// version: nothing to confuse).
    static func confirm(_ reading: UnpackedManifest.Reading, of target: TarballTarget) throws(InstallError) -> UnpackedManifest? {
        switch reading {
        case .missing: return nil
        case .found(let own):
            try confirm(own.json, of: target)
            return own
        case .unreadable(let why):
            // Found by review: a lone surrogate, deep nesting or a large file kept the check away,
            // while npm's JSON.parse read a lying version from the same file.
            throw InstallError(.verification, "\(target.subject): its tarball's package.json cannot be read here (\(why)), so the name and version npm would take it for cannot be compared with the verified ones; npm reads JSON more leniently and would take the package for whatever that file says")
        }
    }

    static func confirm(_ own: JSONValue, of target: TarballTarget) throws(InstallError) {
        // Bytes, not Swift's canonical equivalence: npm compares code units.
        guard case .string(let name)? = own["name"], name.utf8.elementsEqual(target.name.utf8) else {
            throw mismatch(target, field: "name", expected: target.name, found: own["name"])
        }
        guard case .string(let version)? = own["version"], let read = SemanticVersion(version, loose: true),
              read == SemanticVersion(target.version, loose: true) else {
            throw mismatch(target, field: "version", expected: target.version, found: own["version"])
        }
    }

    private static func mismatch(_ target: TarballTarget, field: String, expected: String, found: JSONValue?) -> InstallError {
        let shown = found.flatMap { try? String(decoding: $0.serialized(), as: UTF8.self) } ?? "nothing"
        return InstallError(.verification, "\(target.subject): its tarball's package.json gives \(field) \(shown), expected \"\(expected)\"; npm takes an installed package for what its package.json says, so it would judge another package than the one verified")
    }
}
