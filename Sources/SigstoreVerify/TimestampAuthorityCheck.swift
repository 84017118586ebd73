public import FoundationEssentials
import OpenSSLCrypto
import SigstoreModels
import CodedError

/// Verifies RFC 3161 timestamps over the bundle signature against the trusted timestamp authorities.
///
/// A token counts when some authority's chain verifies it at the token's own time
/// and the authority's `validFor` contains that time; every token must count (fail closed),
/// and no token may be listed twice.
public struct TimestampAuthorityCheck: Sendable {
    public init() {}

    /// Returns the verified token times.
    public func verify(_ tokens: [[UInt8]], signature: [UInt8], trusted: TrustedMaterial) throws -> [Date] {
        try DuplicateCheck().verify(timestamps: tokens)
        return try tokens.enumerated().map { index, der in
            let token: RFC3161Timestamp
            do { token = try RFC3161Timestamp(der: der) } catch {
                throw VerificationError(.timestampAuthority, "timestamp \(index) is malformed: \(error)")
            }
            let time = token.time
            var failures: [String] = []
            for authority in trusted.timestampAuthorities {
                guard authority.validFor.contains(time) else { failures.append("authority not valid at \(time)"); continue }
                do {
                    try token.verify(data: signature, chain: authority.chain)
                    return time
                } catch {
                    failures.append("\(error)")
                }
            }
            throw VerificationError(.timestampAuthority, "timestamp \(index) (\(time)) is not verified by a trusted timestamp authority: \(failures.isEmpty ? "none configured" : failures.joined(separator: "; "))")
        }
    }
}
