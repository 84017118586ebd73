import Foundation

/// Errors of the fixture TUF repository, TLS authority and CONNECT proxy; each says what was
/// expected and what was found, and names the file or host involved.
public enum TUFError: Error, CustomStringConvertible, Equatable {
    case badKey(String)
    case badMetadata(String)
    case io(path: String, reason: String)
    case tls(String)

    public var description: String {
        switch self {
        case .badKey(let message): "TUF key: \(message)"
        case .badMetadata(let message): "TUF metadata: \(message)"
        case .io(let path, let reason): "TUF fixture file \(path): \(reason)"
        case .tls(let message): "fixture TLS: \(message)"
        }
    }
}
