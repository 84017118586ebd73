public import Hummingbird
import NIOCore

extension RekorV2Log {
    /// Rekor v2's write API and checkpoint under `prefix`:
    /// - `POST api/v2/log/entries` → 201 `TransparencyLogEntry` JSON, or 400 `{code, message}`;
    /// - `GET checkpoint` → 200 the signed note of the current tree (as a tile log serves it).
    public func addRoutes<Context: RequestContext>(to router: Router<Context>, prefix: String = "/rekor-v2") {
        let group = router.group(RouterPath(prefix))
        group.post("api/v2/log/entries") { request, _ in
            do throws(RekorError) {
                let body = try await RekorHTTP.proposedBody(of: request, what: "entry request")
                return RekorHTTP.json(try self.append(request: body).transparencyLogEntry, status: .created)
            } catch {
                return RekorHTTP.error(error)
            }
        }
        group.get("checkpoint") { _, _ in
            RekorHTTP.respond { () throws(RekorError) in
                Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                         body: ResponseBody(byteBuffer: ByteBuffer(string: try self.checkpoint())))
            }
        }
    }
}
