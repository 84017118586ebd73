public import FixtureRegistry
public import FixtureSigstore
public import Foundation
public import SafeJSON

/// One recorded trusted-publishing exchange, as `fixture-registry record` writes it to
/// `Registry/recorded/<name>.json`: the pinned inputs (clock, job, trusted publisher, key
/// files, request token, `jti`) and every HTTP request and response of the flow, verbatim.
///
/// Commit-ready: no absolute paths and no ports (requests carry the path only; key files are
/// named relative to the keys folder). Everything in it is TEST-ONLY.
public struct RecordedExchange: Codable, Sendable, Equatable {
    public static let currentFormat = "mochi-recorded-oidc-exchange/1"

    /// The key files the flow was signed with, and fingerprints that tie the recording to them.
    public struct KeyFiles: Codable, Sendable, Equatable {
        /// The folder the names are relative to, as written (`Registry/keys`).
        public var folder: String
        /// The issuer's RSA key (PKCS#8 PEM).
        public var issuerKey: String
        /// The `kid` the issuer derives from that key (checked on replay).
        public var issuerKeyID: String
        /// The HMAC secret of the registry's token generator.
        public var tokenSecret: String
        /// `sha256:<hex>` of the secret (checked on replay).
        public var tokenSecretSHA256: String
    }

    /// One HTTP request: the method, the path with its query (no scheme, host or port) and the
    /// headers the flow sets (lowercase names).
    public struct Request: Codable, Sendable, Equatable {
        public var method: String
        public var path: String
        public var headers: [String: String]
    }

    /// One HTTP response: status, `content-type`, and the body exactly as received (UTF-8 text).
    public struct Response: Codable, Sendable, Equatable {
        public var status: Int
        public var contentType: String?
        public var body: String
    }

    /// A request and its response, labelled (`id-token`, `exchange`).
    public struct Step: Codable, Sendable, Equatable {
        public var label: String
        public var request: Request
        public var response: Response
    }

    public var format: String
    public var name: String
    public var notice: String
    /// The pinned clock, RFC 3339 UTC (`2026-01-15T12:00:00Z`): the issuer's `iat` and the registry's now.
    public var clock: String
    /// The package whose trusted publisher the exchange asks for.
    public var package: String
    /// The registry host the audience names (`npm:<host>`).
    public var registryHost: String
    /// The `iss` of the ID token.
    public var issuer: String
    public var job: GitHubActionsJob
    public var trustedPublisher: TrustedPublisher
    public var keys: KeyFiles
    /// The job's `ACTIONS_ID_TOKEN_REQUEST_TOKEN` (TEST-ONLY).
    public var requestToken: String
    /// The pinned `jti` of the ID token.
    public var jti: String
    /// The ID token the issuer answered (the same as in the `id-token` step's body).
    public var jwt: String
    /// The ID token's claims, decoded for readers (replay uses ``jwt``).
    public var jwtClaims: [String: JSONValue]
    public var steps: [Step]

    /// The audience of the exchange's ID token.
    public var audience: String { "npm:\(registryHost)" }

    /// The pinned instant.
    public var pinnedDate: Date {
        get throws {
            guard let date = RecordedTime.parse(clock) else {
                throw RecordedFlowError("recording \(name): clock \"\(clock)\" is not an RFC 3339 UTC time such as 2026-01-15T12:00:00Z")
            }
            return date
        }
    }

    /// The step labelled `label`.
    public func step(_ label: String) throws -> Step {
        guard let step = steps.first(where: { $0.label == label }) else {
            throw RecordedFlowError("recording \(name): expected a step \"\(label)\", found \(steps.map(\.label))")
        }
        return step
    }

    // MARK: - Files

    /// The bytes written to `Registry/recorded/<name>.json`: pretty, sorted keys, trailing newline.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// Reads a recording, refusing other formats.
    public static func load(from url: URL) throws -> RecordedExchange {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw RecordedFlowError("cannot read the recording \(url.path): \(error.localizedDescription)")
        }
        let recording: RecordedExchange
        do { recording = try JSONDecoder().decode(RecordedExchange.self, from: data) } catch {
            throw RecordedFlowError("\(url.path) is not a recorded exchange: \(error)")
        }
        guard recording.format == currentFormat else {
            throw RecordedFlowError("\(url.path): expected format \(currentFormat), found \(recording.format)")
        }
        return recording
    }

}

/// A recorded flow that cannot be made or replayed; says which file, step or value, expected versus found.
public struct RecordedFlowError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// RFC 3339 UTC seconds, the only time format of recordings.
enum RecordedTime {
    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
