import FoundationEssentials
public import SigstoreModels
import CodedError

/// Refuses a bundle that lists one RFC 3161 timestamp or one log entry twice (sigstore-js:
/// "duplicate timestamp"): a repeated item would count twice towards a threshold.
public struct DuplicateCheck: Sendable {
    public init() {}

    /// Two responses are one timestamp when their signed TSTInfo is equal (whole DER if unparsed).
    public func verify(timestamps tokens: [[UInt8]]) throws {
        let keys = tokens.map { SignedTimestampContent.tstInfo($0) ?? $0 }
        for later in keys.indices {
            if let earlier = keys[..<later].firstIndex(of: keys[later]) {
                throw VerificationError(.duplicate, "duplicate timestamp: timestamps \(earlier) and \(later) carry the same signed token, expected distinct tokens")
            }
        }
    }

    /// Two entries are one when they have the same log id and the same log index or body.
    public func verify(logEntries entries: [TransparencyLogEntry]) throws {
        for later in entries.indices {
            let entry = entries[later]
            let same = entries[..<later].firstIndex { other in
                other.logID == entry.logID && (other.logIndex == entry.logIndex || other.canonicalizedBody == entry.canonicalizedBody)
            }
            if let earlier = same {
                throw VerificationError(.duplicate, "duplicate log entry: log entries \(earlier) and \(later) are one entry of log \(Data(entry.logID).base64EncodedString()) (log index \(entries[earlier].logIndex) and \(entry.logIndex)), expected distinct entries")
            }
        }
    }
}
