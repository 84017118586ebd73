import Foundation
public import Hummingbird
import NIOCore
import NIOFoundationEssentialsCompat

extension RekorV2Log {
    /// Rekor v2's write API and checkpoint under `prefix`:
    /// - `POST api/v2/log/entries` → 201 `TransparencyLogEntry` JSON, or 400 `{code, message}`;
    /// - `GET checkpoint` → 200 the signed note of the current tree (as a tile log serves it).
    public func addRoutes<Context: RequestContext>(to router: Router<Context>, prefix: String = "/rekor-v2") {
        let group = router.group(RouterPath(prefix))
        group.post("api/v2/log/entries") { request, _ in
            let body: ByteBuffer
            do { body = try await request.body.collect(upTo: RekorLimits.maxProposedEntryBytes) } catch {
                return RekorLog.error(.badRequest("entry request exceeds \(RekorLimits.maxProposedEntryBytes) bytes or could not be read: \(error)"))
            }
            do throws(RekorError) {
                return RekorLog.json(try self.append(request: Data(buffer: body)).transparencyLogEntry, status: .created)
            } catch {
                return RekorLog.error(error)
            }
        }
        group.get("checkpoint") { _, _ in
            do throws(RekorError) {
                return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                                body: ResponseBody(byteBuffer: ByteBuffer(string: try self.checkpoint())))
            } catch {
                return RekorLog.error(error)
            }
        }
    }
}
