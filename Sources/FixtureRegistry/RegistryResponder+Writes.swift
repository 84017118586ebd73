import Foundation
import Hummingbird
import NIOCore
import SafeJSON
import Logging

extension RegistryResponder {
    // MARK: - Writes

    /// `PUT`/`DELETE` routes: publish, deprecate, unpublish, dist-tags and legacy login.
    func write(_ route: RegistryRoute, request: Request, context: Context) async throws -> Response {
        switch (request.method, route) {
        case (.put, .user(let user)):
            // Anonymous by nature, so the body is small (found by review: 8 MiB bodies parsed
            // before any check took 120 MB each).
            let body = try await jsonBody(request, limit: RegistryLimits.maxSmallBodyBytes, package: "user \(user)")
            return try login(user, body: body)
        case (.put, .packument(let name)), (.put, .packumentRevision(let name, _)):
            // Who asks, and whether they may publish this package at all, before a body of up to 89 MiB
            // is read and parsed (found by review: anonymous bodies were parsed in full, four at once
            // took 650 MB, and only then refused). What the body asks for is authorised after.
            _ = try authorize(request, toWrite: name, publishing: true)
            let body = try await jsonBody(request, limit: RegistryLimits.maxPublishBodyBytes, package: name.description)
            guard let object = body.objectValue else {
                throw RegistryError.invalidPublish(package: name.description, reason: "the body must be a JSON object")
            }
            try putPackument(object, name: name, route: route, request: request, context: context)
            return RegistryResponse.json(["ok": true, "id": .string(name.description)], status: .created)
        case (.delete, .packumentRevision(let name, let revision)):
            _ = try authorize(request, toWrite: name)
            try storage.deletePackage(name, revision: revision)
            return RegistryResponse.json(["ok": true])
        case (.delete, .tarballRevision(let name, let version, _)):
            _ = try authorize(request, toWrite: name)
            try storage.deleteTarball(of: name, version: version)
            return RegistryResponse.json(["ok": true])
        case (.put, .distTag(let name, let tag)):
            // Who asks before the body is read, and a body of one JSON string (found by review).
            _ = try authorize(request, toWrite: name)
            let body = try await jsonBody(request, limit: RegistryLimits.maxSmallBodyBytes, package: name.description)
            guard let version = body.stringValue else {
                throw RegistryError.invalidPublish(package: name.description, reason: "the body must be a JSON string naming a version")
            }
            try storage.setDistTag(tag, of: name, to: version)
            return RegistryResponse.json(["ok": true], status: .created)
        case (.delete, .distTag(let name, let tag)):
            _ = try authorize(request, toWrite: name)
            try storage.removeDistTag(tag, of: name)
            return RegistryResponse.json(["ok": true])
        default:
            return Self.methodNotAllowed(route)
        }
    }

    /// A publish (`PUT /<name>` with a new version) or an edit of the packument (deprecate, unpublish).
    private func putPackument(_ object: [String: JSONValue], name: PackageName, route: RegistryRoute, request: Request,
                              context: Context) throws {
        let user = try authorize(request, toWrite: name, publishing: PublishRequest.isPublish(object))
        if PublishRequest.isPublish(object) {
            guard case .packument = route else {
                throw RegistryError.invalidPublish(package: name.description, reason: "publish with PUT /<name>, not a revision URL")
            }
            let publish = try PublishRequest(body: object, for: name)
            try storage.publish(publish, by: user, registryURL: registryURL(for: request))
            context.logger.info("published \(name)@\(publish.version) by \(user.name)")
        } else {
            var revision = object["_rev"]?.stringValue
            if case .packumentRevision(_, let fromURL) = route { revision = fromURL }
            let removed = try storage.applyEdit(object, to: name, revision: revision)
            if !removed.isEmpty { context.logger.info("unpublished \(name)@\(removed.joined(separator: ", ")) by \(user.name)") }
        }
    }

    // MARK: - Auth

