import Foundation
public import Hummingbird
import NIOCore

extension TimestampAuthority {
    /// Largest accepted `TimeStampReq`.
    static let maxRequestBytes = 64 << 10

    /// `POST <prefix>/api/v1/timestamp` as timestamp.sigstore.dev: body a DER `TimeStampReq`, answer 200
    /// `application/timestamp-reply` with the DER `TimeStampResp`, or 400/500 with a text reason.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>, prefix: String = "/tsa") {
        router.group(RouterPath(prefix)).post("api/v1/timestamp") { request, _ in
            let body: ByteBuffer
            do { body = try await request.body.collect(upTo: Self.maxRequestBytes) } catch {
                return Self.refusal(.badRequest("TimeStampReq exceeds \(Self.maxRequestBytes) bytes or could not be read: \(error)"))
            }
            do throws(TimestampError) {
                let response = try self.timestamp(requestDER: Array(buffer: body))
                return Response(status: .ok, headers: [.contentType: "application/timestamp-reply"],
                                body: ResponseBody(byteBuffer: ByteBuffer(bytes: response)))
            } catch {
                return Self.refusal(error)
            }
        }
    }

    static func refusal(_ error: TimestampError) -> Response {
        Response(status: HTTPResponse.Status(code: error.status), headers: [.contentType: "text/plain; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: error.message + "\n")))
    }
}
