import Foundation
import Synchronization

/// The address the server bound, learnt once it runs, from which tarball URLs are built.
///
/// Hummingbird calls `onServerRunning` with the listening channel; its
/// `localAddress` carries the real port when the configuration asked for port 0.
final class ServerAddress: Sendable {
    private let bound = Mutex<(host: String, port: Int)?>(nil)
    /// A fixed public base URL (without prefix) that overrides the bound address.
    let publicBaseURL: String?

    init(publicBaseURL: String? = nil) {
        self.publicBaseURL = publicBaseURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    /// Records the bound address; an unspecified address (`0.0.0.0`, `::`) is reached through loopback.
    func record(ipAddress: String?, port: Int?) {
        guard let ipAddress, let port else { return }
        let host = switch ipAddress {
        case "0.0.0.0": "127.0.0.1"
        case "::": "::1"
        default: ipAddress
        }
        bound.withLock { $0 = (host, port) }
    }

    /// The port the server bound, once it runs.
    var port: Int? { bound.withLock { $0?.port } }

    /// `http://<host>:<port><prefix>`; before the server runs (never in practice) the request's authority is used.
    func baseURL(host authority: String? = nil, prefix: String) -> String {
        if let publicBaseURL { return publicBaseURL + prefix }
        if let (host, port) = bound.withLock({ $0 }) {
            let literal = host.contains(":") ? "[\(host)]" : host
            return "http://\(literal):\(port)\(prefix)"
        }
        return "http://\(authority ?? "127.0.0.1")\(prefix)"
    }
}
