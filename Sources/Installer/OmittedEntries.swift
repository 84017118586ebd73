import NpmModel
import RegistryClient

/// What `ci` leaves off disk under `--omit` (npm's reify trash list): every locked entry whose
/// `dev`, `optional`, `devOptional` or `peer` flags the omit list names, and every entry inside
/// their folders. npm ci fetches none of them, and neither does `ci`: they are not verified,
/// and the report lists them as omitted.
struct OmittedEntries {
    /// Install paths left out.
    let paths: Set<String>

    init(_ planned: [PlannedPackage], scope: InstallScope) {
        guard !scope.omit.isEmpty else {
            paths = []
            return
        }
        let folders = Set(planned.filter { $0.isOmitted(by: scope) }.map { Array($0.location.utf8) })
        paths = Set(planned.map(\.location).filter { path in
            folders.contains(Array(path.utf8)) || Lockfile.enclosingFolders(of: path).contains { folders.contains(Array($0.utf8)) }
        })
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
