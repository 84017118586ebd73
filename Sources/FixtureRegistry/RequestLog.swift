import Foundation
public import SafeJSON
import Synchronization

/// The registry's structured request log: one entry per answered request, kept in
/// memory (the newest ``capacity``) for `GET /requests` on the admin port, and also
/// written through swift-log with the same fields as metadata.
public final class RequestLog: Sendable {
    /// One answered request.
    public struct Entry: Sendable, Equatable {
        public let method: String
        /// The raw path, as sent (prefix included, percent-encoding kept).
        public let path: String
        public let status: Int
        /// Body bytes sent (as announced by `Content-Length`; 0 when unknown).
        public let bytes: Int
        /// Milliseconds from the request to the response head (a slow body streams after it).
        public let milliseconds: Double
        /// The fault scenario active when it was answered, if any.
        public let scenario: String?

        var json: JSONValue {
            var object: [String: JSONValue] = [
                "method": .string(method), "path": .string(path), "status": .number(Double(status)),
                "bytes": .number(Double(bytes)), "ms": .number((milliseconds * 10).rounded() / 10),
            ]
            if let scenario { object["scenario"] = .string(scenario) }
            return .object(object)
        }
    }

    /// How many entries are kept; older ones are dropped.
    public let capacity: Int
    private let entries = Mutex<[Entry]>([])

    public init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    func record(_ entry: Entry) {
        entries.withLock { entries in
            entries.append(entry)
            if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
        }
    }

    /// The kept entries, oldest first.
    public var all: [Entry] { entries.withLock { $0 } }

    /// Forgets every entry.
    public func clear() { entries.withLock { $0.removeAll() } }

    /// `{"requests": [...]}` as `GET /requests` serves it.
    public var document: JSONValue { .object(["requests": .array(all.map(\.json))]) }
}
