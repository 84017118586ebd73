public import FixtureRegistry
public import Foundation
public import Hummingbird
public import NIOCore
public import SafeJSON
import Logging

/// The plan as the registry's fault hook: every matching `.delay` waits, a `.status` answers in the
/// registry's place, `.dropConnection` hangs up, and the other actions rewrite the registry's answer.
extension FaultPlan: RegistryFaultHook {
    public func intercept(route: RegistryRoute?, path: String, context: RegistryRequestContext) async throws -> RegistryFaultDecision {
        var rewrite: FaultAction?
        for action in actions(for: route, path: path) {
            switch action {
            case .delay(let duration):
                try await Task.sleep(for: duration)
            case .status(let code, let message):
                context.logger.info("fault: \(code) for \(path)")
                return .answer(RegistryResponse.error(HTTPResponse.Status(code: code), message))
            case .dropConnection:
                context.logger.info("fault: dropping the connection for \(path)")
                context.channel.close(promise: nil)
                throw ConnectionDropped(path: path)
            case .corruptTarball, .replaceTarball, .packument, .expireKeys, .swapAttestation, .slowBody, .truncateBody, .contentType:
                context.logger.info("fault: \(action) for \(path)")
                rewrite = action
            }
        }
        return .serve(rewrite)
    }
}

/// What each action does to the registry's answer (see ``FaultDocuments`` and ``FaultDelivery``).
extension FaultAction: RegistryResponseRewrite {
    public func keys(_ document: JSONValue) -> JSONValue {
        self == .expireKeys ? FaultDocuments.expired(keys: document) : document
    }

    public func attestationVersion(of name: PackageName, requested version: String,
                                   in storage: RegistryStorage) throws(RegistryError) -> String {
        guard self == .swapAttestation, let document = try storage.packument(for: name) else { return version }
        // Another version that has attestations, the newest first.
        for candidate in document.versions.keys.sorted().reversed() where candidate != version {
            if try storage.attestations(for: name, version: candidate) != nil { return candidate }
        }
        return version
    }

    public func packument(_ document: JSONValue, name: PackageName, keyring: RegistryKeyring) -> JSONValue {
        guard case .packument(let kind, let version) = self else { return document }
        return FaultDocuments.falsify(packument: document, name: name, fault: kind, version: version, keyring: keyring)
    }

    public func versionDocument(_ document: JSONValue, name: PackageName, version: String, keyring: RegistryKeyring) -> JSONValue {
        guard case .packument(let kind, let only) = self, only == nil || only == version else { return document }
        return FaultDocuments.falsify(versionDocument: document, name: name, version: version, fault: kind, keyring: keyring)
    }

    public func tarball(_ bytes: Data) -> Data {
        switch self {
        case .corruptTarball: Self.corrupted(bytes)
        case .replaceTarball(let replacement): replacement
        default: bytes
        }
    }

    public func deliver(_ response: Response, channel: any Channel) async throws -> Response {
        FaultDelivery.isDelivery(self) ? try await FaultDelivery.apply(self, to: response, channel: channel) : response
    }

    /// The bytes with a run in the middle inverted: same length, different digest.
    static func corrupted(_ bytes: Data) -> Data {
        var copy = bytes
        guard !copy.isEmpty else { return Data([0]) }
        let start = copy.startIndex + copy.count / 2
        for index in start..<min(start + 16, copy.endIndex) { copy[index] ^= 0xFF }
        return copy
    }
}

/// Thrown after a fault closed the connection; Hummingbird then gives up on the response.
struct ConnectionDropped: Error, CustomStringConvertible {
    let path: String
    var description: String { "connection dropped by fault injection for \(path)" }
}
