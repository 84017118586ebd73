/// A registry request that failed, with npm-registry-fetch's style of code.
public struct FetchFailure: Error, Sendable, CustomStringConvertible {
    public let code: String
    public let message: String
    /// The registry could not be reached for the package's document or its keys: nothing about the
    /// package was learned, so the run's failure is an outage, not a verdict (exit 3). Evidence
    /// withheld after the registry answered (an attestations 5xx) is a verdict.
    public var unreachable = false
    public var description: String { message }

    public init(code: String, message: String, unreachable: Bool = false) {
        self.code = code
        self.message = message
        self.unreachable = unreachable
    }
}
