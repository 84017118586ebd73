import Foundation

/// Where trusted bytes came from, so commands can say which trust they used.
public enum TrustSource: Sendable, Equatable, CustomStringConvertible {
    /// A file named on the command line.
    case file(URL)
    /// The npm cache's TUF targets folder (kept fresh by npm itself).
    case npmCache(URL)
    /// The TUF seeds embedded in the installed npm CLI's `@sigstore/tuf` (as old as that npm).
    case npmSeeds(URL)

    public var description: String {
        switch self {
        case .file(let url): "file \(url.path)"
        case .npmCache(let url): "npm cache TUF target \(url.path)"
        case .npmSeeds(let url): "npm CLI embedded TUF seeds \(url.path)"
        }
    }
}

/// Bytes of a trust document together with where they came from.
public struct ResolvedTrust: Sendable {
    public let data: Data
    public let source: TrustSource

    public init(data: Data, source: TrustSource) {
        self.data = data
        self.source = source
    }
}
