import ArgumentParser
import CurlTransport
import FoundationEssentials
import Installer
import NpmModel
import RegistryClient

/// One CLI run: configuration, registry (the fixture world, a child process, if none is configured), install, report.
enum Session {
    enum Mode: String { case install, ci, resolve }

    /// An interrupted install leaves no staging folder and never a half-swapped node_modules; one
    /// interrupted after its commit says that the new tree stands.
    private static func cleanUpOnInterrupt() {
        Interrupts.onInterrupt {
            for prefix in Installer.abandonStagedTrees() {
                StandardStream.error.write("verify-install: interrupted after the install was committed: \(TerminalText.escaped(prefix.path))/node_modules and its files are the new, verified ones; the report was not printed\n")
            }
        }
    }

    static func run(_ options: CommonOptions, provenance: ProvenanceOptions?, placement: PlacementOptions? = nil,
                    specs: [String], mode: Mode) async throws {
        let output = Output(json: options.json, quiet: options.quiet)
        if mode != .resolve { cleanUpOnInterrupt() }
        var embedded: WorldProcess?
        do {
            let parsed = try specs.map { try PackageSpec(parsing: $0) }
            let project = try options.prefix.setup()
            let (prefix, environment) = (project.directory, project.environment)
            // `node --version` waits for a node to start: it runs while the trust root loads.
            async let detectedEngines = EngineDetection.versions(node: options.nodeVersion, npm: options.npmVersion, environment: environment)
            if mode != .resolve {
                try FileManager.default.createDirectory(at: prefix, withIntermediateDirectories: true)
            }
            let commandLine = placement?.commandLine ?? []
            var configuration = try project.configuration(registry: options.registry, fallback: nil, commandLine: commandLine)
            if configuration == nil {
                let world = try await WorldProcess.start(verbose: options.verbose)
                embedded = world
                output.note("no registry configured: started the embedded fixture world (fixture-registry serve), registry at \(world.registryURL)")
                // The world stands in for the default registry only: .npmrc scopes and tokens still apply.
                configuration = try project.configuration(registry: nil, fallback: world.registryURL, commandLine: commandLine)
            }
            let transport = try project.transport(concurrency: options.concurrency)
            defer { transport.shutdown() }
            let client = RegistryClient(configuration: configuration!, transport: transport)
            let cacheRoot = try options.cache.map { URL(fileURLWithPath: $0) } ?? ContentCache.defaultRoot(environment: environment)
            let cache = ContentCache(root: cacheRoot, attestationKey: mode == .resolve ? nil
                                        : attestationKey(environment: environment, apart: [cacheRoot, prefix], output: output))
            let world: WorldTrust? = if let embedded, provenance != nil { try await WorldTrust.fetch(from: embedded) } else { nil }
            var settings = try await provenance?.settings(registry: configuration!.registry, world: world, note: output.note)
                ?? ProvenanceSettings()
            settings.fixtureWorld = embedded != nil
            let engines = await detectedEngines
            let installer = Installer(client: client, cache: cache, provenance: settings, engines: engines, progress: output.progress)
            let report: InstallReport
            switch mode {
            case .install: report = try await installer.install(prefix: prefix, specs: parsed)
            case .ci: report = try await installer.ci(prefix: prefix)
            case .resolve: report = try await installer.resolve(prefix: parsed.isEmpty ? prefix : nil, specs: parsed)
            }
            await embedded?.stop()
            output.finish(report)
            ExitRelease.keep((installer, report, settings))
        } catch {
            Interrupts.awaitExitIfInterrupted()
            await embedded?.stop()
            let failure = InstallError.wrap(error)
            output.fail(failure)
            throw CommandFailure.exit(failure.kind)
        }
    }

    /// The key that marks cached attestation responses as this user's; without one the run keeps
    /// none and says why.
    private static func attestationKey(environment: [String: String], apart: [URL], output: Output) -> AttestationCacheKey? {
        guard let folder = AttestationCacheKey.defaultFolder(environment: environment) else {
            output.note("attestation responses are not cached this run: XDG_STATE_HOME and HOME are unset, empty or relative")
            return nil
        }
        do { return try AttestationCacheKey.load(folder: folder, apart: apart) } catch {
            output.note("attestation responses are not cached this run: \(error)")
            return nil
        }
    }
}
