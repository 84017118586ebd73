import Foundation
import Hummingbird
import SafeJSON

/// Answers registry requests: resolves the path with ``RegistryRoute``, applies
/// the ``FaultPlan``, then serves packuments, version documents and tarballs
/// from ``RegistryStorage``.
///
/// The registry routes by name rather than through Hummingbird's trie router
/// because a scoped name arrives as one path segment (`@scope%2fname`) or two
/// (`@scope/name`); ``RegistryRoute`` is the single parser for both.
struct RegistryResponder: HTTPResponder {
    typealias Context = RegistryRequestContext

    let storage: RegistryStorage
    let pathPrefix: String
    let faults: FaultPlan?
    let address: ServerAddress
    var requestLog: RequestLog? = nil

    func respond(to request: Request, context: Context) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await answer(request, context: context)
        let elapsed = ContinuousClock.now - start
        let entry = RequestLog.Entry(
            method: request.method.rawValue, path: request.uri.path, status: response.status.code,
            bytes: response.body.contentLength ?? 0,
            milliseconds: Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15,
            scenario: faults?.activeScenario)
        requestLog?.record(entry)
        context.logger.debug("request", metadata: [
            "method": "\(entry.method)", "path": "\(entry.path)", "status": "\(entry.status)",
            "bytes": "\(entry.bytes)", "ms": "\(String(format: "%.1f", entry.milliseconds))",
        ])
        return response
    }

    private func answer(_ request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        if let escapedName = Self.exchangePackage(in: path) {
            guard request.method == .post else {
                var response = RegistryResponse.error(.methodNotAllowed, "Method not allowed")
                response.headers[.allow] = "POST"
                return response
            }
            return await exchange(escapedName, request: request, context: context)
        }
        let route: RegistryRoute?
        var routeError: RegistryError?
        do { route = try RegistryRoute.resolve(path: path, prefix: pathPrefix) } catch {
            route = nil
            routeError = error
        }

        var responseFault: FaultAction?
        for action in faults?.actions(for: route, path: path) ?? [] {
            switch action {
            case .delay(let duration):
                try await Task.sleep(for: duration)
            case .status(let code, let message):
                context.logger.info("fault: \(code) for \(path)")
                return RegistryResponse.error(HTTPResponse.Status(code: code), message)
            case .dropConnection:
                context.logger.info("fault: dropping the connection for \(path)")
                context.channel.close(promise: nil)
                throw ConnectionDropped(path: path)
            case .corruptTarball, .replaceTarball, .packument, .expireKeys, .swapAttestation, .slowBody, .truncateBody, .contentType:
                context.logger.info("fault: \(action) for \(path)")
                responseFault = action
            }
        }

        if let routeError { return RegistryResponse.error(for: routeError) }
        guard let route else { return RegistryResponse.notFound }
        do {
            switch (request.method, route) {
            case (.get, _), (.head, _):
                guard route.isReadable else { return Self.methodNotAllowed(route) }
                var response = try serve(route, request: request, fault: responseFault)
                if let responseFault, FaultDelivery.isDelivery(responseFault) {
                    response = try await FaultDelivery.apply(responseFault, to: response, channel: context.channel)
                }
                return request.method == .head ? Response(status: response.status, headers: response.headers) : response
            case (.put, _), (.delete, _):
                return try await write(route, request: request, context: context)
            default:
                return Self.methodNotAllowed(route)
            }
        } catch let error as RegistryError {
            context.logger.info("\(request.method) \(path): \(error)")
            return RegistryResponse.error(for: error)
        } catch {
            context.logger.error("\(request.method) \(path): \(error)")
            return RegistryResponse.error(.internalServerError, "\(error)")
        }
    }

    /// 405 with the methods the route does answer.
    static func methodNotAllowed(_ route: RegistryRoute) -> Response {
        var response = RegistryResponse.error(.methodNotAllowed, "Method not allowed")
        response.headers[.allow] = route.allowedMethods
        return response
    }

    // MARK: - Routes

    private func serve(_ route: RegistryRoute, request: Request, fault: FaultAction?) throws(RegistryError) -> Response {
        let renderer = PackumentRenderer(baseURL: address.baseURL(host: request.head.authority, prefix: pathPrefix))
        switch route {
        case .ping:
            return RegistryResponse.json([:])
        case .whoami:
            return RegistryResponse.json(["username": .string(try authenticate(request).name)])
        case .keys:
            let keys = RegistryKeysDocument.render(storage.keyring.publicKeys)
            return RegistryResponse.json(fault == .expireKeys ? FaultDocuments.expired(keys: keys) : keys)
        case .attestations(let name, var version):
            if fault == .swapAttestation, let other = try otherAttestedVersion(of: name, than: version) { version = other }
            guard let data = try storage.attestations(for: name, version: version),
                  let document = try? JSONValue.parse(data, maxDepth: RegistryLimits.maxJSONDepth) else { return RegistryResponse.notFound }
            return RegistryResponse.json(document)
        case .distTags(let name):
            guard let document = try storage.packument(for: name) else { return RegistryResponse.notFound }
            return RegistryResponse.json(.object(document.distTags.mapValues { .string($0) }))
        case .user, .distTag, .packumentRevision, .tarballRevision:
            return RegistryResponse.notFound
        case .packument(let name):
            guard let document = try storage.packument(for: name) else { return RegistryResponse.notFound }
            let falsify = { (json: JSONValue) -> JSONValue in
                guard case .packument(let kind, let version)? = fault else { return json }
                return FaultDocuments.falsify(packument: json, name: name, fault: kind, version: version, keyring: storage.keyring)
            }
            switch PackumentForm(accept: request.headers[.accept]) {
            case .full:
                return RegistryResponse.json(falsify(renderer.full(document)), request: request, etag: true)
            case .abbreviated:
                return RegistryResponse.json(falsify(renderer.abbreviated(document)), contentType: RegistryResponse.corgiContentType,
                                             request: request, etag: true)
            }
        case .manifest(let name, let spec):
            guard let document = try storage.packument(for: name), var manifest = renderer.manifest(document, spec: spec) else {
                return RegistryResponse.notFound
            }
            if case .packument(let kind, let only)? = fault, let version = manifest["version"]?.stringValue, only == nil || only == version {
                manifest = FaultDocuments.falsify(versionDocument: manifest, name: name, version: version, fault: kind,
                                                  keyring: storage.keyring)
            }
            return RegistryResponse.json(manifest, request: request, etag: true)
        case .tarball(let name, let version):
            guard let bytes = try storage.tarball(for: name, version: version) else { return RegistryResponse.notFound }
            switch fault {
            case .corruptTarball?: return RegistryResponse.tarball(Self.corrupted(bytes))
            case .replaceTarball(let replacement)?: return RegistryResponse.tarball(replacement)
            default: return RegistryResponse.tarball(bytes)
            }
        }
    }

    /// Another version of `name` that has attestations (the newest first), for a swapped-attestation fault.
    private func otherAttestedVersion(of name: PackageName, than version: String) throws(RegistryError) -> String? {
        guard let document = try storage.packument(for: name) else { return nil }
        for candidate in document.versions.keys.sorted().reversed() where candidate != version {
            if try storage.attestations(for: name, version: candidate) != nil { return candidate }
        }
        return nil
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
