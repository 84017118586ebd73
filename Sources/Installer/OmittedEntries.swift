import NpmModel
import RegistryClient

/// What `ci` leaves off disk under `--omit` (npm's reify trash list): every locked entry whose
/// `dev`, `optional`, `devOptional` or `peer` flags the omit list names. npm ci fetches none of
/// them, and neither does `ci`: they are not verified, and the report lists them as omitted.
struct OmittedEntries {
    /// Install paths left out.
    let paths: Set<String>

    /// Throws for an entry inside an omitted folder whose own flags keep it: npm's trash list
    /// holds exact paths, so npm ci fetches it, from wherever `resolved` says, runs its scripts and
    /// only then removes the folder (found by review: we left it out unverified "as npm ci does").
    init(_ planned: [PlannedPackage], scope: InstallScope, file: String) throws {
        guard !scope.omit.isEmpty else {
            paths = []
            return
        }
        let omitted = planned.filter { $0.isOmitted(by: scope) }
        let folders = Set(omitted.map { Array($0.location.utf8) })
        for package in planned where !folders.contains(Array(package.location.utf8)) {
            if let folder = Lockfile.enclosingFolders(of: package.location).first(where: { folders.contains(Array($0.utf8)) }) {
                throw InstallError(.verification, "\(file): \(package.target.subject) at \(package.location) lies inside \(folder), which \(scope.omitDescription) leaves out, but its own flags keep it: npm ci would fetch it and run its scripts before removing the folder, so this lockfile is refused")
            }
        }
        paths = Set(omitted.map(\.location))
    }

    /// The edges the placed tree must still satisfy: the project's devDependencies go with the
    /// dev packages under `--omit=dev`, and under `--omit=peer` a peer may be missing, as npm
    /// leaves it. Every other edge stays: a placed package that needs an omitted one through a
    /// required edge means the lockfile's flags are wrong, and `ci` refuses the tree rather than
    /// leave `require` to find that name further up, outside what was verified.
    static func placedEdges(_ edges: [LockfileStructure.Edge], scope: InstallScope) -> [LockfileStructure.Edge] {
        edges.compactMap { edge in
            if edge.dev, edge.from.isEmpty, scope.omit.contains(.dev) { return nil }
            guard edge.peer, !edge.optional, scope.omit.contains(.peer) else { return edge }
            var relaxed = edge
            relaxed.optional = true
            return relaxed
        }
    }
}
