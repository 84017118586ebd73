/// The node and npm versions npm-pick-manifest tests a version's `engines` against: npm prefers
/// versions whose `engines.node` and `engines.npm` admit the running node and npm (it does not
/// refuse the others). Unknown versions admit every range, as when no node is installed.
public struct EngineVersions: Sendable, Equatable {
    public var node: String?
    public var npm: String?

    public init(node: String?, npm: String?) {
        self.node = node
        self.npm = npm
    }

    /// Nothing known: `engines` plays no part in the choice.
    public static let unknown = EngineVersions(node: nil, npm: nil)

    /// npm-pick-manifest's `engineOk`: each declared range must admit the version, read with
    /// `includePrerelease`; a range that does not parse, or a truthy value that is not a string
    /// (`nonString`), admits nothing.
    public func allows(_ engines: [String: String], nonString: Set<String> = []) -> Bool {
        for (name, version) in [("node", node), ("npm", npm)] {
            guard let version else { continue }
            if nonString.contains(name) { return false }
            guard let wanted = engines[name], !wanted.isEmpty else { continue }
            guard let range = try? VersionRange(wanted, includePrerelease: true),
                  range.isSatisfied(by: version, includePrerelease: true) else { return false }
        }
        return true
    }
}
