import CurlTransport
import Foundation
import NpmModel
import RegistryClient
import Testing

/// A registry that answers every packument request with a valid document of about `size` bytes.
private struct PaddedPackuments: HTTPTransport {
    let size: Int

    func send(_ request: HTTPRequest, digest: (@Sendable () -> any StreamingDigest)?) async throws -> HTTPResponse {
        let name = request.url.split(separator: "/").last.map { $0.removingPercentEncoding ?? String($0) } ?? ""
        let head = #"{"name":"\#(name)","dist-tags":{},"versions":{},"readme":""#
        let body = Data((head + String(repeating: "x", count: max(0, size - head.utf8.count - 2)) + "\"}").utf8)
        return HTTPResponse(url: request.url, status: 200, headers: ["content-type": "application/json"],
                            body: body, bodyDigest: nil, attempts: 1)
    }
}

@Suite struct PackumentBudgetTests {
    @Test func aRunStopsDownloadingPackumentsOnceTheirTotalExceedsTheBudget() async throws {
        let transport = PaddedPackuments(size: 1000)
        let client = RegistryClient(configuration: RegistryConfiguration(registry: "http://127.0.0.1:9/"),
                                    transport: transport, packumentBudget: 2500)
        _ = try await client.packument(try PackageName("first"))
        _ = try await client.packument(try PackageName("second"))
        let error = await #expect(throws: RegistryError.self) { try await client.packument(try PackageName("third")) }
        #expect(error?.code == .budgetExceeded)
        #expect(error?.package == "third")
        #expect(error?.message.contains("2500 bytes") == true)
    }
}
