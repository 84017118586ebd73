import CurlTransport
import FixtureTesting
import Foundation
import Installer
import NpmModel
import RegistryClient
import SafeJSON
import SigstoreVerify
import FixtureRegistry

/// A loopback fixture registry that serves the real recorded npm package `gundam-visor@1.0.1`
/// (slsa-verifier's recording) with its real attestations response and the public registry's
/// attestation key, so installs verify real Sigstore bundles under the public-good trusted root.
///
/// The tarball itself is third-party code kept out of `../shared/vectors`: tests that need it look
/// in `$NPM_REAL_TARBALLS`, then beside the vectors, and are disabled when it is absent. Without it,
/// a stand-in tarball is served under the recorded integrity, so everything before the tarball fetch
/// (attestations, policy) still runs on the real bundles.
enum ProvenanceWorld {
    /// One recorded real package: its attestations response and (when available) its tarball.
    struct Recorded: Sendable, CustomStringConvertible {
        let name: String
        let version: String
        let integrity: String
        let attestationsFile: String
        let tarballFile: String
        let predicateType: String
        var description: String { "\(name)@\(version)" }

        var escapedName: String { name.replacingOccurrences(of: "/", with: "%2f") }
        var tarball: Data? {
            ProvenanceWorld.tarballFolders.lazy.compactMap { FileManager.default.contents(atPath: $0.appendingPathComponent(tarballFile).path) }.first
        }
    }

    static let gundamVisor = Recorded(name: "gundam-visor", version: "1.0.1",
                                      integrity: "sha512-jZ15cvZ2UWx1AUqgdOEa5gTZjwtk7Gclph4oOP89qxYhGPpxQz+zHhVQ0wvQ3snQhs4DK5RFe1g5AMUHrPOcQA==",
                                      attestationsFile: "npm-real/slsa-verifier/gundam-visor-cli-v1-tag.tgz.json",
                                      tarballFile: "gundam-visor-cli-v1-tag.tgz", predicateType: "https://slsa.dev/provenance/v1")
    static let name = gundamVisor.name
    static let version = gundamVisor.version
    static let integrity = gundamVisor.integrity
    static let attestationsFile = gundamVisor.attestationsFile

    /// Every valid slsa-verifier recording of `npm-real/attestation-cases.json` (each has a tarball upstream).
    static let recorded: [Recorded] = {
        guard let data = try? vector("npm-real/attestation-cases.json"), let document = try? JSONValue.parse(data) else { return [] }
        return (document["cases"]?.arrayValue ?? []).compactMap { item -> Recorded? in
            guard let file = item["file"]?.stringValue, file.hasPrefix("slsa-verifier/"), !file.contains("invalid"),
                  let tarball = item["tarballFile"]?.stringValue, let spec = item["package"]?.stringValue,
                  let integrity = item["distIntegrity"]?.stringValue,
                  let predicate = item["expected"]?.objectValue?.keys.first(where: { $0.hasPrefix("https://slsa.dev/") }) else { return nil }
            let at = spec.lastIndex(of: "@")!
            return Recorded(name: String(spec[..<at]), version: String(spec[spec.index(after: at)...]), integrity: integrity,
                            attestationsFile: "npm-real/" + file, tarballFile: String(tarball.split(separator: "/").last!), predicateType: predicate)
        }
    }()

    static var tarballFolders: [URL] {
        [ProcessInfo.processInfo.environment["NPM_REAL_TARBALLS"].map { URL(fileURLWithPath: $0) },
         vectors.appendingPathComponent("npm-real/slsa-verifier")].compactMap { $0 }
    }

    static let vectors = Repository.vectors

    static func vector(_ path: String) throws -> Data { try Data(contentsOf: vectors.appendingPathComponent(path)) }

    /// The real tarball when one is available.
    static var realTarball: Data? { gundamVisor.tarball }

    static var hasRealTarball: Bool { realTarball != nil }

    /// Whether every recorded package's tarball is available.
    static var hasAllRealTarballs: Bool { recorded.count >= 5 && recorded.allSatisfy { $0.tarball != nil } }

    static func trustedRoot() throws -> TrustedMaterial {
        try TrustedMaterial(jsonData: try vector("public-good/trusted_root.json"))
    }

    /// Publishes each recorded package with its real tarball (a stand-in when absent).
    static func publish(_ packages: [Recorded], into registry: TestRegistry) throws {
        for package in packages {
            if let tarball = package.tarball {
                try registry.storage.addVersion(manifest: ["name": .string(package.name), "version": .string(package.version)], tarball: tarball, tags: ["latest"])
            } else {
                try registry.publish(package.name, package.version)
            }
        }
    }

