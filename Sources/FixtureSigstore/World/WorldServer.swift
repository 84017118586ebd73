public import Foundation
import Hummingbird
public import Logging
import NIOCore
import ServiceLifecycle

/// The world's HTTP side on 127.0.0.1: the OIDC issuer under `/oidc`, Fulcio under `/fulcio`,
/// Rekor under `/rekor`, the Rekor v2 log under `/rekor-v2` and the timestamp authority under `/tsa`, all on one port. ``stop()`` shuts it down.
public final class WorldServer: Sendable {
    public let world: SigstoreWorld
    /// `http://127.0.0.1:<port>` (no trailing slash).
    public let baseURL: String
    public let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, Never>

    /// The issuer's token endpoint, for `ACTIONS_ID_TOKEN_REQUEST_URL` (clients append `&audience=`).
    public var tokenRequestURL: String { IdentityRoutes.tokenRequestURL(baseURL: baseURL, prefix: "/oidc") }
    public var issuerURL: String { baseURL + "/oidc" }
    public var fulcioURL: String { baseURL + "/fulcio" }
    public var rekorURL: String { baseURL + "/rekor" }
    /// Base URL of the Rekor v2 log (`POST <url>/api/v2/log/entries`).
    public var rekorV2URL: String { baseURL + "/rekor-v2" }
    /// Base URL of the timestamp authority (`POST <url>/api/v1/timestamp`).
    public var timestampAuthorityURL: String { baseURL + "/tsa" }

    private init(world: SigstoreWorld, port: Int, group: ServiceGroup, task: Task<Void, Never>) {
        self.world = world
        self.port = port
        self.baseURL = "http://127.0.0.1:\(port)"
        self.group = group
        self.task = task
    }

    /// Starts the services of `world` on `host`:`port` (0 picks a free port) and waits until they listen.
    /// `tufFiles` answers the paths under `/tuf/` (the world's TUF repository, over plain HTTP for TUF clients).
    public static func start(_ world: SigstoreWorld, host: String = "127.0.0.1", port: Int = 0,
                             tufFiles: (@Sendable (_ path: String) -> Data?)? = nil,
                             logger: Logger = WorldServer.quietLogger) async throws -> WorldServer {
        let router = Router()
        if let tufFiles {
            router.get("/tuf/**") { request, _ -> Response in
                let path = String(request.uri.path.dropFirst("/tuf".count))
                guard let bytes = tufFiles(path) else { return Response(status: .notFound) }
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            }
        }
        addIssuerRoutes(world, to: router)
        IdentityRoutes.addFulcio(world.fulcio, to: router, prefix: "/fulcio")
        world.rekor.addRoutes(to: router, prefix: "/rekor")
        world.rekorV2.addRoutes(to: router, prefix: "/rekor-v2")
        world.timestampAuthority.addRoutes(to: router, prefix: "/tsa")
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
                              logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task {
            do { try await group.run() } catch { logger.error("fixture world stopped: \(error)") }
            continuation.finish()
        }
        var iterator = stream.makeAsyncIterator()
        guard let bound = await iterator.next(), bound > 0 else {
            await group.triggerGracefulShutdown()
            await task.value
            throw WorldError("the world server did not start on \(host):\(port)")
        }
        return WorldServer(world: world, port: bound, group: group, task: task)
    }

    /// The issuer's discovery, JWKS and token endpoints under `/oidc`; the token endpoint answers
    /// for whichever job the bearer request token belongs to (see ``SigstoreWorld/startJob(_:)``).
    private static func addIssuerRoutes(_ world: SigstoreWorld, to router: Router<BasicRequestContext>) {
        let group = router.group("/oidc")
        group.get(".well-known/openid-configuration") { _, _ in IdentityRoutes.response(.init(status: 200, body: world.issuer.discoveryDocument)) }
        group.get(".well-known/jwks") { _, _ in IdentityRoutes.response(.init(status: 200, body: world.issuer.jwks)) }
        group.get("token") { request, _ in
            let authorization = request.headers[.authorization]
            let issuer = world.issuer(forRequestToken: authorization)
            let audience = request.uri.queryParameters.get("audience")
            return IdentityRoutes.response(await issuer.tokenResponse(authorization: authorization, audience: audience))
        }
    }

    /// Warnings and errors only: the world serves tests and CLIs whose output must stay clean.
    public static var quietLogger: Logger {
        var logger = Logger(label: "fixture-world")
        logger.logLevel = .warning
        return logger
    }

    /// Shuts the server down and waits until it has.
    public func stop() async {
        await group.triggerGracefulShutdown()
        await task.value
    }
}
