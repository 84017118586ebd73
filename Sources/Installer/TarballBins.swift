import FoundationEssentials
import Glibc
import NpmModel

/// The `bin` map of an unpacked, verified tarball's own package.json, with each bin target made
/// executable as npm's bin-links does: what install and ci link, where the packument's or the
/// lockfile's `bin` is only a claim.
enum TarballBins {
    static func read(_ manifest: UnpackedManifest?, unpacked directory: URL, name: String) -> [String: String] {
        let bins = manifest?.bins(name: name, in: directory) ?? [:]
        for path in bins.values.compactMap(BinLinks.normalised) {
            makeExecutable(directory.appendingPathComponent(path))
        }
        return bins
    }

    /// `bins` as npm links them (``NpmBins``), then without what `BinLinks` refuses, for comparing claims.
    static func normalised(_ bins: [String: String]) -> [String: String] {
        NpmBins.normalised(bins).compactMapValues(BinLinks.normalised)
    }

    /// Whether two bin maps name the same bins and paths, byte for byte (Swift's `==` would
    /// equate canonically equivalent names, hiding a difference the warning exists to show).
    static func same(_ a: [String: String], _ b: [String: String]) -> Bool {
        func bytes(_ bins: [String: String]) -> [[UInt8]] {
            bins.map { Array($0.key.utf8) + [0] + Array($0.value.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        }
        return bytes(a) == bytes(b)
    }

    /// `name -> target, …`, or `none`: for warnings.
    static func listed(_ bins: [String: String]) -> String {
        bins.isEmpty ? "none" : bins.sorted { $0.key < $1.key }.map { "\($0.key) -> \($0.value)" }.joined(separator: ", ")
    }

    /// Execute bits on regular files only, never through a link.
    private static func makeExecutable(_ file: URL) {
        var info = stat()
        guard lstat(file.path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return }
        chmod(file.path, (info.st_mode & 0o7777) | 0o111)
    }
}
