import FixtureRegistry
public import Foundation

/// Which requests a fault rule applies to.
public enum FaultMatch: Sendable, Hashable {
    /// Packument (and version document) requests of a package, however the name is encoded.
    case packument(String)
    /// Tarball requests of `name@version`.
    case tarball(name: String, version: String)
    /// Any request about a package: packument, version document, tarball or attestations.
    case package(String)
    /// Requests whose raw path (as sent, prefix included) equals this string.
    case path(String)
    /// Every request of one kind (every packument, every tarball, the keys, any attestations).
    case kind(FaultRouteKind)
    /// Every request.
    case any

    func matches(route: RegistryRoute?, path: String) -> Bool {
        switch self {
        case .any: return true
        case .path(let expected): return path == expected
        case .package(let name): return route?.packageName?.description == name
        case .kind(let kind): return kind.matches(route)
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

/// The kinds of registry response a fault can be aimed at as a whole.
public enum FaultRouteKind: String, Sendable, Hashable, CaseIterable {
    /// Full and abbreviated packuments and version documents.
    case packument
    /// Tarballs.
    case tarball
    /// `GET /-/npm/v1/keys`.
    case keys
    /// `GET /-/npm/v1/attestations/<name>@<version>`.
    case attestations

    func matches(_ route: RegistryRoute?) -> Bool {
        switch (self, route) {
        case (.packument, .packument?), (.packument, .manifest?), (.tarball, .tarball?), (.keys, .keys?),
             (.attestations, .attestations?): true
        default: false
        }
    }
}

/// How a served packument is falsified (every version, or the one a rule names).
public enum PackumentFault: String, Sendable, Hashable, CaseIterable {
    /// `dist.integrity` names other bytes, and the registry signature is redone over the false value,
    /// so only hashing the tarball reveals it.
    case wrongIntegrity
    /// `dist.signatures` is removed.
    case dropSignatures
    /// `dist.signatures` is a valid signature by a key the registry does not list.
    case unknownKeySignature
    /// `dist.signatures` is by the registry key, but over `name@version:<other integrity>`.
    case signatureOverOtherBytes
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
    /// Falsify the packument (or version document): every version, or only `version`.
    case packument(PackumentFault, version: String? = nil)
    /// Serve `/-/npm/v1/keys` with every key expired long before any version was published.
    case expireKeys
    /// Serve another version's attestations (same package) for the one asked.
    case swapAttestation
    /// Send the body `chunkBytes` at a time, waiting `interval` between chunks.
    case slowBody(chunkBytes: Int, interval: Duration)
    /// Announce the full `Content-Length`, send the first half of the body, then close the connection.
    case truncateBody
    /// Answer with this `Content-Type` and, if given, this body instead of the real one.
    case contentType(String, body: Data?)

    /// Whether the action can act on a response of this route (it neither fires nor counts down elsewhere).
    func applies(to route: RegistryRoute?) -> Bool {
        switch self {
        case .corruptTarball, .replaceTarball: FaultRouteKind.tarball.matches(route)
        case .packument: FaultRouteKind.packument.matches(route)
        case .expireKeys: FaultRouteKind.keys.matches(route)
        case .swapAttestation: FaultRouteKind.attestations.matches(route)
        case .status, .delay, .dropConnection, .slowBody, .truncateBody, .contentType: true
        }
    }
}

/// One fault: which requests, what happens, how many more times.
public struct FaultRule: Sendable, Hashable {
    public let match: FaultMatch
    public let action: FaultAction
    /// How many more matching requests this rule applies to; nil is unlimited. With
    /// ``perPath``, how many requests of each distinct path it applies to.
    public internal(set) var remaining: Int?
    /// Counts uses per raw path, so that "the first N requests" holds for every path on its own.
    public let perPath: Bool
    /// Uses so far per path (``perPath`` rules only).
    var usesByPath: [String: Int] = [:]

    public init(_ match: FaultMatch, _ action: FaultAction, times: Int? = 1, perPath: Bool = false) {
        self.match = match
        self.action = action
        self.remaining = times
        self.perPath = perPath
    }

    /// Takes one use for a request of `path` if any is left; false when the rule is used up there.
    mutating func use(path: String) -> Bool {
        if perPath {
            let used = usesByPath[path, default: 0]
            if let remaining, used >= remaining { return false }
            usesByPath[path] = used + 1
            return true
        }
        if let remaining {
            guard remaining > 0 else { return false }
            self.remaining = remaining - 1
        }
        return true
    }

    /// A per-path rule is never used up as a whole.
    var isExhausted: Bool { !perPath && remaining == 0 }
}
