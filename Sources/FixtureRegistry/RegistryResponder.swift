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

    func respond(to request: Request, context: Context) async throws -> Response {
        let response = try await answer(request, context: context)
        context.logger.debug("\(request.method) \(request.uri.path) \(response.status.code)")
        return response
    }

    private func answer(_ request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        let route: RegistryRoute?
        var routeError: RegistryError?
        do { route = try RegistryRoute.resolve(path: path, prefix: pathPrefix) } catch {
            route = nil
            routeError = error
        }

        var tarballFault: FaultAction?
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
            case .corruptTarball, .replaceTarball:
                tarballFault = action
            }
        }

        if let routeError { return RegistryResponse.error(for: routeError) }
        guard let route else { return RegistryResponse.notFound }
        do {
            switch (request.method, route) {
            case (.get, _), (.head, _):
                guard route.isReadable else { return Self.methodNotAllowed(route) }
                let response = try serve(route, request: request, tarballFault: tarballFault)
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

    private func serve(_ route: RegistryRoute, request: Request, tarballFault: FaultAction?) throws(RegistryError) -> Response {
        let renderer = PackumentRenderer(baseURL: address.baseURL(host: request.head.authority, prefix: pathPrefix))
        switch route {
        case .ping:
            return RegistryResponse.json([:])
        case .whoami:
            return RegistryResponse.json(["username": .string(try authenticate(request).name)])
        case .keys:
            return RegistryResponse.json(RegistryKeysDocument.render(storage.keyring.publicKeys))
        case .attestations(let name, let version):
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
            switch PackumentForm(accept: request.headers[.accept]) {
            case .full:
                return RegistryResponse.json(renderer.full(document), request: request, etag: true)
            case .abbreviated:
                return RegistryResponse.json(renderer.abbreviated(document), contentType: RegistryResponse.corgiContentType,
                                             request: request, etag: true)
            }
        case .manifest(let name, let spec):
            guard let document = try storage.packument(for: name), let manifest = renderer.manifest(document, spec: spec) else {
                return RegistryResponse.notFound
            }
            return RegistryResponse.json(manifest, request: request, etag: true)
        case .tarball(let name, let version):
            guard let bytes = try storage.tarball(for: name, version: version) else { return RegistryResponse.notFound }
            switch tarballFault {
            case .corruptTarball?: return RegistryResponse.tarball(Self.corrupted(bytes))
            case .replaceTarball(let replacement)?: return RegistryResponse.tarball(replacement)
            default: return RegistryResponse.tarball(bytes)
            }
        }
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
