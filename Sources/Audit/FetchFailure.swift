/// A registry request that failed, with npm-registry-fetch's style of code.
public struct FetchFailure: Error, Sendable, CustomStringConvertible {
    public let code: String
    public let message: String
    /// The registry could not be reached (the network, or a 5xx): nothing about the package was
    /// learned, so the run's failure is an outage, not a verdict (exit 3).
    public var unreachable = false
    public var description: String { message }

    public init(code: String, message: String, unreachable: Bool = false) {
        self.code = code
        self.message = message
        self.unreachable = unreachable
    }
}
