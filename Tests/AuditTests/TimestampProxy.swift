import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A loopback stand-in for `HTTPS_PROXY` that lets the real npm finish TUF's `initTUF` offline
/// without TLS: it answers every `CONNECT` with a non-200 status carrying `timestamp.json`.
/// https-proxy-agent replays a non-200 CONNECT answer to the client as the origin's response
/// (npm 10.8.2 `https-proxy-agent/dist/index.js`), and tuf-js 2 accepts any 2xx, so the next-root
/// probe fails to parse (tuf-js 2 stops probing on any error) and the timestamp request gets a
/// validly signed timestamp. Everything else npm's TUF client needs is in ``NpmTUFCache``.
/// Stop-gap until the project's TLS-terminating CONNECT proxy exists.
final class TimestampProxy: Sendable {
    private let channel: any Channel
    private let connects = Mutex<[String]>([])

    private init(channel: any Channel) { self.channel = channel }

    static func start(timestamp: Data) async throws -> TimestampProxy {
        let box = Mutex<TimestampProxy?>(nil)
        var head = "HTTP/1.1 203 Non-Authoritative Information\r\nContent-Type: application/json\r\n"
        head += "Content-Length: \(timestamp.count)\r\nConnection: close\r\n\r\n"
        let response = Data(head.utf8) + timestamp
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Handler(response: response) { line in
                        box.withLock { $0?.connects.withLock { $0.append(line) } }
                    })
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let proxy = TimestampProxy(channel: channel)
        box.withLock { $0 = proxy }
        return proxy
    }

    /// `http://127.0.0.1:<port>`.
    var url: String { "http://127.0.0.1:\(channel.localAddress?.port ?? 0)" }

    /// The request lines received (`CONNECT host:443 HTTP/1.1`).
    var requests: [String] { connects.withLock { $0 } }

    func stop() async { try? await channel.close() }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        let response: Data
        let record: @Sendable (String) -> Void
        var received = ""
        var answered = false

        init(response: Data, record: @escaping @Sendable (String) -> Void) {
            self.response = response
            self.record = record
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            received += buffer.readString(length: buffer.readableBytes) ?? ""
            guard !answered, received.contains("\r\n\r\n") else { return }
            answered = true
            record(String(received.prefix { $0 != "\r" }))
            // One write: the agent parses the head and keeps whatever arrived with it as the body.
            let channel = context.channel
            context.writeAndFlush(NIOAny(ByteBuffer(bytes: response))).whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
