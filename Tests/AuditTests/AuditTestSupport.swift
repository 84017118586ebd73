import Audit
import CurlTransport
import Foundation
import NpmVerify
import RegistryClient
import SafeJSON
import SigstoreVerify

/// Paths of the repository and of the shared, read-only vectors beside it.
enum Paths {
    /// The repository root (symbolic links resolved, so scratch packages find the real tree).
    static let repository = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let vectors = repository.deletingLastPathComponent().appendingPathComponent("shared/vectors")
    static let seeds = repository.appendingPathComponent("Registry/packages")

    static func vector(_ path: String) throws -> Data {
        try Data(contentsOf: vectors.appendingPathComponent(path))
    }
}

/// A temporary folder removed when the test is done with it.
struct Scratch {
    let url: URL

    init(_ label: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("audit-tests-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }

    /// Writes `json` to `relative` (folders created).
    func write(_ relative: String, _ json: String) throws {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(json.utf8).write(to: file)
    }

    /// An installed package folder with a minimal package.json.
    func install(_ location: String, name: String, version: String?, dependencies: [String: String] = [:]) throws {
        var fields: [String: JSONValue] = ["name": .string(name)]
        if let version { fields["version"] = .string(version) }
        if !dependencies.isEmpty { fields["dependencies"] = .object(dependencies.mapValues { .string($0) }) }
        try write("\(location)/package.json", String(decoding: try JSONValue.object(fields).serialized(), as: UTF8.self))
    }
}

/// Runs an audit of `prefix` against `registry` over a fresh libcurl transport.
func runAudit(prefix: URL, registry: String, trustedRoot: TrustedRootSource = publicGoodRoot(),
              policy: (any ProvenancePolicyCheck)? = nil, presetKeys: [String: [RegistryKey]] = [:]) async throws -> AuditReport {
    let transport = try CurlHTTPClient(configuration: TransportConfiguration(retry: .none))
    defer { transport.shutdown() }
    let audit = SignatureAudit(configuration: RegistryConfiguration(registry: registry), transport: transport,
                               trustedRoot: trustedRoot, policy: policy, presetKeys: presetKeys)
    return try await audit.run(prefix: prefix)
}

/// The public-good trusted root recorded in the shared vectors.
func publicGoodRoot() -> TrustedRootSource {
    TrustedRootSource { try TrustedMaterial(jsonData: try Paths.vector("public-good/trusted_root.json")) }
}
