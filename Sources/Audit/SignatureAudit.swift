public import FoundationEssentials
public import CodedError

/// `npm audit signatures` over an installed project: read the tree, pick the packages npm
/// would audit, verify them concurrently, and collect one ``AuditReport``.
public struct SignatureAudit: Sendable {
    /// Packages verified at once (npm's `pMap` concurrency).
    public static let concurrency = 20

    let collector: AuditTargetCollector
    let auditor: PackageAuditor

    public init(collector: AuditTargetCollector, auditor: PackageAuditor) {
        self.collector = collector
        self.auditor = auditor
    }

    /// Audits the project at `prefix`. Throws only when there is nothing to audit, with npm's
    /// messages; every package failure is in the report instead.
    public func run(prefix: URL) async throws(AuditError) -> AuditReport {
        let tree = try InstalledTreeReader().read(prefix: prefix)
        let start = ContinuousClock.now
        let collection = collector.collect(tree)
        guard collection.edgeCount > 0 else { throw AuditError(.nothingInstalled, AuditError.nothingInstalledMessage) }
        let results = await audit(collection.targets)
        guard results.contains(where: \.isAudited) else {
            throw AuditError(.noSupportedRegistry, AuditError.noSupportedRegistryMessage)
        }
        var report = AuditReport(packages: results, elapsed: ContinuousClock.now - start)
        report.skipped = collection.skipped
        return report
    }

    /// Verifies `targets` with at most ``concurrency`` in flight; results keep the targets' order.
    public func audit(_ targets: [AuditTarget]) async -> [PackageAudit] {
        await withTaskGroup(of: (Int, PackageAudit).self) { group in
            var results = [PackageAudit?](repeating: nil, count: targets.count)
            var next = 0
            func startNext() {
                guard next < targets.count else { return }
                let index = next, target = targets[index], auditor = self.auditor
                group.addTask { (index, await auditor.audit(target)) }
                next += 1
            }
            for _ in 0..<min(Self.concurrency, targets.count) { startNext() }
            while let (index, result) = await group.next() {
                results[index] = result
                startNext()
            }
            return results.compactMap { $0 }
        }
    }
}
