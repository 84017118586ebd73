public import FoundationEssentials

/// One target file's trusted length and hashes.
public struct TargetFile: Sendable, Equatable {
    public let path: String
    public let length: Int
    public let hashes: [String: String]

    init(path: String, _ fields: Fields) throws {
        self.path = path
        length = try fields.int("length")
        hashes = try fields.hashes("hashes")
    }

    /// Checks downloaded or cached bytes (spec 5.7.3); errors name the target path.
    public func verify(_ data: Data) throws {
        try HashCheck.verify(data, length: length, hashes: hashes, role: "target \(path)", version: nil, rule: "5.7.3")
    }

    /// The hash used in consistent-snapshot file names (`HASH.basename`): sha256 when listed.
    var preferredHash: String {
        hashes["sha256"] ?? hashes["sha512"] ?? hashes.sorted { $0.key < $1.key }.first!.value
    }
}

/// Targets metadata (top-level or delegated): target files and optional delegations.
public struct Targets: Delegator {
    public let name: String
    public let header: SignedHeader
    public let targets: [String: TargetFile]
    public let delegations: Delegations?
    public var version: Int { header.version }

    public init(_ envelope: SignedEnvelope, name: String) throws {
        self.name = name
        header = envelope.header
        let fields = try Fields(envelope.signed, role: name, version: header.version, context: "signed")
        let targetFields = try fields.fields("targets")
        var targets: [String: TargetFile] = [:]
        for path in targetFields.object.keys { targets[path] = try TargetFile(path: path, targetFields.fields(path)) }
        self.targets = targets
        delegations = fields.has("delegations") ? try Delegations(fields.fields("delegations")) : nil
    }

    public var delegatorName: String { "\(name) v\(version)" }
    public var delegationKeys: [String: TUFKey] { delegations?.keys ?? [:] }
    public func delegatedRole(named name: String) -> RoleKeys? { delegations?.roleKeys(named: name) }
}
