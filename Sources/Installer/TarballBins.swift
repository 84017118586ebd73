import FoundationEssentials
import Glibc

/// The `bin` map of an unpacked, verified tarball's own package.json, with each bin target made
/// executable as npm's bin-links does. Used by `ci`, where the lockfile's `bin` is only a claim.
enum TarballBins {
    static func read(_ manifest: UnpackedManifest?, unpacked directory: URL, name: String) -> [String: String] {
        let bins = manifest?.bins(name: name) ?? [:]
        for path in bins.values.compactMap(BinLinks.normalised) {
            makeExecutable(directory.appendingPathComponent(path))
        }
        return bins
    }

    /// Execute bits on regular files only, never through a link.
    private static func makeExecutable(_ file: URL) {
        var info = stat()
        guard lstat(file.path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return }
        chmod(file.path, (info.st_mode & 0o7777) | 0o111)
    }
}
