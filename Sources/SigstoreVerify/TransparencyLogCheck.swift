public import FoundationEssentials
public import SigstoreModels
import CodedError

/// Verifies every transparency-log entry of a bundle and yields its signed times (PROTOCOLS §4.6 step 1).
///
/// Rekor v1 entry: a trusted log with the entry's log id; the SET if present; the inclusion proof
/// and checkpoint if present; at least one of them. Only a verified SET signs `integratedTime`
/// (sigstore-go), so only such an entry yields a time; one without proves inclusion only.
/// Rekor v2 entry (kind version 0.0.2): inclusion proof and C2SP checkpoint, no time of its own.
/// An entry whose time is not signed must come from a log whose key is valid at every signed time.
public struct TransparencyLogCheck: Sendable {
    /// Minimum number of verified entries (sigstore-js default 1).
    public let threshold: Int

    public init(threshold: Int = 1) { self.threshold = threshold }

    /// Returns the SET-signed integrated times; `signedTimes` are the caller's other signed
    /// times (verified RFC 3161 timestamps), at which logs of entries without a SET must be valid.
    public func verify(_ entries: [TransparencyLogEntry], trusted: TrustedMaterial, signedTimes: [Date] = []) throws -> [Date] {
        try DuplicateCheck().verify(logEntries: entries)
        var times: [Date] = []
        // Entries with a SET first: their times are signed times for the entries without one.
        let order = entries.indices.filter { entries[$0].signedEntryTimestamp != nil } + entries.indices.filter { entries[$0].signedEntryTimestamp == nil }
        for index in order {
            let entry = entries[index]
            if Self.isRekorV2(entry) {
                try verifyRekorV2(entry, trusted: trusted, signedTimes: signedTimes + times)
            } else if let time = try verifyRekorV1(entry, trusted: trusted, signedTimes: signedTimes + times) {
                guard !times.contains(time) else {
                    throw VerificationError(.timestampThreshold, "duplicate signed time: log entry \(index) (log index \(entry.logIndex)) repeats integrated time \(time)")
                }
                times.append(time)
            }
        }
        guard entries.count >= threshold else {
            throw VerificationError(.timestampThreshold, "expected at least \(threshold) verified log entries, found \(entries.count)")
        }
        return times
    }

    /// Rekor v2 kinds (hashedrekord/dsse 0.0.2): no SET and no integrated time; trusted time comes from RFC 3161 tokens.
    static func isRekorV2(_ entry: TransparencyLogEntry) -> Bool {
        entry.version == "0.0.2" && (entry.kind == "hashedrekord" || entry.kind == "dsse")
    }

    /// A Rekor v1 entry; returns its integrated time when a verified SET signs it, else nil.
    func verifyRekorV1(_ entry: TransparencyLogEntry, trusted: TrustedMaterial, signedTimes: [Date]) throws -> Date? {
        guard let integratedTime = entry.integratedTime else {
            throw VerificationError(.missingInclusion, "Rekor v1 log entry \(entry.logIndex) has no integratedTime")
        }
        let time = Date(timeIntervalSince1970: TimeInterval(integratedTime))
        // Without a SET, integratedTime is unsigned: the log must also be valid at the signed times.
        let unsigned = entry.signedEntryTimestamp == nil ? signedTimes : []
        let logs = TrustedMaterial.logs(trusted.tlogs, id: entry.logID, at: time).filter { unsigned.allSatisfy($0.instance.validFor.contains) }
        guard let log = logs.first else {
            let also = unsigned.isEmpty ? "" : " and at the signed times \(unsigned.map(\.description).joined(separator: ", "))"
            throw VerificationError(.unknownLog, "no trusted transparency log has id \(Data(entry.logID).base64EncodedString()) valid at \(time)\(also) (log index \(entry.logIndex))")
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
            let current = trusted.tlogs.filter { log in ([time] + unsigned).allSatisfy(log.instance.validFor.contains) }
            try CheckpointCheck().verify(checkpoint, proof: proof, log: log, trustedLogs: current)
        }
        return entry.signedEntryTimestamp == nil ? nil : time
    }

    /// A Rekor v2 entry: inclusion proof plus a checkpoint signed by a log valid at every signed time (witness cosignatures ignored).
    func verifyRekorV2(_ entry: TransparencyLogEntry, trusted: TrustedMaterial, signedTimes: [Date]) throws {
        let logs = TrustedMaterial.logs(trusted.tlogs, id: entry.logID, at: nil).filter { signedTimes.allSatisfy($0.instance.validFor.contains) }
        guard let log = logs.first else {
            throw VerificationError(.unknownLog, "no trusted transparency log has id \(Data(entry.logID).base64EncodedString()) valid at the signed times \(signedTimes.map(\.description).joined(separator: ", ")) (log index \(entry.logIndex))")
        }
        guard let proof = entry.inclusionProof else {
            throw VerificationError(.missingInclusion, "Rekor v2 log entry \(entry.logIndex) has no inclusion proof")
        }
        // A v2 entry has no SET to sign its index, and a v2 log has no shards: the proof's index is it.
        guard entry.logIndex == proof.logIndex else {
            throw VerificationError(.inclusionProof, "Rekor v2 log entry says log index \(entry.logIndex), its inclusion proof \(proof.logIndex)")
        }
        try InclusionProofCheck().verify(body: entry.canonicalizedBody, proof: proof)
        guard let checkpoint = proof.checkpoint else {
            throw VerificationError(.checkpoint, "inclusion proof of log entry \(entry.logIndex) has no checkpoint")
        }
        try CheckpointCheck().verifyRekorV2(checkpoint, proof: proof, log: log)
    }
}
