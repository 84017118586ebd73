import Foundation
import Synchronization

/// What the CONNECT proxy saw, in arrival order, for tests and logging.
public struct ProxyRecord: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// A `CONNECT host:port` request (status 200 when intercepted, 403 when refused).
        case connect
        /// A request served inside a tunnel.
        case tunneled
        /// A plain-HTTP (non-CONNECT) request, always refused.
        case plain
    }

    public let kind: Kind
    /// The CONNECT authority (`host:port`) or, for tunneled requests, the intercepted host.
    public let host: String
    /// The TLS server name the client sent inside the tunnel (nil before TLS or when absent).
    public let serverName: String?
    public let method: String
    public let target: String
    public let status: Int

    public var description: String {
        "\(kind.rawValue) \(host)\(serverName.map { " sni=\($0)" } ?? "") \(method) \(target) → \(status)"
    }
}

/// A thread-safe list of the latest `ProxyRecord`s (the oldest are dropped beyond `capacity`,
/// so a long-running `fixture-registry serve` does not grow without bound).
final class ProxyLog: Sendable {
    static let capacity = 10_000
    private let entries = Mutex<[ProxyRecord]>([])

    func append(_ record: ProxyRecord) {
        entries.withLock {
            $0.append(record)
            if $0.count > Self.capacity { $0.removeFirst($0.count - Self.capacity) }
        }
    }
    var records: [ProxyRecord] { entries.withLock { $0 } }
}
