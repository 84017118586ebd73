public import FoundationEssentials

/// The client's trusted metadata and the rules for replacing it (spec 5.2–5.6), with one fixed
/// reference time for every expiry check. No I/O: the updater feeds it bytes.
///
/// As in python-tuf, an expired (or, for snapshot, version-mismatched) timestamp/snapshot is still
/// kept as *intermediate* metadata for rollback checks of its successor, but its `update` throws,
/// and nothing that depends on it (the next role) can be loaded.
public struct TrustedMetadata: Sendable {
    public let referenceTime: Date
    public private(set) var root: Root
    public private(set) var timestamp: Timestamp?
    public private(set) var snapshot: Snapshot?
    /// Loaded targets roles by name ("targets" and delegated roles), with their raw bytes.
    public private(set) var targets: [String: Targets] = [:]
    private(set) var targetsData: [String: Data] = [:]

    /// Loads the locally trusted root (spec 5.2): it must be signed by a threshold of its own keys.
    /// Its expiry does not matter yet (checked for the final root, 5.3.10).
    public init(rootData: Data, referenceTime: Date) throws {
        let envelope = try SignedEnvelope.parse(rootData, expectedType: "root", role: "root")
        let root = try Root(envelope)
        try envelope.verify(by: root, roleName: "root", rule: "5.2")
        self.root = root
        self.referenceTime = referenceTime
    }

    /// Spec 5.3.3–5.3.7: `data` must be root version N+1, signed by a threshold of the trusted
    /// root's root keys and of its own.
    @discardableResult
    public mutating func updateRoot(_ data: Data) throws -> Root {
        guard timestamp == nil else { throw stateError("root", "cannot update root after timestamp") }
        let envelope = try SignedEnvelope.parse(data, expectedType: "root", role: "root")
        let newRoot = try Root(envelope)
        try envelope.verify(by: root, roleName: "root", rule: "5.3.4")
        guard newRoot.version == root.version + 1 else {
            throw TUFError(newRoot.version <= root.version ? .rollback : .versionMismatch, role: "root",
                           version: newRoot.version, rule: "5.3.5", "expected root version \(root.version + 1)")
        }
        try envelope.verify(by: newRoot, roleName: "root", rule: "5.3.4")
        root = newRoot
        return newRoot
    }

    /// Spec 5.3.10: the final root must not be expired.
    public func checkFinalRoot() throws {
        if root.header.isExpired(at: referenceTime) {
            throw TUFError(.expired, role: "root", version: root.version, rule: "5.3.10",
                           "expired \(root.header.expires), update started \(referenceTime)")
        }
    }

    public enum TimestampOutcome: Sendable { case updated, unchanged }

    /// Spec 5.4.2–5.4.4. Returns `.unchanged` (and keeps the trusted one) when the new timestamp
    /// has the same version as the trusted one; throws on rollback; an expired timestamp is kept
    /// as intermediate but throws.
    @discardableResult
    public mutating func updateTimestamp(_ data: Data) throws -> TimestampOutcome {
        guard snapshot == nil else { throw stateError("timestamp", "cannot update timestamp after snapshot") }
        try checkFinalRoot()
        let envelope = try SignedEnvelope.parse(data, expectedType: "timestamp", role: "timestamp")
        let new = try Timestamp(envelope)
        try envelope.verify(by: root, roleName: "timestamp", rule: "5.4.2")
        if let old = timestamp {
            if new.version < old.version {
                throw TUFError(.rollback, role: "timestamp", version: new.version, rule: "5.4.3.1",
                               "version went down from trusted \(old.version)")
            }
            if new.version == old.version { return .unchanged }
            if new.snapshotMeta.version < old.snapshotMeta.version {
                throw TUFError(.rollback, role: "timestamp", version: new.version, rule: "5.4.3.2",
                               "lists snapshot \(new.snapshotMeta.version), below trusted \(old.snapshotMeta.version)")
            }
        }
        timestamp = new
        try checkFinalTimestamp()
        return .updated
    }

    func checkFinalTimestamp() throws {
        guard let timestamp else { throw stateError("timestamp", "no trusted timestamp") }
        if timestamp.header.isExpired(at: referenceTime) {
            throw TUFError(.expired, role: "timestamp", version: timestamp.version, rule: "5.4.4",
                           "expired \(timestamp.header.expires), update started \(referenceTime)")
        }
    }

    func stateError(_ role: String, _ message: String) -> TUFError {
        TUFError(.invalidState, role: role, rule: "5 (workflow order)", message)
    }

    mutating func setSnapshot(_ snapshot: Snapshot) { self.snapshot = snapshot }

    mutating func setTargets(_ targets: Targets, data: Data) {
        self.targets[targets.name] = targets
        targetsData[targets.name] = data
    }
}
