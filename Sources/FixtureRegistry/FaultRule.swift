import Foundation

/// Which requests a fault rule applies to.
public enum FaultMatch: Sendable, Hashable {
    /// Packument (and version document) requests of a package, however the name is encoded.
    case packument(String)
    /// Tarball requests of `name@version`.
    case tarball(name: String, version: String)
    /// Any request about a package: packument, version document or tarball.
    case package(String)
    /// Requests whose raw path (as sent, prefix included) equals this string.
    case path(String)
    /// Every request.
    case any

    func matches(route: RegistryRoute?, path: String) -> Bool {
        switch self {
        case .any: return true
        case .path(let expected): return path == expected
        case .package(let name): return route?.packageName?.description == name
        case .packument(let name):
            switch route {
            case .packument(let routed), .manifest(let routed, _): return routed.description == name
            default: return false
            }
        case .tarball(let name, let version):
            guard case .tarball(let routed, let routedVersion) = route else { return false }
            return routed.description == name && routedVersion == version
        }
    }
}

/// What a fault rule does to a matching request.
public enum FaultAction: Sendable, Hashable {
    /// Answer with this status and a JSON `{"error": message}` body instead of the real response.
    case status(Int, message: String = "fault injected by the fixture registry")
    /// Serve the tarball with some bytes flipped (the packument keeps the original integrity).
    case corruptTarball
    /// Serve these bytes as the tarball (a well-formed but different archive, say).
    case replaceTarball(Data)
    /// Wait, then answer normally (stacks with a later rule's action).
    case delay(Duration)
    /// Close the connection without answering.
    case dropConnection

    /// Whether the action only makes sense for tarball requests (it neither fires nor counts down elsewhere).
    var needsTarball: Bool {
        switch self {
        case .corruptTarball, .replaceTarball: true
        case .status, .delay, .dropConnection: false
        }
    }
}

/// One fault: which requests, what happens, how many more times.
public struct FaultRule: Sendable, Hashable {
    public let match: FaultMatch
    public let action: FaultAction
    /// How many more matching requests this rule applies to; nil is unlimited.
    public internal(set) var remaining: Int?

    public init(_ match: FaultMatch, _ action: FaultAction, times: Int? = 1) {
        self.match = match
        self.action = action
        self.remaining = times
    }
}
