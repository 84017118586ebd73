import FixtureTesting
import Foundation
import Synchronization
import TUF

/// Paths of the vendored tuf-conformance data beside the repository (read at test time).
enum Paths {
    static let staticData = Repository.root.deletingLastPathComponent()
        .appendingPathComponent("shared/vendor/tuf-conformance/tuf_conformance/static_data")
    static let sigstore = staticData.appendingPathComponent("sigstore-root-signing")
}

/// A fresh empty directory under this test process's scratch root (removed when the process exits).
func makeTemporaryDirectory(_ label: String = "tuf") throws -> URL {
    try Scratch.folder(label)
}

/// Runs `body` and returns the `TUFError` it threw (nil when it succeeded or threw something else).
func tufError(_ body: () async throws -> Void) async -> TUFError? {
    do {
        try await body()
        return nil
    } catch let error as TUFError {
        return error
    } catch {
        return nil
    }
}

/// Parses `2025-02-09T12:02:08Z`-style test dates.
func date(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    return formatter.date(from: text)!
}

/// Serves files by URL from memory (or a directory): 404 for anything else; records every request.
final class MemoryFetcher: TUFFetcher {
    private struct State {
        var files: [String: Data] = [:]
        var requests: [String] = []
    }
    private let state = Mutex(State())
    private let baseURL: String
    private let directory: URL?

    /// `directory`: serve `baseURL + relative path` from files under it too.
    init(baseURL: String = "https://repo.test/", directory: URL? = nil) {
        self.baseURL = baseURL
        self.directory = directory
    }

    func set(_ path: String, _ data: Data?) { state.withLock { $0.files[baseURL + path] = data } }

    var requests: [String] {
        state.withLock { $0.requests.map { String($0.dropFirst(baseURL.count)) } }
    }

    func clearRequests() { state.withLock { $0.requests.removeAll() } }

    /// The bytes currently served at `path`.
    func published(_ path: String) -> Data? { state.withLock { $0.files[baseURL + path] } }

    func fetch(_ url: String, maxBytes: Int) async throws(FetchError) -> Data {
        let stored = state.withLock { state -> Data? in
            state.requests.append(url)
            return state.files[url] ?? state.files[url.removingPercentEncoding ?? url]
        }
        var data = stored
        if data == nil, let directory, url.hasPrefix(baseURL) {
            data = try? Data(contentsOf: directory.appendingPathComponent(String(url.dropFirst(baseURL.count))))
        }
        guard let data else { throw .httpStatus(404, url: url) }
        guard data.count <= maxBytes else { throw .tooLarge(limit: maxBytes, url: url) }
        return data
    }
}
