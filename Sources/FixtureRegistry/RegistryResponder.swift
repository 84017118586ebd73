import Foundation
import Hummingbird
import SafeJSON
import Logging

/// Answers registry requests: resolves the path with ``RegistryRoute``, asks the
/// ``RegistryFaultHook`` (if any), then serves packuments, version documents and tarballs
/// from ``RegistryStorage``.
///
/// The registry routes by name rather than through Hummingbird's trie router
/// because a scoped name arrives as one path segment (`@scope%2fname`) or two
/// (`@scope/name`); ``RegistryRoute`` is the single parser for both.
struct RegistryResponder: HTTPResponder {
    typealias Context = RegistryRequestContext

    let storage: RegistryStorage
    let pathPrefix: String
    let faults: (any RegistryFaultHook)?
    let address: ServerAddress
    var requestLog: RequestLog? = nil
    /// Packuments as last served, until the storage changes.
    let renders = PackumentRenders()

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
        let resolved = Result { () throws(RegistryError) in try RegistryRoute.resolve(path: path, prefix: pathPrefix) }
        var rewrite: (any RegistryResponseRewrite)?
        if let faults {
            switch try await faults.intercept(route: (try? resolved.get()) ?? nil, path: path, context: context) {
            case .answer(let response): return response
            case .serve(let chosen): rewrite = chosen
            }
        }
        let route: RegistryRoute
        do {
            guard let found = try resolved.get() else { return RegistryResponse.notFound }
            route = found
        } catch { return RegistryResponse.error(for: error) }
        return await answer(request, route: route, rewrite: rewrite, context: context)
    }

    /// Answers a resolved route: reads through ``serve(_:request:rewrite:)``, writes through `write`.
    private func answer(_ request: Request, route: RegistryRoute, rewrite: (any RegistryResponseRewrite)?,
                        context: Context) async -> Response {
        do {
            switch (request.method, route) {
            case (.get, _), (.head, _):
                guard route.isReadable else { return Self.methodNotAllowed(route) }
                var response = try serve(route, request: request, rewrite: rewrite)
                if let rewrite { response = try await rewrite.deliver(response, channel: context.channel) }
                return request.method == .head ? Response(status: response.status, headers: response.headers) : response
            case (.put, _), (.delete, _):
                return try await write(route, request: request, context: context)
            default:
                return Self.methodNotAllowed(route)
            }
        } catch let error as RegistryError {
            context.logger.info("\(request.method) \(request.uri.path): \(error)")
            return RegistryResponse.error(for: error)
        } catch {
            context.logger.error("\(request.method) \(request.uri.path): \(error)")
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

    private func serve(_ route: RegistryRoute, request: Request,
                       rewrite: (any RegistryResponseRewrite)?) throws(RegistryError) -> Response {
        switch route {
        case .ping:
            return RegistryResponse.json([:])
        case .whoami:
            return RegistryResponse.json(["username": .string(try authenticate(request).name)])
        case .keys:
            let keys = RegistryKeysDocument.render(storage.keyring.publicKeys)
            return RegistryResponse.json(rewrite?.keys(keys) ?? keys)
        case .attestations(let name, let requested):
            let version = try rewrite?.attestationVersion(of: name, requested: requested, in: storage) ?? requested
            // The stored document is the registry's own compact JSON: served as stored, not re-encoded.
            guard let data = try storage.attestations(for: name, version: version) else { return RegistryResponse.notFound }
            return RegistryResponse.json(bytes: data)
        case .distTags(let name):
            guard let document = try storage.packument(for: name) else { return RegistryResponse.notFound }
            return RegistryResponse.json(.object(document.distTags.mapValues { .string($0) }))
        case .user, .distTag, .packumentRevision, .tarballRevision:
            return RegistryResponse.notFound
        case .packument(let name):
            return try packument(name, request: request, rewrite: rewrite)
        case .manifest(let name, let spec):
            let renderer = PackumentRenderer(baseURL: address.baseURL(host: request.head.authority, prefix: pathPrefix))
            guard let document = try storage.packument(for: name), var manifest = renderer.manifest(document, spec: spec) else {
                return RegistryResponse.notFound
            }
            if let rewrite, let version = manifest["version"]?.stringValue {
                manifest = rewrite.versionDocument(manifest, name: name, version: version, keyring: storage.keyring)
            }
            return RegistryResponse.json(manifest, request: request, etag: true)
        case .tarball(let name, let version):
            guard let bytes = try storage.tarball(for: name, version: version) else { return RegistryResponse.notFound }
            return RegistryResponse.tarball(rewrite?.tarball(bytes) ?? bytes)
        }
    }

    /// The packument of `name`, full or abbreviated as `Accept` asks.
    private func packument(_ name: PackageName, request: Request,
                           rewrite: (any RegistryResponseRewrite)?) throws(RegistryError) -> Response {
        guard let (document, generation) = try storage.packumentAndGeneration(for: name) else { return RegistryResponse.notFound }
        let baseURL = address.baseURL(host: request.head.authority, prefix: pathPrefix)
        let renderer = PackumentRenderer(baseURL: baseURL)
        let form = PackumentForm(accept: request.headers[.accept])
        let rendered = { form == .full ? renderer.full(document) : renderer.abbreviated(document) }
        // The form's media type is its content type (`application/json`, the corgi type).
        guard let rewrite else {
            let kept = renders.body(.init(name: name, form: form, baseURL: baseURL), generation: generation) {
                RegistryResponse.serialized(rendered())
            }
            return RegistryResponse.json(body: kept.body, etag: kept.etag, contentType: form.rawValue, request: request)
        }
        return RegistryResponse.json(rewrite.packument(rendered(), name: name, keyring: storage.keyring), contentType: form.rawValue,
                                     request: request, etag: true)
    }
}
