public import FoundationEssentials

/// Root versions kept from earlier updates, replayed from an anchor the caller holds.
///
/// A client that starts every run from its embedded root would forget each rotation it has seen:
/// an attacker could then hide newer roots (404) and be trusted with retired timestamp or
/// snapshot keys, and spec 5.3.11 would delete the local timestamp and snapshot on every run.
/// Replaying the kept roots restores what was trusted before without trusting the folder they
/// sit in: each one must pass the rotation rules again.
public enum RootChain {
    /// The newest root reachable from `anchor` through `stored(version)`: each file must be
    /// version N+1, signed by a threshold of root N's keys and of its own (spec 5.3.4–5.3.5).
    /// Stops at the first missing or failing file, or after `maxRotations` versions. Expiry is not
    /// checked here: an intermediate root may have expired, and the update checks the final one.
    /// Throws only when `anchor` itself is not a self-signed root.
    public static func newest(from anchor: Data, referenceTime: Date, maxRotations: Int,
                              stored: (Int) -> Data?) throws -> Data {
        var trusted = try TrustedMetadata(rootData: anchor, referenceTime: referenceTime)
        var newest = anchor
        for _ in 0..<maxRotations {
            guard let data = stored(trusted.root.version + 1) else { break }
            guard (try? trusted.updateRoot(data)) != nil else { break }
            newest = data
        }
        return newest
    }
}
