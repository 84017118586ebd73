/// Limits of one updater (python-tuf's `UpdaterConfig` defaults, root cap rounded to 512 KiB).
public struct UpdaterConfig: Sendable {
    /// Most root versions fetched in one update (spec 5.3.3 "Y").
    public var maxRootRotations = 256
    /// Most targets roles visited in one target search (spec 5.6.7.1).
    public var maxDelegations = 32
    public var rootMaxLength = 512 * 1024
    public var timestampMaxLength = 16 * 1024
    /// Caps used when snapshot/targets meta gives no length.
    public var snapshotMaxLength = 2_000_000
    public var targetsMaxLength = 5_000_000
    /// Fetch targets as `HASH.name` when root says `consistent_snapshot`.
    public var prefixTargetsWithHash = true

    public init() {}
}
