import CurlTransport
import FixtureTesting
import Foundation
import Harness
import SafeJSON
import SigstoreModels
import SigstoreVerify
import Publish

/// A fixture world started with Rekor v2 (`FixtureWorld.start(seedRekorVersion: .v2)`, what
/// `fixture-registry serve --rekor v2` runs): every seed provenance is a v0.3 bundle with a
/// `hashedrekord` v0.0.2 entry and an RFC 3161 timestamp. Started once, shared by the suites.
actor V2World {
    static let shared = V2World()
    /// One start shared by concurrent first callers (an actor is reentrant across the await).
    private var starting: Task<FixtureWorld, any Error>?

    /// The running world (never stopped: its folder goes with the process's scratch root at exit).
    func world() async throws -> FixtureWorld {
        if starting == nil {
            starting = Task { try await FixtureWorld.start(directory: Scratch.path("v2-world"), seedRekorVersion: .v2) }
        }
        return try await starting!.value
    }

    /// The SLSA provenance bundle the registry serves for `name@version`.
    func provenanceBundle(_ spec: String = "@mochi%2fexample@1.1.0") async throws -> JSONValue {
        let world = try await world()
        let response = try JSONValue.parse(try await V2HTTP.get(world.registryURL + "-/npm/v1/attestations/" + spec))
        guard let bundle = response["attestations"]?.arrayValue?.first(where: { $0["predicateType"]?.stringValue == "https://slsa.dev/provenance/v1" })?["bundle"] else {
            throw V2Failure("no SLSA provenance in the attestations of \(spec)")
        }
        return bundle
    }

    /// Our consumer's verifier under the world's trusted root.
    func verifier() async throws -> BundleVerifier {
        BundleVerifier(trusted: try TrustedMaterial(TrustedRoot(jsonData: Data(contentsOf: try await world().trustedRootFile))))
    }
}

/// Plain GETs against the world (libcurl, as the consumer uses).
enum V2HTTP {
    static func get(_ url: String) async throws -> Data {
        let client = try CurlHTTPClient(configuration: TransportConfiguration(maxConcurrentTransfers: 2))
        defer { client.shutdown() }
        let response = try await client.send(HTTPRequest(url: url, headers: ["Accept": "application/json"]))
        guard response.status == 200 else { throw V2Failure("GET \(url) answered \(response.status)") }
        return response.body
    }
}

struct V2Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Edits of bundle JSON by path (`["verificationMaterial", "tlogEntries", "0", …]`).
enum JSONEdit {
    static func get(_ value: JSONValue, _ path: [String]) -> JSONValue? {
        guard let key = path.first else { return value }
        switch value {
        case .object(let members): return members[key].flatMap { get($0, Array(path.dropFirst())) }
        case .array(let items): return Int(key).flatMap { items.indices.contains($0) ? get(items[$0], Array(path.dropFirst())) : nil }
        default: return nil
        }
    }

    /// `value` with the node at `path` replaced (nil removes an object member).
    static func set(_ value: JSONValue, _ path: [String], _ new: JSONValue?) -> JSONValue {
        guard let key = path.first else { return new ?? .null }
        let rest = Array(path.dropFirst())
        switch value {
        case .object(var members):
            if rest.isEmpty { members[key] = new } else if let child = members[key] { members[key] = set(child, rest, new) }
            return .object(members)
        case .array(var items):
            guard let index = Int(key), items.indices.contains(index) else { return value }
            items[index] = set(items[index], rest, new)
            return .array(items)
        default: return value
        }
    }
}
