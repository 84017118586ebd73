import SafeJSON

/// Root metadata: the keys and thresholds of the four top-level roles.
public struct Root: Delegator {
    public static let topLevelRoles: Set<String> = ["root", "timestamp", "snapshot", "targets"]

    public let header: SignedHeader
    public let keys: [String: TUFKey]
    public let roles: [String: RoleKeys]
    public let consistentSnapshot: Bool

    public var version: Int { header.version }

    public init(_ envelope: SignedEnvelope) throws {
        header = envelope.header
        let fields = try Fields(envelope.signed, role: "root", version: header.version, context: "signed")
        var keys: [String: TUFKey] = [:]
        for (keyid, value) in try fields.fields("keys").object {
            keys[keyid] = try TUFKey(keyid: keyid, value, role: "root", version: header.version)
        }
        let roleFields = try fields.fields("roles")
        guard Set(roleFields.object.keys) == Root.topLevelRoles else {
            throw roleFields.fail("", "exactly root, timestamp, snapshot and targets")
        }
        var roles: [String: RoleKeys] = [:]
        for name in Root.topLevelRoles { roles[name] = try RoleKeys(roleFields.fields(name)) }
        self.keys = keys
        self.roles = roles
        consistentSnapshot = try fields.optionalBool("consistent_snapshot") ?? false
    }

    public var delegatorName: String { "root v\(version)" }
    public var delegationKeys: [String: TUFKey] { keys }
    public func delegatedRole(named name: String) -> RoleKeys? { roles[name] }

    /// The key material of `role`, to tell whether a root update rotated its keys (spec 5.3.11).
    public func keyMaterial(of role: String) -> [String] {
        (roles[role]?.keyids ?? []).sorted().map { id in
            keys[id].map { "\(id) \($0.keytype) \($0.scheme) \($0.publicValue)" } ?? id
        }
    }
}
