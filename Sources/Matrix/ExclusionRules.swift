/// A rule that takes cells out of the matrix, with the reason the reports print.
public struct ExclusionRule: Sendable {
    public let id: String
    public let reason: String
    let applies: @Sendable (MatrixCell, VerdictRow?) -> Bool

    public init(id: String, reason: String, applies: @escaping @Sendable (MatrixCell, VerdictRow?) -> Bool) {
        self.id = id
        self.reason = reason
        self.applies = applies
    }
}

/// The cells that make no sense, excluded by rule (the first rule that applies names the reason).
public enum ExclusionRules {
    /// Faults that rewrite the keys or the signatures themselves: the key state cannot add anything.
    static let keyFaults: Set<String> = ["expired-key", "unknown-key-signature", "signature-over-other-bytes",
                                         "missing-signature", "wrong-integrity"]
    /// Faults on transport or tarball bytes, decided before (or without) any signature or attestation.
    static let transportFaults: Set<String> = ["tampered-tarball", "http-500-first-requests", "slow-body",
                                               "truncated-body", "wrong-content-type"]

    public static let all: [ExclusionRule] = [
        ExclusionRule(id: "no-expected-verdict",
                      reason: "the scenario table (Registry/scenarios/README.md) has no row for this scenario on this fixture") { _, row in
            row == nil
        },
        ExclusionRule(id: "table-not-run",
                      reason: "the scenario table says `not run`: the fault cannot change what this client checks") { cell, row in
            if case .notRun = row?.verdicts[cell.client] { return true }
            return false
        },
        ExclusionRule(id: "npm-install-ignores-bundles",
                      reason: "npm install never fetches attestations, so the bundle shape cannot change its verdict") { cell, _ in
            cell.client == .npmInstall && cell.shape != .v03DSSE
        },
        ExclusionRule(id: "npm-install-ignores-keys",
                      reason: "npm install never checks registry signatures, so the key state cannot change its verdict") { cell, _ in
            cell.client == .npmInstall && cell.keyState != .current
        },
        ExclusionRule(id: "transport-fault",
                      reason: "a transport or tarball-bytes fault decides the verdict before any signature or attestation is read") { cell, _ in
            transportFaults.contains(cell.scenarioName) && (cell.shape != .v03DSSE || cell.keyState != .current)
        },
        ExclusionRule(id: "fault-replaces-keys",
                      reason: "the fault rewrites the keys or signatures itself, so the key state cannot add anything") { cell, _ in
            keyFaults.contains(cell.scenarioName) && cell.keyState != .current
        },
    ]

    /// The first rule excluding `cell`, or nil when it runs.
    public static func excluding(_ cell: MatrixCell, row: VerdictRow?) -> ExclusionRule? {
        all.first { $0.applies(cell, row) }
    }
}
