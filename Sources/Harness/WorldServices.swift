public import FixtureRegistry
public import FixtureSigstore
public import FixtureTUF
public import Foundation

/// The Sigstore side of a fixture world, running: the OIDC issuer, Fulcio and Rekor over HTTP,
/// the world's `trusted_root.json` written beside them, and the TUF mirror behind its CONNECT
/// proxy. `FixtureWorld` adds a registry to it; `fixture-registry serve` runs its own.
public final class WorldServices: Sendable {
    public let sigstore: SigstoreWorld
    public let server: WorldServer
    public let tuf: TUFMirrorFixture
    public let proxyPort: Int
    /// `<folder>/trusted_root.json`, for `--trusted-root`.
    public let trustedRootFile: URL

    private init(sigstore: SigstoreWorld, server: WorldServer, tuf: TUFMirrorFixture, proxyPort: Int, trustedRootFile: URL) {
        self.sigstore = sigstore
        self.server = server
        self.tuf = tuf
        self.proxyPort = proxyPort
        self.trustedRootFile = trustedRootFile
    }

    /// Opens (or creates) the world kept in `folder` (`world/`, `tuf/`, `trusted_root.json`) and starts its servers.
    public static func start(in folder: URL) async throws -> WorldServices {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let sigstore = try await SigstoreWorld(directory: folder.appendingPathComponent("world"))
        let tufFiles = ServedFiles()
        let server = try await WorldServer.start(sigstore, tufFiles: { tufFiles.file(at: $0) })
        do {
            let rootData = try sigstore.trustedRootData()
            let trustedRootFile = folder.appendingPathComponent("trusted_root.json")
            try rootData.write(to: trustedRootFile, options: .atomic)
            let tuf = try TUFMirrorFixture(directory: folder.appendingPathComponent("tuf"),
                                           targetFiles: ["trusted_root.json": rootData], now: Date(), http: tufFiles)
            let proxyPort = try await tuf.start()
            return WorldServices(sigstore: sigstore, server: server, tuf: tuf, proxyPort: proxyPort, trustedRootFile: trustedRootFile)
        } catch {
            await server.stop()
            throw error
        }
    }

    /// The world's TUF repository over plain HTTP (the same documents the CONNECT proxy serves npm).
    public var tufURL: String { server.baseURL + "/tuf" }

    /// The current root of the world's TUF repository over HTTP: what a TUF client of the world is anchored in.
    public var tufRoot: Data { tuf.httpRepository.root }

    /// Publishes `registry`'s signing keys as the TUF target `<host:port>/keys.json` (over HTTP:
    /// the real npm behind the proxy keeps taking them from `/-/npm/v1/keys`).
    public func publishRegistryKeys(_ keys: [RegistryKeyring.PublicKey], registry: String) throws {
        guard let name = RegistryKeysTUFTarget.name(forRegistry: registry) else { return }
        try tuf.publishOverHTTP(adding: [name: try RegistryKeysTUFTarget.render(keys)], now: Date())
    }

    /// What a registry needs to trust this world (token exchange, attestation log).
    public var registryLink: RegistryWorldLink { RegistryWorldLink(world: sigstore) }

    /// Stops the proxy and the servers.
    public func stop() async {
        try? await tuf.stop()
        await server.stop()
    }
}
