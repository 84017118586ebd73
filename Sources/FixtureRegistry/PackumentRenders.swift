import Foundation
import Synchronization

/// Packuments as served (rendered for one form and base URL, serialised, tagged), kept until the
/// storage's next edit: rendering and serialising each request's packument afresh was a tenth of
/// the server's CPU while a consumer installed a generated registry. A fault's rewrite is never
/// cached (the responder renders those afresh).
final class PackumentRenders: Sendable {
    struct Key: Hashable, Sendable {
        let name: PackageName
        let form: PackumentForm
        let baseURL: String
    }

    /// A served body and its ETag.
    struct Rendered: Sendable {
        let body: Data
        let etag: String
    }

    /// Past this many bytes of bodies the cache starts again empty.
    static let maxBytes = 64 << 20

    private let state = Mutex<(generation: UInt64, bodies: [Key: Rendered], bytes: Int)>((0, [:], 0))

    /// The body of `key` for the document of `generation`, rendered by `render` unless one made
    /// from that generation is kept.
    func body(_ key: Key, generation: UInt64, render: () throws -> Data) rethrows -> Rendered {
        if let kept = state.withLock({ $0.generation == generation ? $0.bodies[key] : nil }) { return kept }
        let body = try render()
        let rendered = Rendered(body: body, etag: TarballDigest.etag(of: body))
        state.withLock { state in
            // A rendering of an older generation is served but not kept; a newer one starts afresh.
            guard generation >= state.generation else { return }
            if generation > state.generation || state.bytes + body.count > Self.maxBytes {
                state = (generation, [:], 0)
            }
            state.bodies[key] = rendered
            state.bytes += body.count
        }
        return rendered
    }
}
