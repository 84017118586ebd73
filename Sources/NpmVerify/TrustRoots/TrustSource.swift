public import FoundationEssentials
import SafeJSON

/// Where trusted bytes came from, so commands can say which trust they used.
public enum TrustSource: Sendable, Equatable, CustomStringConvertible {
    /// A file named on the command line.
    case file(URL)
    /// A target of a TUF repository, verified by our TUF client from an anchored root.
    case tuf(url: String, rootVersion: Int, expires: Date)

    public var description: String {
        switch self {
        case .file(let url): "file \(url.path)"
        case .tuf(let url, let version, let expires):
            "TUF \(url) (root v\(version), expires \(InternetDateTime.format(expires, milliseconds: false)))"
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
