import Foundation
import SigstoreModels

/// Verifies every Rekor v1 entry of a bundle and yields its trusted times (PROTOCOLS §4.6 step 1).
///
/// Per entry: a trusted log with the entry's log id valid at its integrated time;
/// the SET if present; the inclusion proof and checkpoint if present; at least one of them.
public struct TransparencyLogCheck: Sendable {
    /// Minimum number of verified entries (sigstore-js default 1).
    public let threshold: Int

    public init(threshold: Int = 1) { self.threshold = threshold }

    /// Returns the integrated times of the verified entries.
    public func verify(_ entries: [TransparencyLogEntry], trusted: TrustedMaterial) throws -> [Date] {
        var times: [Date] = []
        for entry in entries {
            guard let integratedTime = entry.integratedTime else {
                throw VerificationError(.unsupported, "log entry \(entry.logIndex) has no integratedTime (Rekor v2 entries need RFC 3161 timestamps, not implemented)")
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
        }
        guard times.count >= threshold else {
            throw VerificationError(.timestampThreshold, "expected at least \(threshold) verified log entries, found \(times.count)")
        }
        return times
    }
}
