public import FoundationEssentials
public import NpmModel

extension Installer {
    /// `verify-install resolve`: the tree an install would build, without downloading tarballs.
    public func resolve(prefix: URL?, specs: [PackageSpec]) async throws -> InstallReport {
        let run = InstallRun("resolve", prefix: prefix ?? URL(fileURLWithPath: "."), installer: self)
        let project = try prefix.flatMap { try ProjectManifest.load(prefix: $0) }
        let requests = Self.requests(project, specs: specs)
        guard !requests.isEmpty else {
            throw InstallError(.usage, "nothing to resolve: give a package spec or a --prefix with a package.json that has dependencies")
        }
        let planner = InstallPlanner(run: run, pipeline: nil)
        let resolver = Resolver(client: client, rootName: project?.name ?? "resolve", run: run, sink: planner,
                                overrides: try project.map(Overrides.init) ?? Overrides())
        do { try await resolver.resolve(rootDependencies: requests) } catch {
            throw InstallError.wrap(error)
        }
        planner.flag(from: resolver.root)
        run.clock.mark("resolve")
        return run.report(planned: planner.planned, outcomes: nil, lockfile: nil)
    }
}
