public import FoundationEssentials
public import TUF
import DurableFile
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fetches through `inner` and keeps each file verbatim for `--offline`: held until `commit()`,
/// which the caller runs only once the update has accepted everything, then written under
/// `mirror/` (found by review: one bad answer written at once broke every later `--offline`).
final class RecordingFetcher: TUFFetcher {
    let inner: any TUFFetcher
    let mirror: URL
    let base: String
    /// What each fetch said, in order: the bytes, or nil for a 404.
    private let fetched = Mutex<[(file: URL, data: Data?)]>([])

    init(inner: any TUFFetcher, mirror: URL, base: String) {
        self.inner = inner
        self.mirror = mirror
        self.base = base
    }

    func fetch(_ url: String, maxBytes: Int) async throws(FetchError) -> Data {
        // Only in real folders below the mirror: a planted link must not aim a write or an unlink elsewhere.
        let file = MirrorFetcher.relativePath(url, base: base).map { mirror.appendingPathComponent($0) }
            .flatMap { (try? TUFCacheFolder.make($0.deletingLastPathComponent(), below: mirror)) != nil ? $0 : nil }
        let data: Data
        do { data = try await inner.fetch(url, maxBytes: maxBytes) } catch {
            // The mirror says what the server said, absence included: a file the server no longer
            // has (say a forged next root served once) must not be replayed offline for good. Like
            // any answer, it counts only once the update succeeded (found by a re-attack: one 404
            // for timestamp.json deleted the cached copy at once).
            if case .httpStatus(404, _) = error, let file { fetched.withLock { $0.append((file, nil)) } }
            throw error
        }
        if let file { fetched.withLock { $0.append((file, data)) } }
        return data
    }

    /// How many answers are recorded so far.
    var recordedCount: Int { fetched.withLock { $0.count } }

    /// Forgets the answers recorded from `index` on: those of a target that failed.
    func forget(from index: Int) { fetched.withLock { $0.removeSubrange(min(index, $0.count)...) } }

    /// Writes what was fetched into the mirror, in order (a later fetch of one file wins), and
    /// removes what the server said is gone.
    func commit() {
        for (file, data) in fetched.withLock({ $0 }) {
            if let data { try? DurableFile.replace(file, with: data) } else { unlink(file.path) }
        }
    }
}

/// Serves what `RecordingFetcher` kept; a file it never fetched is a 404.
struct MirrorFetcher: TUFFetcher {
    let mirror: URL
    let base: String

    func fetch(_ url: String, maxBytes: Int) async throws(FetchError) -> Data {
        guard let relative = Self.relativePath(url, base: base) else { throw .httpStatus(404, url: url) }
        let data: Data?
        do { data = try DurableFile.read(mirror.appendingPathComponent(relative).path, limit: maxBytes) } catch {
            // Over the limit, or not a regular file (a FIFO, a folder): never read whole, and said
            // as it is (found by review: a FIFO was reported as larger than the limit).
            throw .transport("the cached copy of \(url) cannot be used: \(error)", url: url)
        }
        guard let data else { throw .httpStatus(404, url: url) }
        return data
    }

    /// `url` below `base`, without `..` segments; nil otherwise.
    static func relativePath(_ url: String, base: String) -> String? {
        guard url.hasPrefix(base + "/") else { return nil }
        let relative = String(url.dropFirst(base.count + 1))
        let segments = relative.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)  // bytes, not Characters
        guard !relative.isEmpty, !segments.contains(where: { $0.elementsEqual("..".utf8) || $0.elementsEqual(".".utf8) }) else { return nil }
        return relative
    }
}
