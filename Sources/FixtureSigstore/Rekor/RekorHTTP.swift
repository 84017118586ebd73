import Foundation
import Hummingbird
import NIOCore
import NIOFoundationEssentialsCompat
import SafeJSON

/// What Rekor's v1 and v2 APIs share on the wire: JSON bodies, the `{"code", "message"}` error
/// model, and the size limit on a proposed entry.
enum RekorHTTP {
    /// `value` as compact JSON with `status`.
    static func json(_ value: JSONValue, status: HTTPResponse.Status) -> Response {
        let data = (try? value.serialized()) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Rekor's error model: `{"code": <status>, "message": "..."}`.
    static func error(_ error: RekorError) -> Response {
        json(["code": .number(Double(error.code.rawValue)), "message": .string(error.message)],
             status: HTTPResponse.Status(code: error.code.rawValue))
    }

    /// The response `answer` makes, or the refusal it throws in Rekor's error model.
    static func respond(_ answer: () throws(RekorError) -> Response) -> Response {
        do { return try answer() } catch { return self.error(error) }
    }

    /// The JSON `answer` makes with `status`, or the refusal it throws in Rekor's error model.
    static func respondJSON(status: HTTPResponse.Status = .ok, _ answer: () throws(RekorError) -> JSONValue) -> Response {
        respond { () throws(RekorError) in json(try answer(), status: status) }
    }

    /// The request's body, at most ``RekorLimits/maxProposedEntryBytes``; a longer or unreadable
    /// body is a 400 that names `what` the body was meant to be.
    static func proposedBody(of request: Request, what: String) async throws(RekorError) -> Data {
        do { return Data(buffer: try await request.body.collect(upTo: RekorLimits.maxProposedEntryBytes)) } catch {
            throw .badRequest("\(what) exceeds \(RekorLimits.maxProposedEntryBytes) bytes or could not be read: \(error)")
        }
    }
}
