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
        guard request.method == .get || request.method == .head else {
            var response = RegistryResponse.error(.methodNotAllowed, "Method not allowed")
            response.headers[.allow] = "GET, HEAD"
            return response
        }
        do {
            let response = try serve(route, request: request, tarballFault: tarballFault)
            return request.method == .head ? Response(status: response.status, headers: response.headers) : response
        } catch {
            context.logger.error("\(request.method) \(path): \(error)")
            return RegistryResponse.error(for: error)
        }
    }

    // MARK: - Routes

    private func serve(_ route: RegistryRoute, request: Request, tarballFault: FaultAction?) throws(RegistryError) -> Response {
        let renderer = PackumentRenderer(baseURL: address.baseURL(host: request.head.authority, prefix: pathPrefix))
        switch route {
        case .ping:
            return RegistryResponse.json([:])
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
