import FixtureRegistry
import Foundation
import Hummingbird
import NIOCore

/// Faults in how a finished response travels: slowly, cut short, or under a wrong
/// `Content-Type`. The response is computed normally first, then re-sent this way.
enum FaultDelivery {
    /// Applies a delivery action to `response`; other actions leave it as it is.
    static func apply(_ action: FaultAction, to response: Response, channel: any Channel) async throws -> Response {
        switch action {
        case .slowBody(let chunkBytes, let interval):
            let bytes = try await collect(response.body)
            var slow = response
            slow.body = ResponseBody(contentLength: bytes.count) { writer in
                var offset = 0
                while offset < bytes.count {
                    let end = min(offset + chunkBytes, bytes.count)
                    try await writer.write(ByteBuffer(bytes: bytes[offset..<end]))
                    offset = end
                    if offset < bytes.count { try await Task.sleep(for: interval) }
                }
                try await writer.finish(nil)
            }
            return slow
        case .truncateBody:
            let bytes = try await collect(response.body)
            var truncated = response
            truncated.body = ResponseBody(contentLength: bytes.count) { writer in
                try await writer.write(ByteBuffer(bytes: bytes.prefix(bytes.count / 2)))
                // Let the half reach the socket, then hang up before the promised length.
                try await Task.sleep(for: .milliseconds(50))
                channel.close(promise: nil)
                throw TruncatedByFault(sent: bytes.count / 2, promised: bytes.count)
            }
            return truncated
        case .contentType(let type, let body):
            var retyped = response
            retyped.headers[.contentType] = type
            retyped.headers[.eTag] = nil
            if let body { retyped.body = ResponseBody(byteBuffer: ByteBuffer(bytes: body)) }
            return retyped
        default:
            return response
        }
    }

    /// Whether `action` is applied by ``apply(_:to:channel:)``.
    static func isDelivery(_ action: FaultAction) -> Bool {
        switch action {
        case .slowBody, .truncateBody, .contentType: true
        default: false
        }
    }

    /// The bytes a response body would send.
    static func collect(_ body: ResponseBody) async throws -> Data {
        let collector = Collector()
        try await body.write(collector)
        return collector.data
    }

    /// A body writer that keeps what it is given.
    private final class Collector: ResponseBodyWriter {
        var data = Data()
        func write(_ buffer: ByteBuffer) async throws { data.append(contentsOf: buffer.readableBytesView) }
        func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}

/// Thrown by a truncated body once the connection is closed short of its `Content-Length`.
struct TruncatedByFault: Error, CustomStringConvertible {
    let sent: Int
    let promised: Int
    var description: String { "body truncated by fault injection after \(sent) of \(promised) bytes" }
}
