import Foundation
public import Hummingbird
import NIOCore
import SafeJSON
import NIOFoundationEssentialsCompat

extension RekorLog {
    /// Adds Rekor's v1 API under `prefix` (PROTOCOLS §6.6), answering as Rekor does:
    /// - `POST api/v1/log/entries` → 201 `{uuid: LogEntryAnon}` with `Location`, 400 or 409 (with the existing entry's `Location`) `{code, message}`;
    /// - `GET api/v1/log/entries?logIndex=N` and `GET api/v1/log/entries/<uuid>` → 200 `{uuid: LogEntryAnon}`, 404;
    /// - `GET api/v1/log` → 200 `{rootHash, signedTreeHead, treeID, treeSize}`;
    /// - `GET api/v1/log/publicKey` → 200 the log key as PEM.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>, prefix: String = "/rekor") {
        let group = router.group(RouterPath(prefix))
        group.post("api/v1/log/entries") { request, _ in
            let body: ByteBuffer
            do { body = try await request.body.collect(upTo: RekorLimits.maxProposedEntryBytes) } catch {
                return Self.error(.badRequest("proposed entry exceeds \(RekorLimits.maxProposedEntryBytes) bytes or could not be read: \(error)"))
            }
            let entries = "\(prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix)/api/v1/log/entries/"
            do throws(RekorError) {
                let entry = try self.append(proposedEntry: Data(buffer: body))
                var response = Self.json(entry.apiResponse, status: .created)
                response.headers[.location] = entries + entry.uuid
                response.headers[.eTag] = entry.uuid
                return response
            } catch {
                var response = Self.error(error)
                if let uuid = error.existingUUID { response.headers[.location] = entries + uuid }
                return response
            }
        }
        group.get("api/v1/log/entries") { request, _ in
            guard let text = request.uri.queryParameters.get("logIndex") else {
                return Self.error(.badRequest("expected a logIndex query parameter"))
            }
            guard let index = Int64(text), index >= 0 else {
                return Self.error(.badRequest("logIndex: expected a non-negative integer, found \"\(text.prefix(40))\""))
            }
            do throws(RekorError) { return Self.json(try self.entry(logIndex: index).apiResponse, status: .ok) } catch { return Self.error(error) }
        }
        group.get("api/v1/log/entries/:uuid") { _, context in
            let uuid = context.parameters.get("uuid") ?? ""
            do throws(RekorError) { return Self.json(try self.entry(uuid: uuid).apiResponse, status: .ok) } catch { return Self.error(error) }
        }
        group.get("api/v1/log/publicKey") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/x-pem-file"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: self.publicKeyPEM)))
        }
        group.get("api/v1/log") { _, _ in
            do throws(RekorError) { return Self.json(try self.logInfo(), status: .ok) } catch { return Self.error(error) }
        }
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status) -> Response {
        let data = (try? value.serialized()) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Rekor's error model: `{"code": <status>, "message": "..."}`.
    static func error(_ error: RekorError) -> Response {
        json(["code": .number(Double(error.code.rawValue)), "message": .string(error.message)],
             status: HTTPResponse.Status(code: error.code.rawValue))
    }
}