    /// The user of the request's bearer token; 401 without one or with an unknown or expired one.
    func authenticate(_ request: Request) throws(RegistryError) -> AuthenticatedUser {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw .unauthorized("This request requires auth credentials. Run `npm login` and repeat the request.")
        }
        let token = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        guard let user = storage.tokens.authenticate(token) else {
            throw .unauthorized("Unable to authenticate: the token is unknown or has expired.")
        }
        return user
    }

    /// The authenticated user, if it may change `name` (`publishing`: by publishing a new version): its
    /// token covers the package (and, from trusted publishing, only publishes), and the user
    /// is a configured publisher of the package or scope, else (unconfigured) a maintainer or the first publisher.
    func authorize(_ request: Request, toWrite name: PackageName, publishing: Bool = false) throws(RegistryError) -> AuthenticatedUser {
        let user = try authenticate(request)
        guard user.covers(name) else {
            throw .forbidden("You do not have permission to publish \"\(name)\": this token is limited to \(user.restriction ?? "")")
        }
        guard publishing || !user.publishOnly else {
            throw .forbidden("This token comes from trusted publishing (OIDC), which may only publish new versions of \"\(name)\"; dist-tags, deprecations and unpublishing need a token of your own")
        }
        if let publishers = storage.tokens.configuration.publishers(of: name) {
            guard publishers.contains(user.name) else {
                throw .forbidden("You do not have permission to publish \"\(name)\". Are you logged in as the correct user?")
            }
        } else if let existing = try storage.packument(for: name), !existing.maintainerNames.isEmpty,
                  !existing.maintainerNames.contains(user.name) {
            throw .forbidden("You do not have permission to publish \"\(name)\". Are you logged in as the correct user?")
        }
        return user
    }

    /// npm's legacy login (`npm login --auth-type=legacy`): `{name, password}` → `{token}`.
    private func login(_ user: String, body: JSONValue) throws(RegistryError) -> Response {
        guard body["name"]?.stringValue == user, let password = body["password"]?.stringValue else {
            throw .invalidPublish(package: "user \(user)", reason: "the body must carry \"name\": \"\(user)\" and a \"password\"")
        }
        let token = try storage.tokens.login(user: user, password: password)
        return RegistryResponse.json(["ok": true, "id": .string("org.couchdb.user:\(user)"), "token": .string(token)], status: .created)
    }

    // MARK: - Bodies

    /// Reads and parses a JSON body of at most `limit` bytes (413 beyond it, 400 when malformed or too deep).
    private func jsonBody(_ request: Request, limit: Int, package: String) async throws -> JSONValue {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            // Only a body that may really come is waited for (found by review: a huge declared
            // length with no body held the connection).
            if length <= RegistryLimits.maxDrainedBodyBytes { await Self.drain(request.body) }
            throw RegistryError.bodyTooLarge(limit: limit)
        }
        var buffer = ByteBuffer()
        // Collected here rather than with `collect(upTo:)`, which stops reading mid-body.
        var (tooLarge, read) = (false, 0)
        do {
            for try await chunk in request.body {
                read += chunk.readableBytes
                tooLarge = tooLarge || read > limit
                if read > RegistryLimits.maxDrainedBodyBytes { break }  // refused: stop reading
                if !tooLarge { buffer.writeImmutableBuffer(chunk) }
            }
        } catch {
            throw RegistryError.invalidPublish(package: package, reason: "the body could not be read: \(error)")
        }
        if tooLarge { throw RegistryError.bodyTooLarge(limit: limit) }
        do {
            return try JSONValue.parse(Data(buffer.readableBytesView), maxDepth: RegistryLimits.maxJSONDepth)
        } catch {
            throw RegistryError.invalidPublish(package: package, reason: "the body is not valid JSON: \(error)")
        }
    }

    /// Reads and discards a refused body, up to ``RegistryLimits/maxDrainedBodyBytes``: a client
    /// that sends the whole body before it reads then gets the 413 rather than a reset connection
    /// (the 413 came back before the body was read, and a test client now and then timed out).
    private static func drain(_ body: RequestBody) async {
        var drained = 0
        do {
            for try await chunk in body {
                drained += chunk.readableBytes
                if drained > RegistryLimits.maxDrainedBodyBytes { return }
            }
        } catch {
            return
        }
    }

    /// The registry URL recorded in publish attestations (no trailing slash).
    private func registryURL(for request: Request) -> String {
        let base = address.baseURL(host: request.head.authority, prefix: pathPrefix)
        return base.hasSuffix("/") ? String(base.dropLast()) : base
    }
}
