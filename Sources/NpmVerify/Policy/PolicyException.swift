public import FoundationEssentials
import SafeJSON
import CodedError

/// One `ignore` entry of a policy: `{"package": "<glob>", "reason": "...", "until": "2027-01-31"}`.
/// It excuses what a covered package *lacks* (a registry signature, provenance, a pinned builder),
/// never what is *wrong* (an integrity that differs, a signature or attestation that fails).
/// `reason` is mandatory; `until` is optional, and an exception past its day is an error.
public struct PolicyException: Sendable, Equatable {
    public let package: GlobPattern
    public let reason: String
    /// The last day (UTC) the exception applies, as written.
    public let until: String?
    /// The first instant after `until`.
    public let expiry: Date?

    public init(package: GlobPattern, reason: String, until: String? = nil) throws {
        self.package = package
        self.reason = reason
        self.until = until
        if let until {
            guard let day = Self.day(until) else {
                throw NpmVerifyError(.malformedPolicy, "ignore entry for \(package): until must be a date YYYY-MM-DD, got \(until)")
            }
            expiry = day.addingTimeInterval(86_400)
        } else {
            expiry = nil
        }
    }

    /// Whether `name` is covered.
    public func covers(_ name: String) -> Bool { package.matches(name) }

    /// Whether the exception has run out at `now`.
    public func isExpired(at now: Date) -> Bool { expiry.map { now >= $0 } ?? false }

    static func day(_ text: String) -> Date? {
        guard text.count == 10 else { return nil }
        return InternetDateTime.parseDay(text)
    }

    /// Reads the `ignore` array; any missing reason, unknown key or bad date is `.malformedPolicy`.
    static func parse(_ value: JSONValue, source: String) throws -> [PolicyException] {
        guard let array = value.arrayValue else {
            throw NpmVerifyError(.malformedPolicy, "\(source): \"ignore\" must be an array of {package, reason, until}")
        }
        return try array.enumerated().map { index, entry in
            let at = "\(source): ignore[\(index)]"
            guard let object = entry.objectValue else { throw NpmVerifyError(.malformedPolicy, "\(at) must be an object") }
            if let unknown = object.keys.sorted().first(where: { !["package", "reason", "until"].contains($0) }) {
                throw NpmVerifyError(.malformedPolicy, "\(at): unknown key \"\(unknown)\" (known keys: package, reason, until)")
            }
            guard let package = object["package"]?.stringValue, !package.isEmpty else {
                throw NpmVerifyError(.malformedPolicy, "\(at): package must be a non-empty package-name pattern")
            }
            guard let reason = object["reason"]?.stringValue, !reason.trimmingWhitespace().isEmpty else {
                throw NpmVerifyError(.malformedPolicy, "\(at) (\(package)): reason is mandatory: say why the exception is safe")
            }
            if let until = object["until"], until.stringValue == nil {
                throw NpmVerifyError(.malformedPolicy, "\(at) (\(package)): until must be a string YYYY-MM-DD")
            }
            return try PolicyException(package: GlobPattern(package), reason: reason, until: object["until"]?.stringValue)
        }
    }
}

extension ProvenancePolicy {
    /// The exception covering `name` (the first listed), expired or not.
    public func exception(for name: String) -> PolicyException? {
        ignore.first { $0.covers(name) }
    }
}
