import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A tiny real HTTP/1.1 server on 127.0.0.1 (OS-chosen port) serving fixed documents by
/// raw request path, for registry data that the fixture registry cannot produce (real
/// recorded npm packuments and attestations). Unknown paths get a fast 404.
final class StaticRegistry: Sendable {
    private let documents: Mutex<[String: Data]>
    private let requested = Mutex<[String]>([])
    /// Paths starting with one of these get a 503 (a registry withholding part of its answers).
    private let unavailable = Mutex<[String]>([])
    private let channel: any Channel

    private init(documents: [String: Data], channel: any Channel) {
        self.documents = Mutex(documents)
        self.channel = channel
    }

    /// Starts serving `documents` (path → body, served as `application/json`).
    static func start(_ documents: [String: Data]) async throws -> StaticRegistry {
        let box = Mutex<StaticRegistry?>(nil)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler { path in box.withLock { $0?.answer(path) } ?? (503, Data()) })
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = StaticRegistry(documents: documents, channel: channel)
        box.withLock { $0 = server }
        return server
    }

    /// `http://127.0.0.1:<port>/`.
    var baseURL: String { "http://127.0.0.1:\(channel.localAddress?.port ?? 0)/" }

    /// Replaces or adds one document.
    func set(_ path: String, _ body: Data?) { documents.withLock { $0[path] = body } }

    /// Answers 503 for every path that starts with `prefix`.
    func failWith503(below prefix: String) { unavailable.withLock { $0.append(prefix) } }

    /// Every path requested so far, in order.
    var requests: [String] { requested.withLock { $0 } }

    func stop() async { try? await channel.close() }

    private func answer(_ path: String) -> (Int, Data) {
        requested.withLock { $0.append(path) }
        if unavailable.withLock({ $0.contains { path.hasPrefix($0) } }) { return (503, Data()) }
        guard let body = documents.withLock({ $0[path] }) else { return (404, Data(#"{"error":"Not found"}"#.utf8)) }
        return (200, body)
    }

    /// Answers each complete request with the document for its path.
    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let lookup: @Sendable (String) -> (Int, Data)
        var path = "/"

        init(_ lookup: @escaping @Sendable (String) -> (Int, Data)) { self.lookup = lookup }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): path = head.uri
            case .body: break
            case .end:
                let (status, body) = lookup(path)
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: "application/json")
                headers.add(name: "Content-Length", value: String(body.count))
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: headers))), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
