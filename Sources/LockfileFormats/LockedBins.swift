import NpmModel

/// The `bin` a lockfile entry records. npm ci, Yarn Berry and Bun link the lockfile's bins, not the
/// tarball's, so each is kept for comparing with the registry's manifest; a form that the package
/// manager may read otherwise than written is refused, as none of them writes one.
enum LockedBins {
    /// `bins` when every value was a string and every name is already npm's normal form (no `/`,
    /// `\`, `:`, `.` or `..` names that a linker reads as another); else a refusal naming the entry.
    static func checked(_ bins: [String: String], fieldCount: Int, file: String, entry: String, described: String) throws -> [String: String] {
        guard bins.count == fieldCount, NpmBins.isNormal(bins) else {
            throw LockfileError("\(file): \(entry) has a bin field the package manager may read otherwise than it is written (\(described)): it would link bins no tarball declares that way")
        }
        return bins
    }
}
