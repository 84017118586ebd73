public import Foundation
public import Hummingbird
public import Logging
public import NIOCore
public import SafeJSON
public import ServiceLifecycle

/// Fault injection's narrow hook into the registry (`FixtureFaults.FaultPlan` implements it): asked
/// before each request is routed, it answers in the registry's place or picks a rewrite of its answer.
public protocol RegistryFaultHook: Sendable {
    /// The name of the active fault scenario, recorded in the request log.
    var activeScenario: String? { get }

    /// Decides the request for `path` (`route` nil when the path is no registry route); may delay it,
    /// or throw after closing the connection.
    func intercept(route: RegistryRoute?, path: String, context: RegistryRequestContext) async throws -> RegistryFaultDecision
}

/// What a ``RegistryFaultHook`` decided for one request.
public enum RegistryFaultDecision: Sendable {
    /// Answer with this response instead of the registry's.
    case answer(Response)
    /// Serve the registry's answer, rewritten (nil: as it is).
    case serve((any RegistryResponseRewrite)?)
}

/// How a fault changes what the registry serves; every default leaves it as it is. The registry's
/// storage is never touched: only the served copy changes.
public protocol RegistryResponseRewrite: Sendable {
    /// The keys document (`/-/npm/v1/keys`).
    func keys(_ document: JSONValue) -> JSONValue
    /// The version whose attestations answer a request for `version` of `name`.
    func attestationVersion(of name: PackageName, requested version: String,
                            in storage: RegistryStorage) throws(RegistryError) -> String
    /// A packument (full or abbreviated).
    func packument(_ document: JSONValue, name: PackageName, keyring: RegistryKeyring) -> JSONValue
    /// One version document.
    func versionDocument(_ document: JSONValue, name: PackageName, version: String, keyring: RegistryKeyring) -> JSONValue
    /// A tarball's bytes.
    func tarball(_ bytes: Data) -> Data
    /// The finished response of a read, re-sent another way (slowly, cut short, retyped).
    func deliver(_ response: Response, channel: any Channel) async throws -> Response
}

extension RegistryResponseRewrite {
    public func keys(_ document: JSONValue) -> JSONValue { document }
    public func attestationVersion(of name: PackageName, requested version: String,
                                   in storage: RegistryStorage) throws(RegistryError) -> String { version }
    public func packument(_ document: JSONValue, name: PackageName, keyring: RegistryKeyring) -> JSONValue { document }
    public func versionDocument(_ document: JSONValue, name: PackageName, version: String,
                                keyring: RegistryKeyring) -> JSONValue { document }
    public func tarball(_ bytes: Data) -> Data { bytes }
    public func deliver(_ response: Response, channel: any Channel) async throws -> Response { response }
}

/// A control server run beside the registry and stopped with it (fault mode's admin port): it reads
/// the registry's request log and may rotate its keys.
public protocol RegistryControlPort: Sendable {
    /// The control application; `onRunning` receives its base URL once it listens.
    func application(storage: RegistryStorage, requestLog: RequestLog, logger: Logger,
                     onRunning: @escaping @Sendable (_ baseURL: String) async -> Void) -> any Service
}
