import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

// MARK: - Scripted replies

/// A request as the test server received it.
struct RecordedRequest: Sendable {
    let method: String
    let path: String
    let headers: [(name: String, value: String)]
    let body: [UInt8]

    /// The first value of a header, case-insensitively.
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// Holds responses until the test opens it (then and later they go out at once): lets a test
/// keep requests in flight for exactly as long as it needs, with no timing involved.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, held: [@Sendable () -> Void])>((false, []))

    /// Opens the gate: every held response is sent, later ones are not held.
    func open() {
        let held = state.withLock { state in
            state.open = true
            defer { state.held = [] }
            return state.held
        }
        for release in held { release() }
    }

    /// Runs `release` once the gate is open (at once if it is).
    fileprivate func whenOpen(_ release: @escaping @Sendable () -> Void) {
        let openNow = state.withLock { state in
            if !state.open { state.held.append(release) }
            return state.open
        }
        if openNow { release() }
    }
}

/// What the server does with one request.
enum Reply: Sendable {
    /// A complete response (Content-Length set), held until `gate` is open when one is given.
    case respond(status: Int, headers: [(String, String)] = [], body: [UInt8] = [], gate: Gate? = nil)
    /// Never answers; the connection stays open until the client gives up.
    case stall
    /// A 200 of `total` bytes written `chunk` bytes at a time, each write waiting
    /// for the previous one to reach the socket (so an aborting client stops it).
    case stream(total: Int, chunk: Int)
}

/// Decides the reply; `index` counts earlier requests to the same path (0 for the first).
typealias Route = @Sendable (_ request: RecordedRequest, _ index: Int) -> Reply

// MARK: - TestServer

/// A real HTTP/1.1 server on 127.0.0.1 (port chosen by the OS) with scripted
/// routes, counting requests, TCP connections, concurrency and bytes streamed.
final class TestServer: Sendable {
    struct Stats: Sendable {
        var requests: [RecordedRequest] = []
        var connectionsOpened = 0
        var connectionsClosed = 0
        var inFlight = 0
        var maxInFlight = 0
        var bytesStreamed = 0
    }

    private let stats = Mutex(Stats())
    private let route: Route
    private let channel = Mutex<(any Channel)?>(nil)

    private init(route: @escaping Route) { self.route = route }

    /// Starts a server answering with `route`.
    static func start(_ route: @escaping Route) async throws -> TestServer {
        let server = TestServer(route: route)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(ScriptedHandler(server: server))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        server.channel.withLock { $0 = channel }
        return server
    }

    var port: Int { channel.withLock { $0?.localAddress?.port ?? 0 } }

    /// `http://127.0.0.1:PORT` + `path`.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// A snapshot of the counters.
    var snapshot: Stats { stats.withLock { $0 } }

    /// How many requests reached `path`.
    func requestCount(_ path: String) -> Int { snapshot.requests.filter { $0.path == path }.count }

    /// Stops listening (open connections are closed by their clients).
    func stop() async {
        let channel = self.channel.withLock { $0 }
        try? await channel?.close()
    }

    // MARK: - Bookkeeping (called from the event loop)

    fileprivate func connectionOpened() { stats.withLock { $0.connectionsOpened += 1 } }
    fileprivate func connectionClosed() { stats.withLock { $0.connectionsClosed += 1 } }
    fileprivate func responseDone() { stats.withLock { $0.inFlight -= 1 } }
    fileprivate func streamed(_ bytes: Int) { stats.withLock { $0.bytesStreamed += bytes } }

    /// Records a request and asks the route for its reply.
    fileprivate func received(_ request: RecordedRequest) -> Reply {
        let index = stats.withLock { stats in
            stats.inFlight += 1
            stats.maxInFlight = max(stats.maxInFlight, stats.inFlight)
            defer { stats.requests.append(request) }
            return stats.requests.filter { $0.path == request.path }.count
        }
        return route(request, index)
    }
}

// MARK: - ScriptedHandler

/// Per-connection handler: assembles each request and plays its ``Reply``.
private final class ScriptedHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let server: TestServer
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var awaitingResponse = false

    init(server: TestServer) { self.server = server }

    func channelActive(context: ChannelHandlerContext) {
        server.connectionOpened()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if awaitingResponse { awaitingResponse = false; server.responseDone() }
        server.connectionClosed()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            let request = RecordedRequest(
                method: head.method.rawValue, path: head.uri,
                headers: head.headers.map { (name: $0.name, value: $0.value) }, body: body)
            awaitingResponse = true
            play(server.received(request), context: context)
        }
    }

    private func play(_ reply: Reply, context: ChannelHandlerContext) {
        switch reply {
        case .stall:
            break
        case .respond(let status, let headers, let body, let gate):
            guard let gate else { return respond(status, headers, body, context: context) }
            // The gate opens on the test's thread; the response is written back on this event loop.
            let released = context.eventLoop.makePromise(of: Void.self)
            gate.whenOpen { released.succeed() }
            released.futureResult.assumeIsolated().whenSuccess {
                self.respond(status, headers, body, context: context)
            }
        case .stream(let total, let chunk):
            var headers = HTTPHeaders()
            headers.add(name: "Content-Length", value: "\(total)")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))),
                          promise: nil)
            stream(remaining: total, chunk: ByteBuffer(repeating: 0x61, count: chunk), context: context)
        }
    }

    private func respond(_ status: Int, _ extra: [(String, String)], _ body: [UInt8], context: ChannelHandlerContext) {
        var headers = HTTPHeaders(extra)
        headers.replaceOrAdd(name: "Content-Length", value: "\(body.count)")
        let head = HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            self.finishResponse()
        }
    }

    private func stream(remaining: Int, chunk: ByteBuffer, context: ChannelHandlerContext) {
        guard remaining > 0 else {
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                self.finishResponse()
            }
            return
        }
        let slice = chunk.getSlice(at: chunk.readerIndex, length: min(chunk.readableBytes, remaining))!
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(slice)))).assumeIsolated().whenComplete { result in
            guard case .success = result else { return context.close(promise: nil) }
            self.server.streamed(slice.readableBytes)
            self.stream(remaining: remaining - slice.readableBytes, chunk: chunk, context: context)
        }
    }

    private func finishResponse() {
        guard awaitingResponse else { return }
        awaitingResponse = false
        server.responseDone()
    }
}
