import Audit
import CurlTransport
import FixtureTesting
import Foundation
import NpmVerify
import RegistryClient
import SafeJSON
import SigstoreVerify

/// A scratch folder (``Scratch``) to build installed trees in, removed when the test is done with it.
struct ScratchTree {
    let url: URL

    init(_ label: String) throws {
        url = try Scratch.folder("audit-tests-\(label)")
    }

    func remove() { Scratch.remove(url) }

    /// Writes `json` to `relative` (folders created).
    func write(_ relative: String, _ json: String) throws {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(json.utf8).write(to: file)
    }

    /// A symbolic link at `relative` (folders created) whose target is `destination`, as written.
    func link(_ relative: String, to destination: String) throws {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: file.path, withDestinationPath: destination)
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
              policy: (any ProvenancePolicyCheck)? = nil, registryKeys: RegistryKeyTrust = RegistryKeyTrust()) async throws -> AuditReport {
    let transport = try CurlHTTPClient(configuration: TransportConfiguration(retry: .none))
    defer { transport.shutdown() }
    let audit = SignatureAudit(configuration: RegistryConfiguration(registry: registry), transport: transport,
                               trustedRoot: trustedRoot, policy: policy, registryKeys: registryKeys)
    return try await audit.run(prefix: prefix)
}

/// The public-good trusted root recorded in the shared vectors.
func publicGoodRoot() -> TrustedRootSource {
    TrustedRootSource { try TrustedMaterial(jsonData: try Data(contentsOf: Repository.vector("public-good/trusted_root.json"))) }
}