    /// Publishes `gundam-visor@1.0.1`: the real tarball, else a stand-in.
    static func publish(into registry: TestRegistry) throws {
        try publish([gundamVisor], into: registry)
    }

    /// Rewrites responses so the registry advertises and serves the recorded attestations:
    /// `dist.attestations` (and the recorded integrity) in the packument, the recorded response at
    /// the attestations URL, and the public registry's attestation key added to `/-/npm/v1/keys`.
    static func transport(_ curl: CurlHTTPClient, attestations: Data) throws -> TamperingTransport {
        try transport(curl, serving: [(gundamVisor, attestations)])
    }

    static func transport(_ curl: CurlHTTPClient, serving packages: [(Recorded, Data)]) throws -> TamperingTransport {
        let corepack = try JSONValue.parse(try vector("npm-real/keys/npm-v1-keys.corepack.json"))
        let npmKeys = corepack["keys"]?.arrayValue ?? []
        return TamperingTransport(inner: curl) { url, status, body in
            if url.hasSuffix("/-/npm/v1/keys"), case .object(var root)? = try? JSONValue.parse(body), let keys = root["keys"]?.arrayValue {
                root["keys"] = .array(keys + npmKeys)
                return (status, (try? JSONValue.object(root).serialized()) ?? body)
            }
            for (package, attestations) in packages {
                let path = "-/npm/v1/attestations/\(package.escapedName)@\(package.version)"
                if url.hasSuffix("/" + path) { return (200, attestations) }
                if url.hasSuffix("/\(package.escapedName)") {
                    let attestationsURL = String(url.dropLast(package.escapedName.count)) + path
                    return (status, TamperingTransport.editDist(body, version: package.version) { dist in
                        dist["attestations"] = ["url": .string(attestationsURL), "provenance": ["predicateType": .string(package.predicateType)]]
                        dist["integrity"] = .string(package.integrity)
                    })
                }
            }
            return (status, body)
        }
    }

    /// Installs `specs` into `project` through the rewriting transport with `settings`.
    static func install(_ registry: TestRegistry, _ project: TestProject, attestations: Data, settings: ProvenanceSettings,
                        specs: [String]) async throws -> InstallReport {
        let curl = try CurlHTTPClient(configuration: TransportConfiguration(retry: .none))
        defer { curl.shutdown() }
        let client = RegistryClient(configuration: RegistryConfiguration(registry: registry.url), transport: try transport(curl, attestations: attestations))
        return try await Installer(client: client, cache: ContentCache(root: project.cache), provenance: settings)
            .install(prefix: project.directory, specs: try specs.map { try PackageSpec(parsing: $0) })
    }

    /// `ci` of `project` through the rewriting transport with `settings`.
    static func ci(_ registry: TestRegistry, _ project: TestProject, attestations: Data, settings: ProvenanceSettings) async throws -> InstallReport {
        let curl = try CurlHTTPClient(configuration: TransportConfiguration(retry: .none))
        defer { curl.shutdown() }
        let client = RegistryClient(configuration: RegistryConfiguration(registry: registry.url), transport: try transport(curl, attestations: attestations))
        return try await Installer(client: client, cache: ContentCache(root: project.cache), provenance: settings).ci(prefix: project.directory)
    }

    /// The recorded response with one byte of the provenance bundle's DSSE payload flipped.
    static func flippedProvenance() throws -> Data {
        var document = try JSONValue.parse(try vector(attestationsFile))
        guard case .object(var root) = document, case .array(var list)? = root["attestations"],
              let index = list.firstIndex(where: { $0["predicateType"]?.stringValue?.hasPrefix("https://slsa.dev/provenance/") == true }),
              case .object(var entry) = list[index], case .object(var bundle)? = entry["bundle"],
              case .object(var envelope)? = bundle["dsseEnvelope"], let payload = envelope["payload"]?.stringValue,
              var bytes = Data(base64Encoded: payload) else { throw CocoaError(.fileReadCorruptFile) }
        bytes[bytes.count / 2] ^= 0x01
        envelope["payload"] = .string(bytes.base64EncodedString())
        bundle["dsseEnvelope"] = .object(envelope)
        entry["bundle"] = .object(bundle)
        list[index] = .object(entry)
        root["attestations"] = .array(list)
        document = .object(root)
        return try document.serialized()
    }
}
