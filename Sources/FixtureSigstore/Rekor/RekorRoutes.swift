public import Hummingbird
import NIOCore

extension RekorLog {
    /// Adds Rekor's v1 API under `prefix` (PROTOCOLS §6.6), answering as Rekor does:
    /// - `POST api/v1/log/entries` → 201 `{uuid: LogEntryAnon}` with `Location`, 400 or 409 (with the existing entry's `Location`) `{code, message}`;
    /// - `GET api/v1/log/entries?logIndex=N` and `GET api/v1/log/entries/<uuid>` → 200 `{uuid: LogEntryAnon}`, 404;
    /// - `GET api/v1/log` → 200 `{rootHash, signedTreeHead, treeID, treeSize}`;
    /// - `GET api/v1/log/publicKey` → 200 the log key as PEM.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>, prefix: String = "/rekor") {
        let group = router.group(RouterPath(prefix))
        group.post("api/v1/log/entries") { request, _ in
            let entries = "\(prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix)/api/v1/log/entries/"
            do throws(RekorError) {
                let entry = try self.append(proposedEntry: try await RekorHTTP.proposedBody(of: request, what: "proposed entry"))
                var response = RekorHTTP.json(entry.apiResponse, status: .created)
                response.headers[.location] = entries + entry.uuid
                response.headers[.eTag] = entry.uuid
                return response
            } catch {
                var response = RekorHTTP.error(error)
                if let uuid = error.existingUUID { response.headers[.location] = entries + uuid }
                return response
            }
        }
        group.get("api/v1/log/entries") { request, _ in
            guard let text = request.uri.queryParameters.get("logIndex") else {
                return RekorHTTP.error(.badRequest("expected a logIndex query parameter"))
            }
            guard let index = Int64(text), index >= 0 else {
                return RekorHTTP.error(.badRequest("logIndex: expected a non-negative integer, found \"\(text.prefix(40))\""))
            }
            return RekorHTTP.respondJSON { () throws(RekorError) in try self.entry(logIndex: index).apiResponse }
        }
        group.get("api/v1/log/entries/:uuid") { _, context in
            let uuid = context.parameters.get("uuid") ?? ""
            return RekorHTTP.respondJSON { () throws(RekorError) in try self.entry(uuid: uuid).apiResponse }
        }
        group.get("api/v1/log/publicKey") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/x-pem-file"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: self.publicKeyPEM)))
        }
        group.get("api/v1/log") { _, _ in
            RekorHTTP.respondJSON { () throws(RekorError) in try self.logInfo() }
        }
    }
}
