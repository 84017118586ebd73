import Foundation
import NpmModel

extension Installer {
    /// `verify-install resolve`: the tree an install would build, without downloading tarballs.
    public func resolve(prefix: URL?, specs: [PackageSpec]) async throws -> InstallReport {
        let clock = PhaseClock()
        let project = try prefix.flatMap { try ProjectManifest.load(prefix: $0) }
        var requests = (project?.dependencyRequests ?? []).filter { request in !specs.contains { $0.name.value == request.name } }
        requests += specs.map { DependencyRequest(name: $0.name.value, spec: $0.rawSpec, kind: .prod) }
        guard !requests.isEmpty else {
            throw InstallError(.usage, "nothing to resolve: give a package spec or a --prefix with a package.json that has dependencies")
        }
        let log = WarningLog(progress: progress)
        let resolver = Resolver(client: client, rootName: project?.name ?? "resolve", warn: log.warn)
        resolver.onEvent = { [progress] in progress($0) }
        do { try await resolver.resolve(rootDependencies: requests.sorted { $0.name < $1.name }) } catch {
            throw InstallError.wrap(error)
        }
        var legacy = 0
        var planned = try resolver.nodes.enumerated().map { index, node in
            try Self.plan(node, index: index, legacy: &legacy, warn: log.warn)
        }
        let flags = DependencyFlags(root: resolver.root)
        for i in planned.indices { flags.apply(to: &planned[i]) }
        clock.mark("resolve")
        return report("resolve", prefix: prefix ?? URL(fileURLWithPath: "."), planned: planned, outcomes: nil,
                      warnings: log.all, lockfile: nil, legacy: legacy, clock: clock)
    }
}
