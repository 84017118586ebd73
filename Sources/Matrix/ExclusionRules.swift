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
    /// The happy path and the faults whose verdict comes from reading the provenance bundle: only
    /// there can the log it was written to change a verdict, so only these run under Rekor v2.
    static let logSensitive: Set<String> = ["none", "swapped-attestation", "wrong-integrity"]

    /// In this order: the log axis first (structural, so its count is not hidden by a missing row).
    public static let all: [ExclusionRule] = [
        ExclusionRule(id: "rekor-v2-bundle-v0.3-only",
                      reason: "Rekor v2 logs only `hashedrekord` v0.0.2 entries, which only a v0.3 bundle carries (v0.2 needs an `intoto` entry and a SET)") {
            cell, _ in
            cell.log == .v2 && cell.shape != .v03DSSE
        },
        ExclusionRule(id: "rekor-v2-ignores-keys",
                      reason: "the log changes only the provenance bundle, which no registry key signs; key states run under Rekor v1") { cell, _ in
            cell.log == .v2 && cell.keyState != .current
        },
        ExclusionRule(id: "rekor-v2-not-read",
                      reason: "the fault decides the verdict before or without the provenance bundle being verified, so the log it is in cannot change it") {
            cell, _ in
            cell.log == .v2 && !logSensitive.contains(cell.scenarioName)
        },
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
                      reason: "npm install never fetches attestations, so neither the bundle shape nor the log they are in can change its verdict") {
            cell, _ in
            cell.client == .npmInstall && (cell.shape != .v03DSSE || cell.log != .v1)
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
