public import Foundation
import Synchronization

/// The files an HTTP route serves, replaceable while the server runs (the world's TUF repository
/// gains the registry's keys once the registry has started).
public final class ServedFiles: Sendable {
    private let files = Mutex<[String: Data]>([:])

    public init() {}

    /// Replaces every file; keys are URL paths (`/timestamp.json`, `/targets/trusted_root.json`).
    public func set(_ new: [String: Data]) { files.withLock { $0 = new } }

    /// The file at `path`, also when the request percent-encodes it.
    public func file(at path: String) -> Data? {
        files.withLock { files in files[path] ?? path.removingPercentEncoding.flatMap { files[$0] } }
    }
}
