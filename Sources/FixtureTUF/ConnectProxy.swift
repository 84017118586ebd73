public import Foundation
public import NIOCore
import NIOHTTP1
public import NIOPosix
import NIOSSL
import Synchronization

/// A loopback HTTP proxy that intercepts `CONNECT` to chosen HTTPS hosts (the TUF mirror
/// `tuf-repo-cdn.sigstore.dev`, later Fulcio and Rekor), terminates TLS there with a
/// certificate from the fixture `TLSAuthority`, and answers from an in-process `TunnelResponder`.
/// Nothing is forwarded anywhere: every other host and every plain request gets `403`,
/// so a run that uses it stays fully offline (PROTOCOLS §8.8).
public final class ConnectProxy: Sendable {
    /// One intercepted host: the TLS server context for its certificate and what answers its requests.
    public struct Site: Sendable {
        let tlsContext: NIOSSLContext
        public let responder: any TunnelResponder

        /// A site presenting `identity` (leaf + CA chain) and answering with `responder`.
        public init(identity: TLSServerIdentity, responder: any TunnelResponder) throws {
            do {
                let chain = try identity.chainDER().map { NIOSSLCertificateSource.certificate(try NIOSSLCertificate(bytes: $0, format: .der)) }
                let key = try NIOSSLPrivateKey(bytes: Array(identity.privateKeyPEM.utf8), format: .pem)
                var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
                configuration.minimumTLSVersion = .tlsv12
                tlsContext = try NIOSSLContext(configuration: configuration)
            } catch {
                throw TUFError.tls("could not build a TLS server context for \(identity.hostnames): \(error)")
            }
            self.responder = responder
        }
    }

    private enum Lifecycle {
        case idle
        case running(Channel)
        case stopped
    }

    private let sites = ProxySites()
    private let log = ProxyLog()
    private let lifecycle = Mutex<Lifecycle>(.idle)
    private let connections = Mutex<[ObjectIdentifier: Channel]>([:])
    private let group: any EventLoopGroup

    /// A proxy intercepting `sites` (host → site); more can be added with `setSite(_:for:)`, even while running.
    public init(sites: [String: Site] = [:], group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.group = group
        for (host, site) in sites { self.sites.set(site, for: host) }
    }

    /// Intercepts `CONNECT host:443` from now on.
    public func setSite(_ site: Site, for host: String) { sites.set(site, for: host) }

    /// Every CONNECT, tunneled request and refused request so far, in order.
    public var records: [ProxyRecord] { log.records }

    /// The port once started.
    public var port: Int? {
        lifecycle.withLock { state in
            if case .running(let channel) = state { return channel.localAddress?.port }
            return nil
        }
    }

    /// `http://127.0.0.1:<port>`, the value for `https_proxy`.
    public var url: URL? { port.map { URL(string: "http://127.0.0.1:\($0)")! } }

    /// Binds 127.0.0.1 on an ephemeral port and returns it.
    @discardableResult
    public func start() async throws -> Int {
        let sites = self.sites, log = self.log
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: false)
            .childChannelInitializer { [weak self] channel in
                self?.track(channel)
                return channel.eventLoop.makeCompletedFuture {
                    let decoder = ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes))
                    let encoder = HTTPResponseEncoder()
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(decoder)
                    try pipeline.addHandler(encoder)
                    try pipeline.addHandler(ConnectHandler(sites: sites, log: log, decoder: decoder, encoder: encoder))
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        let started = lifecycle.withLock { state -> Bool in
            guard case .idle = state else { return false }
            state = .running(channel)
            return true
        }
        guard started else {
            try? await channel.close()
            throw TUFError.tls("a ConnectProxy starts only once; create a new one after stop()")
        }
        return channel.localAddress?.port ?? 0
    }

    /// Closes the listener and every open tunnel.
    public func stop() async throws {
        let channel = lifecycle.withLock { state -> Channel? in
            defer { state = .stopped }
            if case .running(let channel) = state { return channel }
            return nil
        }
        guard let channel else { return }
        try? await channel.close()
        for connection in connections.withLock({ Array($0.values) }) {
            try? await connection.close()
        }
    }

    private func track(_ channel: Channel) {
        let id = ObjectIdentifier(channel)
        connections.withLock { $0[id] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in self?.connections.withLock { _ = $0.removeValue(forKey: id) } }
    }
}

/// The intercepted hosts, readable from any event loop.
final class ProxySites: Sendable {
    private let sites = Mutex<[String: ConnectProxy.Site]>([:])

    func set(_ site: ConnectProxy.Site, for host: String) { sites.withLock { $0[host.lowercased()] = site } }
    func site(for host: String) -> ConnectProxy.Site? { sites.withLock { $0[host.lowercased()] } }
}
