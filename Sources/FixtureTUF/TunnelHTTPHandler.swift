import Foundation
import NIOCore
import NIOHTTP1

/// Serves HTTP/1.1 (keep-alive) inside a terminated TLS tunnel by asking the host's
/// `TunnelResponder`, and records each exchange. Bodies above `maxBodyBytes` are refused with 413.
final class TunnelHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let maxBodyBytes = 16 * 1024 * 1024

    private let host: String
    private let serverName: String?
    private let responder: any TunnelResponder
    private let log: ProxyLog
    private var head: HTTPRequestHead?
    private var body = Data()
    private var tooLarge = false

    init(host: String, serverName: String?, responder: any TunnelResponder, log: ProxyLog) {
        self.host = host
        self.serverName = serverName
        self.responder = responder
        self.log = log
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = Data()
            tooLarge = false
        case .body(var chunk):
            if body.count + chunk.readableBytes > Self.maxBodyBytes { tooLarge = true } else {
                body.append(contentsOf: chunk.readBytes(length: chunk.readableBytes) ?? [])
            }
        case .end:
            guard let head else { return }
            self.head = nil
            let request = TunnelRequest(host: host, method: head.method.rawValue, target: head.uri,
                                        headers: head.headers.map { ($0.name, $0.value) }, body: body)
            if tooLarge {
                send(TunnelResponse(status: 413), for: request, keepAlive: false, context: context)
                return
            }
            let responder = self.responder
            context.eventLoop.makeFutureWithTask { await responder.respond(to: request) }
                .assumeIsolated()
                .whenSuccess { response in
                    self.send(response, for: request, keepAlive: head.isKeepAlive, context: context)
                }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func send(_ response: TunnelResponse, for request: TunnelRequest, keepAlive: Bool, context: ChannelHandlerContext) {
        log.append(ProxyRecord(kind: .tunneled, host: host, serverName: serverName, method: request.method,
                               target: request.target, status: response.status))
        var headers = HTTPHeaders(response.headers.map { ($0.name, $0.value) })
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
        headers.replaceOrAdd(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if !response.body.isEmpty, request.method != "HEAD" {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive { done.assumeIsolated().whenComplete { _ in context.close(promise: nil) } }
    }
}
