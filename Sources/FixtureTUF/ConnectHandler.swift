import NIOCore
import NIOHTTP1
import NIOSSL
import NIOTLS

/// The first handler of every proxy connection. It accepts `CONNECT <host>:443` for an
/// intercepted host with `200 Connection Established` (the only thing https-proxy-agent looks
/// at, PROTOCOLS §8.7), then turns the connection into a TLS server for that host: the HTTP
/// codec is removed, an `SNIHandler` reads the client's server name, and `NIOSSLServerHandler`
/// plus an HTTP/1.1 keep-alive pipeline and a `TunnelHTTPHandler` take over.
/// Everything else (other hosts, other ports, plain requests) gets `403` and the connection is closed.
final class ConnectHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        case awaitingEnd(host: String, site: ConnectProxy.Site)
        case refusing
        case upgraded
    }

    private var state = State.idle
    private let sites: ProxySites
    private let log: ProxyLog
    private let decoder: ByteToMessageHandler<HTTPRequestDecoder>
    private let encoder: HTTPResponseEncoder

    init(sites: ProxySites, log: ProxyLog, decoder: ByteToMessageHandler<HTTPRequestDecoder>, encoder: HTTPResponseEncoder) {
        self.sites = sites
        self.log = log
        self.decoder = decoder
        self.encoder = encoder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard case .idle = state else { return }
            guard head.method == .CONNECT else {
                log.append(ProxyRecord(kind: .plain, host: head.headers.first(name: "host") ?? "", serverName: nil,
                                       method: head.method.rawValue, target: head.uri, status: 403))
                refuse(context: context, reason: "this proxy only tunnels CONNECT to the fixture hosts")
                return
            }
            let (host, port) = Self.splitAuthority(head.uri)
            guard port == 443, let site = sites.site(for: host) else {
                log.append(ProxyRecord(kind: .connect, host: head.uri, serverName: nil, method: "CONNECT", target: head.uri, status: 403))
                refuse(context: context, reason: "\(head.uri) is not a fixture host")
                return
            }
            log.append(ProxyRecord(kind: .connect, host: head.uri, serverName: nil, method: "CONNECT", target: head.uri, status: 200))
            state = .awaitingEnd(host: host, site: site)
        case .body:
            break
        case .end:
            guard case .awaitingEnd(let host, let site) = state else { return }
            state = .upgraded
            do {
                try upgrade(context: context, host: host, site: site)
            } catch {
                context.close(promise: nil)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    // MARK: - Tunnel

    private func upgrade(context: ChannelHandlerContext, host: String, site: ConnectProxy.Site) throws {
        let pipeline = context.pipeline.syncOperations
        let channel = context.channel
        let log = self.log
        let sni = ByteToMessageHandler(SNIHandler { result in
            var serverName: String?
            if case .hostname(let name) = result { serverName = name }
            return channel.eventLoop.makeCompletedFuture {
                let tunnel = channel.pipeline.syncOperations
                let tls = NIOSSLServerHandler(context: site.tlsContext)
                try tunnel.addHandler(tls, position: .last)
                try tunnel.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: true)
                try tunnel.addHandler(TunnelHTTPHandler(host: host, serverName: serverName, responder: site.responder, log: log))
            }
        })
        try pipeline.addHandler(sni, position: .last)
        pipeline.removeHandler(encoder, promise: nil)
        var reply = context.channel.allocator.buffer(capacity: 64)
        reply.writeString("HTTP/1.1 200 Connection Established\r\n\r\n")
        context.writeAndFlush(NIOAny(reply), promise: nil)
        pipeline.removeHandler(context: context, promise: nil)
        pipeline.removeHandler(decoder, promise: nil)
    }

    private func refuse(context: ChannelHandlerContext, reason: String) {
        state = .refusing
        var body = context.channel.allocator.buffer(capacity: reason.utf8.count + 1)
        body.writeString(reason + "\n")
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain")
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .forbidden, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    /// `host:port` → (lowercased host, port); a missing or bad port yields 0.
    static func splitAuthority(_ authority: String) -> (String, Int) {
        guard let colon = authority.lastIndex(of: ":") else { return (authority.lowercased(), 0) }
        return (authority[..<colon].lowercased(), Int(authority[authority.index(after: colon)...]) ?? 0)
    }
}
