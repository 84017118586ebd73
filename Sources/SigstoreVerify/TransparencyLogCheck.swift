import Foundation
import SigstoreModels

/// Verifies every transparency-log entry of a bundle and yields the trusted times (PROTOCOLS §4.6 step 1).
///
/// Rekor v1 entry: a trusted log with the entry's log id valid at its integrated time;
/// the SET if present; the inclusion proof and checkpoint if present; at least one of them.
/// Rekor v2 entry (kind version 0.0.2): inclusion proof and C2SP checkpoint, no time of its own.
public struct TransparencyLogCheck: Sendable {
    /// Minimum number of verified entries (sigstore-js default 1).
    public let threshold: Int

    public init(threshold: Int = 1) { self.threshold = threshold }

    /// Returns the integrated times of the verified entries.
    public func verify(_ entries: [TransparencyLogEntry], trusted: TrustedMaterial) throws -> [Date] {
        var times: [Date] = []
        var verified = 0
        for entry in entries {
            if Self.isRekorV2(entry) {
                try verifyRekorV2(entry, trusted: trusted)
                verified += 1
                continue
            }
            guard let integratedTime = entry.integratedTime else {
                throw VerificationError(.missingInclusion, "Rekor v1 log entry \(entry.logIndex) has no integratedTime")
            }
            let time = Date(timeIntervalSince1970: TimeInterval(integratedTime))
            let logs = TrustedMaterial.logs(trusted.tlogs, id: entry.logID, at: time)
            guard let log = logs.first else {
                throw VerificationError(.unknownLog, "no trusted transparency log has id \(Data(entry.logID).base64EncodedString()) valid at \(time)")
            }
            guard entry.signedEntryTimestamp != nil || entry.inclusionProof != nil else {
                throw VerificationError(.missingInclusion, "log entry \(entry.logIndex) has neither an inclusion promise nor an inclusion proof")
            }
            if let set = entry.signedEntryTimestamp {
                try SignedEntryTimestampCheck().verify(entry, set: set, integratedTime: integratedTime, logs: logs)
            }
            if let proof = entry.inclusionProof {
                try InclusionProofCheck().verify(body: entry.canonicalizedBody, proof: proof)
                guard let checkpoint = proof.checkpoint else {
                    throw VerificationError(.checkpoint, "inclusion proof of log entry \(entry.logIndex) has no checkpoint")
                }
                let current = trusted.tlogs.filter { $0.instance.validFor.contains(time) }
                try CheckpointCheck().verify(checkpoint, proof: proof, log: log, trustedLogs: current)
            }
            guard !times.contains(time) else {
                throw VerificationError(.timestampThreshold, "duplicate log entries with integrated time \(integratedTime)")
            }
            times.append(time)
            verified += 1
        }
        guard verified >= threshold else {
            throw VerificationError(.timestampThreshold, "expected at least \(threshold) verified log entries, found \(verified)")
        }
        return times
    }

    /// Rekor v2 kinds (hashedrekord/dsse 0.0.2): no SET and no integrated time; trusted time comes from RFC 3161 tokens.
    static func isRekorV2(_ entry: TransparencyLogEntry) -> Bool {
        entry.version == "0.0.2" && (entry.kind == "hashedrekord" || entry.kind == "dsse")
    }

    /// A Rekor v2 entry: inclusion proof plus a checkpoint signed by the log (witness cosignatures ignored).
    func verifyRekorV2(_ entry: TransparencyLogEntry, trusted: TrustedMaterial) throws {
        guard let log = TrustedMaterial.logs(trusted.tlogs, id: entry.logID, at: nil).first else {
            throw VerificationError(.unknownLog, "no trusted transparency log has id \(Data(entry.logID).base64EncodedString())")
        }
        guard let proof = entry.inclusionProof else {
            throw VerificationError(.missingInclusion, "Rekor v2 log entry \(entry.logIndex) has no inclusion proof")
        }
        try InclusionProofCheck().verify(body: entry.canonicalizedBody, proof: proof)
        guard let checkpoint = proof.checkpoint else {
            throw VerificationError(.checkpoint, "inclusion proof of log entry \(entry.logIndex) has no checkpoint")
        }
        try CheckpointCheck().verifyRekorV2(checkpoint, proof: proof, log: log)
    }
}
