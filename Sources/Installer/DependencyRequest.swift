import NpmModel

/// A dependency to resolve: who asked, for what, and how it was declared.
struct DependencyRequest {
    let name: String
    let spec: String
    let kind: EdgeKind

    /// A registry package's own dependencies (devDependencies ignored; optional ones override).
    static func all(of manifest: Manifest) -> [DependencyRequest] {
        var byName: [String: DependencyRequest] = [:]
        for (name, spec) in manifest.peerDependencies where !manifest.optionalPeers.contains(name) {
            byName[name] = DependencyRequest(name: name, spec: spec, kind: .peer)
        }
        for (name, spec) in manifest.dependencies { byName[name] = DependencyRequest(name: name, spec: spec, kind: .prod) }
        for (name, spec) in manifest.optionalDependencies { byName[name] = DependencyRequest(name: name, spec: spec, kind: .optional) }
        return byName.values.sorted { $0.name < $1.name }
    }
}
