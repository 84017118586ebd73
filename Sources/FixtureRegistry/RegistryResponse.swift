import Foundation
public import Hummingbird
public import SafeJSON

/// The response shapes of the registry: JSON documents, tarballs and npm-style errors.
public enum RegistryResponse {
    /// The abbreviated packument media type.
    static let corgiContentType = PackumentForm.abbreviated.rawValue

    /// A JSON body; `etag` enables `If-None-Match` revalidation.
    public static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, contentType: String = "application/json",
                     request: Request? = nil, etag: Bool = false) -> Response {
        let body = serialized(value)
        guard etag else {
            return Response(status: status, headers: [.contentType: contentType, .cacheControl: "no-cache"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
        return json(body: body, etag: TarballDigest.etag(of: body), status: status, contentType: contentType, request: request)
    }

    /// `value` as a response body (`{}` for a number JSON cannot carry).
    static func serialized(_ value: JSONValue) -> Data { (try? value.serialized()) ?? Data("{}".utf8) }

    /// A serialised JSON document tagged `etag` (varying by `Accept`): 304 when `request`'s
    /// `If-None-Match` names the tag.
    static func json(body: Data, etag: String, status: HTTPResponse.Status = .ok, contentType: String = "application/json",
                     request: Request?) -> Response {
        let headers: HTTPFields = [.contentType: contentType, .cacheControl: "no-cache", .eTag: etag, .vary: "Accept"]
        if let request, Self.matches(ifNoneMatch: request.headers[.ifNoneMatch], etag: etag) {
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// A JSON body already serialised (a stored document served as it is).
    static func json(bytes: Data) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-cache"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A tarball body.
    static func tarball(_ data: Data) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/octet-stream", .cacheControl: "no-cache"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    /// An error like npm's registry sends: `{"error": "<message>"}`.
    public static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        json(["error": .string(message)], status: status)
    }

    /// 404 `{"error": "Not found"}`.
    public static var notFound: Response { error(.notFound, "Not found") }

    /// The status and message a storage error turns into.
    public static func error(for error: RegistryError) -> Response {
        switch error {
        case .packageNotFound, .versionNotFound: notFound
        case .versionExists: Self.error(.forbidden, error.description)
        case .invalidPackageName, .invalidVersion, .invalidTag, .invalidManifest, .invalidPublish, .integrityMismatch,
             .invalidScenario:
            Self.error(.badRequest, error.description)
        case .tarballTooLarge, .bodyTooLarge: Self.error(.contentTooLarge, error.description)
        case .unprocessable: Self.error(.unprocessableContent, error.description)
        case .unauthorized: Self.error(.unauthorized, error.description)
        case .forbidden: Self.error(.forbidden, error.description)
        case .revisionConflict: Self.error(.conflict, error.description)
        case .storage, .invalidSeed, .serverStart: Self.error(.internalServerError, error.description)
        }
    }

    /// Whether an `If-None-Match` header names `etag` (weak comparison, `*` matches all).
    static func matches(ifNoneMatch header: String?, etag: String) -> Bool {
        guard let header else { return false }
        let strip = { (tag: Substring) -> Substring in
            let trimmed = tag.drop(while: { $0 == " " })
            return trimmed.hasPrefix("W/") ? trimmed.dropFirst(2) : trimmed
        }
        return header.split(separator: ",").contains { strip($0).trimmingCharacters(in: .whitespaces) == "*" || strip($0).trimmingCharacters(in: .whitespaces) == etag }
    }
}
