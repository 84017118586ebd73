import Foundation
public import NIOCore
import NIOHTTP1
public import NIOPosix

/// Answers tunneled requests by forwarding them, as plain HTTP/1.1, to a server on 127.0.0.1
/// (e.g. the Hummingbird adapter of the fixture Fulcio or Rekor), so those services can sit behind
/// `fulcio.sigstore.dev:443` / `rekor.sigstore.dev:443` without knowing about TLS or the proxy.
/// One connection per request (`Connection: close`); an unreachable or silent upstream yields 502.
public struct LoopbackForwardingResponder: TunnelResponder {
    public let port: Int
    public let timeout: TimeAmount
    private let group: any EventLoopGroup

    public init(port: Int, timeout: TimeAmount = .seconds(30), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.port = port
        self.timeout = timeout
        self.group = group
    }

    public func respond(to request: TunnelRequest) async -> TunnelResponse {
        do {
            return try await forward(request)
        } catch {
            return TunnelResponse(status: 502, headers: [("Content-Type", "text/plain")],
                                  body: Data("fixture proxy: \(request.method) \(request.host)\(request.target) → 127.0.0.1:\(port) failed: \(error)\n".utf8))
        }
    }

    private func forward(_ request: TunnelRequest) async throws -> TunnelResponse {
        let promise = group.next().makePromise(of: TunnelResponse.self)
        let timeout = self.timeout
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(ForwardingClientHandler(promise: promise, timeout: timeout))
                    }
                }
                .connect(host: "127.0.0.1", port: port).get()
        } catch {
            promise.fail(error)  // an unfulfilled NIO promise traps in debug builds
            throw error
        }
        var headers = HTTPHeaders(request.headers.filter {
            !["connection", "content-length", "transfer-encoding", "proxy-connection", "keep-alive"].contains($0.name.lowercased())
        }.map { ($0.name, $0.value) })
        headers.add(name: "Content-Length", value: String(request.body.count))
        headers.add(name: "Connection", value: "close")
        let head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: request.method), uri: request.target, headers: headers)
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if !request.body.isEmpty {
            channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: request.body))), promise: nil)
        }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        return try await promise.futureResult.get()
    }
}

/// Collects one HTTP response and completes the promise; fails it if the connection ends first or times out.
private final class ForwardingClientHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    struct UpstreamClosed: Error, CustomStringConvertible {
        var description: String { "the upstream closed the connection before a complete response" }
    }

    private let promise: EventLoopPromise<TunnelResponse>
    private let timeout: TimeAmount
    private var response: TunnelResponse?
    private var done = false

    init(promise: EventLoopPromise<TunnelResponse>, timeout: TimeAmount) {
        self.promise = promise
        self.timeout = timeout
    }

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            response = TunnelResponse(status: Int(head.status.code),
                                      headers: head.headers.filter { !["connection", "content-length", "transfer-encoding"].contains($0.name.lowercased()) }
                                          .map { ($0.name, $0.value) })
        case .body(var chunk):
            response?.body.append(contentsOf: chunk.readBytes(length: chunk.readableBytes) ?? [])
        case .end:
            guard !done, let response else { return }
            done = true
            promise.succeed(response)
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !done {
            done = true
            promise.fail(UpstreamClosed())
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !done {
            done = true
            promise.fail(error)
        }
        context.close(promise: nil)
    }
}
