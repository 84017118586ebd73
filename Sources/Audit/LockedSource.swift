import LockfileFormats
import NpmModel
import LockfileVerify

/// What the lockfile says about where an installed registry package came from, checked against the
/// registry (stricter than npm's audit, which reads no lockfile): found by review, `npm ci` filled
/// a folder from another host's tarball because the lockfile named it and recorded no integrity,
/// and the audit passed the registry copy's signatures.
enum LockedSource {
    /// Why the lockfile's entry for `target` does not bind the installed bytes to the registry's
    /// version; nil when it does or the lockfile does not list the package.
    static func refusal(_ target: AuditTarget, tarball: String, defaultRegistry: String) -> InvalidPackage? {
        if let folder = target.linkedFolder {
            return InvalidPackage(code: "ERESOLVED", message: "\(target.id) at \(target.location): a link in node_modules points to \(folder), a folder of the project that no workspace in package.json declares, so npm installed that folder's code where a registry version was asked for", target: target)
        }
        if target.isUnlisted {
            return InvalidPackage(code: "ELOCKMISSING", message: "\(target.id) at \(target.location): npm's hidden lockfile (node_modules/.package-lock.json), which lists every folder npm placed, does not list it, so where its bytes came from cannot be told", target: target)
        }
        guard target.isLocked else { return nil }
        // npm ci writes what `resolved` holds, whatever version its package.json then says (found
        // by review: a lockfile locking 1.2.0 gave a folder whose package.json says 1.0.0, and the
        // audit checked 1.0.0's registry copy).
        guard target.lockedVersion == target.version else {
            return InvalidPackage(code: "ELOCKEDVERSION", message: "\(target.location): the lockfile records \(target.lockedVersion.map { "version \($0)" } ?? "no version") but the installed package.json says \(target.version), so the bytes npm installed are not the registry's \(target.id)", target: target)
        }
        // No source at all: npm ci fetches name@version from the registry, and pacote checks those
        // bytes against the registry's integrity, which the audit verifies (found by review: npm
        // writes such entries for workspace packages it keeps, and every audit of them failed).
        if target.lockedIntegrity == nil, target.lockedResolved != nil {
            return InvalidPackage(code: "EINTEGRITY", message: "\(target.id): the lockfile records no integrity for \(target.location)\(target.lockedResolved.map { " (resolved \($0))" } ?? ""), so npm installed its bytes without checking them", target: target)
        }
        // npm reads a git, file or folder `resolved` as that source, whatever the integrity says
        // (found by review: a `git+file:` entry kept the registry's integrity and passed).
        if let resolved = target.lockedResolved, let why = NpmSource.remoteTarballRefusal(resolved) {
            return InvalidPackage(code: "ERESOLVED", message: "\(target.id) at \(target.location): the lockfile resolves it from \(resolved), which npm does not read as a registry tarball (\(why)), so npm installed that source's code, not the registry's", target: target)
        }
        if let resolved = target.lockedResolved,
           let why = ResolvedLocation.mismatch(resolved: resolved, tarball: tarball, format: .npm, registry: target.registry, defaultRegistry: defaultRegistry) {
            return InvalidPackage(code: "ERESOLVED", message: "\(target.id) at \(target.location): \(why)", target: target)
        }
        return nil
    }
}
