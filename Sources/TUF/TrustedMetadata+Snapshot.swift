public import FoundationEssentials

extension TrustedMetadata {
    /// Spec 5.5.2–5.5.6. `trusted` (bytes this client persisted itself) skips the hash check
    /// against timestamp meta, so a local snapshot can still serve as the rollback reference.
    public mutating func updateSnapshot(_ data: Data, trusted: Bool) throws {
        guard let timestamp else { throw stateError("snapshot", "cannot update snapshot before timestamp") }
        guard targets.isEmpty else { throw stateError("snapshot", "cannot update snapshot after targets") }
        try checkFinalTimestamp()
        if !trusted { try timestamp.snapshotMeta.verify(data, role: "snapshot", rule: "5.5.2") }
        let envelope = try SignedEnvelope.parse(data, expectedType: "snapshot", role: "snapshot")
        let new = try Snapshot(envelope)
        try envelope.verify(by: root, roleName: "snapshot", rule: "5.5.3")
        if let old = snapshot {
            for (name, info) in old.meta.sorted(by: { $0.key < $1.key }) {
                guard let newInfo = new.meta[name] else {
                    throw TUFError(.rollback, role: "snapshot", version: new.version, rule: "5.5.5",
                                   "\(name) was listed by trusted snapshot v\(old.version) and is missing")
                }
                guard newInfo.version >= info.version else {
                    throw TUFError(.rollback, role: "snapshot", version: new.version, rule: "5.5.5",
                                   "\(name) version went down from \(info.version) to \(newInfo.version)")
                }
            }
        }
        setSnapshot(new)
        try checkFinalSnapshot()
    }

    /// The loaded snapshot must be unexpired (5.5.6) and the version timestamp lists (5.5.4).
    func checkFinalSnapshot() throws {
        guard let snapshot, let timestamp else { throw stateError("snapshot", "no trusted snapshot") }
        if snapshot.header.isExpired(at: referenceTime) {
            throw TUFError(.expired, role: "snapshot", version: snapshot.version, rule: "5.5.6",
                           "expired \(snapshot.header.expires), update started \(referenceTime)")
        }
        if snapshot.version != timestamp.snapshotMeta.version {
            throw TUFError(.versionMismatch, role: "snapshot", version: snapshot.version, rule: "5.5.4",
                           "timestamp v\(timestamp.version) lists snapshot version \(timestamp.snapshotMeta.version)")
        }
    }

    /// Spec 5.6.2–5.6.5 for top-level targets (`delegator` "root") and delegated roles: the bytes
    /// must match snapshot's meta, be signed by a threshold of the keys `delegator` assigns to
    /// `role`, carry snapshot's version, and be unexpired.
    @discardableResult
    public mutating func updateTargets(_ data: Data, role: String, delegator: String) throws -> Targets {
        guard let snapshot else { throw stateError(role, "cannot load targets before snapshot") }
        try checkFinalSnapshot()
        let parent: (any Delegator)? = delegator == "root" ? root : targets[delegator]
        guard let parent else { throw stateError(role, "delegator \(delegator) is not loaded") }
        guard let meta = snapshot.meta["\(role).json"] else {
            throw TUFError(.missingMeta, role: role, rule: "5.6.1",
                           "snapshot v\(snapshot.version) does not list \(role).json")
        }
        try meta.verify(data, role: role, rule: "5.6.2")
        let envelope = try SignedEnvelope.parse(data, expectedType: "targets", role: role)
        let new = try Targets(envelope, name: role)
        try envelope.verify(by: parent, roleName: role, rule: "5.6.3")
        guard new.version == meta.version else {
            throw TUFError(.versionMismatch, role: role, version: new.version, rule: "5.6.4",
                           "snapshot v\(snapshot.version) lists version \(meta.version)")
        }
        if new.header.isExpired(at: referenceTime) {
            throw TUFError(.expired, role: role, version: new.version, rule: "5.6.5",
                           "expired \(new.header.expires), update started \(referenceTime)")
        }
        setTargets(new, data: data)
        return new
    }

    /// Bytes of a targets role loaded earlier in this process (to re-verify it for another delegator).
    func loadedTargetsData(_ role: String) -> Data? { targetsData[role] }
}
