import OpenSSLCrypto

/// A delegated targets role: its keys, whether it is terminating, and the target paths it may sign
/// for (`paths` glob patterns or `path_hash_prefixes`).
public struct DelegatedRole: Sendable {
    public let name: String
    public let keys: RoleKeys
    public let terminating: Bool
    public let paths: [String]?
    public let pathHashPrefixes: [String]?

    init(_ fields: Fields) throws {
        name = try fields.string("name")
        keys = try RoleKeys(fields)
        terminating = try fields.bool("terminating")
        paths = fields.has("paths") ? try fields.strings("paths") : nil
        pathHashPrefixes = fields.has("path_hash_prefixes") ? try fields.strings("path_hash_prefixes") : nil
        guard (paths == nil) != (pathHashPrefixes == nil) else {
            throw fields.fail("paths", "set, or path_hash_prefixes set, but not both")
        }
    }

    /// Whether this delegation covers `targetPath` (python-tuf's `is_delegated_path`).
    public func covers(_ targetPath: String) -> Bool {
        if let pathHashPrefixes {
            let digest = TUFEncoding.hex(Digest.hash(.sha256, Array(targetPath.utf8)))
            return pathHashPrefixes.contains { digest.hasPrefix($0) }
        }
        return (paths ?? []).contains { PathPattern.matches(path: targetPath, pattern: $0) }
    }
}

/// TAP 15 hash-bin delegation: 2^bitLength terminating bins `PREFIX-XX`, all with the same keys.
public struct SuccinctRoles: Sendable {
    public let keys: RoleKeys
    public let bitLength: Int
    public let namePrefix: String

    init(_ fields: Fields) throws {
        keys = try RoleKeys(fields)
        bitLength = try fields.int("bit_length", min: 1)
        guard bitLength <= 32 else { throw fields.fail("bit_length", "between 1 and 32") }
        namePrefix = try fields.string("name_prefix")
    }

    private var suffixLength: Int { String((1 << bitLength) - 1, radix: 16).count }

    /// The bin responsible for `targetPath`: the leftmost `bitLength` bits of its SHA-256.
    public func role(for targetPath: String) -> String {
        let digest = Digest.hash(.sha256, Array(targetPath.utf8))
        let prefix = digest.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return name(bin: Int(prefix >> UInt32(32 - bitLength)))
    }

    func name(bin: Int) -> String {
        let hex = String(bin, radix: 16)
        return "\(namePrefix)-" + String(repeating: "0", count: max(0, suffixLength - hex.count)) + hex
    }

    /// Whether `name` is one of the bins.
    public func contains(_ name: String) -> Bool {
        guard name.hasPrefix(namePrefix + "-") else { return false }
        let suffix = name.dropFirst(namePrefix.count + 1)
        guard suffix.count == suffixLength, suffix == suffix.lowercased(), let bin = Int(suffix, radix: 16) else { return false }
        return bin < (1 << bitLength)
    }
}

/// The `delegations` object of targets metadata: keys plus either ordered roles or succinct roles.
public struct Delegations: Sendable {
    public let keys: [String: TUFKey]
    public let roles: [DelegatedRole]?
    public let succinctRoles: SuccinctRoles?

    init(_ fields: Fields) throws {
        var keys: [String: TUFKey] = [:]
        for (keyid, value) in try fields.fields("keys").object {
            keys[keyid] = try TUFKey(keyid: keyid, value, role: fields.role, version: fields.version)
        }
        self.keys = keys
        if fields.has("roles") {
            let roles = try fields.array("roles").map { try DelegatedRole(Fields($0, role: fields.role, version: fields.version, context: "delegations.roles[]")) }
            var names = Set<String>()
            for role in roles {
                guard !role.name.isEmpty, !Root.topLevelRoles.contains(role.name), names.insert(role.name).inserted else {
                    throw fields.fail("roles", "uniquely named, not empty and not a top-level role (\"\(role.name)\")")
                }
            }
            self.roles = roles
        } else {
            roles = nil
        }
        succinctRoles = fields.has("succinct_roles") ? try SuccinctRoles(fields.fields("succinct_roles")) : nil
        guard (roles == nil) != (succinctRoles == nil) else { throw fields.fail("roles", "set, or succinct_roles set, but not both") }
    }

    func roleKeys(named name: String) -> RoleKeys? {
        if let roles { return roles.first { $0.name == name }?.keys }
        if let succinctRoles, succinctRoles.contains(name) { return succinctRoles.keys }
        return nil
    }

    /// Child roles responsible for `targetPath`, in order, with their terminating flag.
    public func roles(for targetPath: String) -> [(name: String, terminating: Bool)] {
        if let roles { return roles.filter { $0.covers(targetPath) }.map { ($0.name, $0.terminating) } }
        if let succinctRoles { return [(succinctRoles.role(for: targetPath), true)] }
        return []
    }
}
