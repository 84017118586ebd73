/// A registry request that failed, with npm-registry-fetch's style of code.
public struct FetchFailure: Error, Sendable, CustomStringConvertible {
    public let code: String
    public let message: String
    public var description: String { message }
}
