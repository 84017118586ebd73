public import Foundation
import Synchronization

extension ConnectProxy.Site {
    /// The TUF mirror `tuf-repo-cdn.sigstore.dev`: a leaf from `authority`, serving `repository.servedFiles`.
    public static func tufMirror(_ repository: TUFRepository, authority: TLSAuthority, now: Date) throws -> ConnectProxy.Site {
        try ConnectProxy.Site(identity: try authority.issueServerIdentity(for: [TUFRepository.mirrorHost], now: now),
                              responder: StaticFileResponder(files: repository.servedFiles))
    }
}

/// Everything the real npm needs to trust a fixture `trusted_root.json` offline, in one object:
/// TUF role keys and a TLS CA kept in `directory` (reused across runs), the signed repository,
/// and a CONNECT proxy intercepting the mirror. Other intercepted hosts (Fulcio, Rekor) can be
/// added with `proxy.setSite(_:for:)`, issuing their certificates from `authority`.
public final class TUFMirrorFixture: Sendable {
    /// The repository as currently published.
    public var repository: TUFRepository { current.withLock { $0 } }
    public let authority: TLSAuthority
    private let current: Mutex<TUFRepository>
    private let httpCurrent: Mutex<TUFRepository>
    private let keys: TUFRoleKeys
    /// Where the repository is also served over plain HTTP, when it is.
    private let http: ServedFiles?
    /// The `NODE_EXTRA_CA_CERTS` file (`<directory>/tls/ca.pem`).
    public let caCertificateFile: URL
    public let proxy: ConnectProxy

    /// - Parameters:
    ///   - directory: where `tuf-keys/<role>.pem` and `tls/ca.pem`, `tls/ca-key.pem` are loaded from or created.
    ///   - targetFiles: TUF targets, e.g. `trusted_root.json` and `127.0.0.1:<port>/keys.json`.
    ///   - now: the fixture clock; metadata expires a year later.
    ///   - http: also serve the repository's files there (the world server's `/tuf/`).
    public init(directory: URL, targetFiles: [String: Data], now: Date, http: ServedFiles? = nil) throws {
        keys = try TUFRoleKeys.loadOrCreate(at: directory.appendingPathComponent("tuf-keys"))
        authority = try TLSAuthority.loadOrCreate(at: directory.appendingPathComponent("tls"), now: now)
        caCertificateFile = directory.appendingPathComponent("tls").appendingPathComponent("ca.pem")
        let repository = try TUFRepository(targetFiles: targetFiles, keys: keys, now: now)
        current = Mutex(repository)
        httpCurrent = Mutex(repository)
        self.http = http
        proxy = ConnectProxy()
        proxy.setSite(try .tufMirror(repository, authority: authority, now: now), for: TUFRepository.mirrorHost)
        http?.set(repository.servedFiles)
    }

    /// The repository as served over plain HTTP (`http`), which may hold more targets than npm sees.
    public var httpRepository: TUFRepository { httpCurrent.withLock { $0 } }

    /// Publishes `targetFiles` beside the current ones, over HTTP only, as the next version of every
    /// document (a client on the previous root rotates to the new one, signed by the same keys). The
    /// CONNECT proxy keeps serving npm what it did, so npm still reads a registry's keys from
    /// `/-/npm/v1/keys`, where the fault scenarios act on them.
    public func publishOverHTTP(adding targetFiles: [String: Data], now: Date) throws {
        let next = try httpCurrent.withLock { repository in
            repository = try TUFRepository(targetFiles: repository.targetFiles.merging(targetFiles) { _, new in new },
                                           keys: keys, now: now, version: repository.version + 1)
            return repository
        }
        http?.set(next.servedFiles)
    }

    /// Starts the proxy; returns its port.
    @discardableResult
    public func start() async throws -> Int { try await proxy.start() }

    public func stop() async throws { try await proxy.stop() }

    /// Seeds `npmCache` with the fixture root (so npm's expired bundled seed is never used) and returns
    /// the npm environment (`NpmTUFEnvironment`). Call after `start()`.
    public func npmEnvironment(cache npmCache: URL, seedAllMetadata: Bool = false) throws -> [String: String] {
        guard let port = proxy.port else { throw TUFError.tls("npmEnvironment(cache:) needs a started proxy; start() first") }
        try repository.seedNpmCache(at: npmCache, includeMetadata: seedAllMetadata, includeTargets: seedAllMetadata)
        return NpmTUFEnvironment.variables(proxyPort: port, caCertificateFile: caCertificateFile, npmCache: npmCache)
    }
}
