/// Timestamp metadata: the version (and maybe length/hashes) of the current snapshot.
public struct Timestamp: Sendable {
    public let header: SignedHeader
    public let snapshotMeta: MetaFile
    public var version: Int { header.version }

    public init(_ envelope: SignedEnvelope) throws {
        header = envelope.header
        let fields = try Fields(envelope.signed, role: "timestamp", version: header.version, context: "signed")
        snapshotMeta = try MetaFile(fields.fields("meta").fields("snapshot.json"))
    }
}

/// Snapshot metadata: the versions of targets and every delegated targets role, by file name.
public struct Snapshot: Sendable {
    public let header: SignedHeader
    public let meta: [String: MetaFile]
    public var version: Int { header.version }

    public init(_ envelope: SignedEnvelope) throws {
        header = envelope.header
        let fields = try Fields(envelope.signed, role: "snapshot", version: header.version, context: "signed")
        let metaFields = try fields.fields("meta")
        var meta: [String: MetaFile] = [:]
        for name in metaFields.object.keys { meta[name] = try MetaFile(metaFields.fields(name)) }
        self.meta = meta
    }
}
