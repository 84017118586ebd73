import CurlTransport
import Foundation
import Integrity
import RegistryClient
import Testing

/// A registry that answers every tarball request with `size` bytes of the tarball's own number.
private struct SizedTarballs: HTTPTransport {
    let size: Int

    static func body(_ url: String, size: Int) -> Data {
        Data(repeating: UInt8(truncatingIfNeeded: url.utf8.reduce(0) { $0 &+ Int($1) }), count: size)
    }

    func send(_ request: HTTPRequest, digest: (@Sendable () -> any StreamingDigest)?) async throws -> HTTPResponse {
        HTTPResponse(url: request.url, status: 200, headers: ["content-type": "application/octet-stream"],
                     body: Self.body(request.url, size: size), bodyDigest: nil, attempts: 1)
    }
}

/// Found by review: tarballs had a cap each but none for the run, so a registry that names many
/// of the largest size filled the disk through the staging files and the cache.
@Suite struct TarballBudgetTests {
    @Test func aRunStopsDownloadingTarballsOnceTheirTotalExceedsTheBudget() async throws {
        let client = RegistryClient(configuration: RegistryConfiguration(registry: "http://127.0.0.1:9/"),
                                    transport: SizedTarballs(size: 1000), tarballBudget: 2500)
        func fetch(_ name: String) async throws {
            let url = "http://127.0.0.1:9/\(name)/-/\(name)-1.0.0.tgz"
            _ = try await client.tarball(url: url, integrity: SubresourceIntegrity.of(SizedTarballs.body(url, size: 1000)), subject: "\(name)@1.0.0")
        }
        try await fetch("first")
        try await fetch("second")
        let error = await #expect(throws: RegistryError.self) { try await fetch("third") }
        #expect(error?.code == .budgetExceeded)
        #expect(error?.package == "third@1.0.0")
        #expect(error?.message.contains("the tarballs of this run exceed 2500 bytes in total") == true, "\(error?.message ?? "accepted")")
    }
}
