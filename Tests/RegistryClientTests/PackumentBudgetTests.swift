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

/// A registry whose one document lists `versions` versions of `dependencies` dependencies each.
private struct WidePackument: HTTPTransport {
    let versions: Int, dependencies: Int
    /// Empty strings in each version's `os` list.
    var platforms = 0

    func send(_ request: HTTPRequest, digest: (@Sendable () -> any StreamingDigest)?) async throws -> HTTPResponse {
        let deps = (0..<dependencies).map { #""d\#($0)":"1""# }.joined(separator: ",")
        let os = Array(repeating: #""""#, count: platforms).joined(separator: ",")
        let entries = (0..<versions).map { #""1.\#($0).0":{"name":"wide","version":"1.\#($0).0","dependencies":{\#(deps)},"os":[\#(os)],"dist":{"tarball":"http://127.0.0.1:9/w.tgz"}}"# }
        let body = Data((#"{"name":"wide","dist-tags":{},"versions":{"# + entries.joined(separator: ",") + "}}").utf8)
        return HTTPResponse(url: request.url, status: 200, headers: ["content-type": "application/json"],
                            body: body, bodyDigest: nil, attempts: 1)
    }
}

extension PackumentBudgetTests {
    /// Found by review: eight 108 MB documents of wide dependency maps fit the byte budget and held
    /// 7 GB parsed. What a document holds parsed is charged where that is more than its bytes.
    @Test func whatADocumentHoldsParsedCountsAgainstTheBudget() async throws {
        let wide = WidePackument(versions: 100, dependencies: 100)  // ~150 KB of bytes, 10,000 entries
        let roomy = RegistryClient(configuration: RegistryConfiguration(registry: "http://127.0.0.1:9/"), transport: wide, packumentBudget: 2 << 20)
        #expect(try await roomy.packument(try PackageName("wide")).versions.count == 100)
        let tight = RegistryClient(configuration: RegistryConfiguration(registry: "http://127.0.0.1:9/"), transport: wide, packumentBudget: 400_000)
        let error = await #expect(throws: RegistryError.self) { try await tight.packument(try PackageName("wide")) }
        #expect(error?.code == .budgetExceeded)
        // Many versions with no dependencies: each kept version is charged too (~80 KB of bytes, ~1 MB kept).
        let long = WidePackument(versions: 1000, dependencies: 0)
        let bounded = RegistryClient(configuration: RegistryConfiguration(registry: "http://127.0.0.1:9/"), transport: long, packumentBudget: 500_000)
        let refused = await #expect(throws: RegistryError.self) { try await bounded.packument(try PackageName("wide")) }
        #expect(refused?.code == .budgetExceeded)
        // Found by review: long `os` lists were not counted (370 empty strings a version held 7.6 GB under 1 GiB).
        let platforms = WidePackument(versions: 100, dependencies: 0, platforms: 100)  // ~30 KB of bytes, 10,000 entries
        let listed = RegistryClient(configuration: RegistryConfiguration(registry: "http://127.0.0.1:9/"), transport: platforms, packumentBudget: 400_000)
        let lists = await #expect(throws: RegistryError.self) { try await listed.packument(try PackageName("wide")) }
        #expect(lists?.code == .budgetExceeded)
    }
}
