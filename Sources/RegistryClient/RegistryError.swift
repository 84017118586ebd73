/// A registry or network failure, naming the package and URL involved.
public struct RegistryError: Error, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }
        public static let notFound = Code("not-found")
        public static let httpStatus = Code("http-status")
        public static let network = Code("network")
        public static let malformed = Code("malformed-response")
        public static let noMatchingVersion = Code("no-matching-version")
    }

    public let code: Code
    public let package: String?
    public let url: String?
    public let message: String

    public init(_ code: Code, package: String?, url: String?, _ message: String) {
        self.code = code
        self.package = package
        self.url = url
        self.message = message
    }

    public var description: String { message }
}
