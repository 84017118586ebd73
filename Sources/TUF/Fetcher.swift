public import CurlTransport
public import FoundationEssentials

/// Why a download produced no usable bytes.
public enum FetchError: Error, CustomStringConvertible, Sendable {
    case httpStatus(Int, url: String)
    case tooLarge(limit: Int, url: String)
    case transport(String, url: String)

    public var description: String {
        switch self {
        case .httpStatus(let status, let url): "HTTP \(status) for \(url)"
        case .tooLarge(let limit, let url): "\(url) is larger than \(limit) bytes"
        case .transport(let message, _): message
        }
    }
}

/// Downloads whole files up to a byte limit; the updater's only network access.
public protocol TUFFetcher: Sendable {
    func fetch(_ url: String, maxBytes: Int) async throws(FetchError) -> Data
}

/// `TUFFetcher` over libcurl. No retries by default: a TUF client's requests should be exactly
/// those the workflow makes (the conformance suite counts them).
public struct CurlFetcher: TUFFetcher {
    private let client: CurlHTTPClient

    public init(configuration: TransportConfiguration = TransportConfiguration(retry: .none)) throws {
        client = try CurlHTTPClient(configuration: configuration)
    }

    public func fetch(_ url: String, maxBytes: Int) async throws(FetchError) -> Data {
        let response: HTTPResponse
        do {
            response = try await client.send(HTTPRequest(url: url, maxResponseBytes: max(maxBytes, 0)))
        } catch let error as TransportError {
            if error.code == .bodyTooLarge { throw .tooLarge(limit: maxBytes, url: url) }
            throw .transport(error.description, url: url)
        } catch {
            throw .transport("\(error)", url: url)
        }
        guard response.isSuccess else { throw .httpStatus(response.status, url: url) }
        guard response.body.count <= maxBytes else { throw .tooLarge(limit: maxBytes, url: url) }
        return response.body
    }
}
