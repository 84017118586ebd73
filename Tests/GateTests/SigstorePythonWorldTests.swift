import FixtureTesting
import Foundation
import Harness
import SafeJSON
import Testing

/// The independent witness of issue 5: sigstore-python verifies, offline, the provenance bundle
/// the world produced for a trusted publish, under the world's trusted root and the job's identity;
/// and refuses it when the signature, the certificate or the log entry is altered.
@Suite("sigstore-python verifies the world's provenance", .requires(.venv))
struct SigstorePythonWorldTests {
    static let identity = "https://github.com/mochi-lang/mochi/.github/workflows/mochi-publish-npm.yml@refs/tags/v1.1.0"

    /// The provenance bundle of @mochi/example@1.1.0 as the registry serves it, written to a file.
    func provenanceBundle(_ world: FixtureWorld, in folder: URL) async throws -> (file: URL, bundle: JSONValue) {
        let response = try await GateHTTP.json(world.registryURL + "-/npm/v1/attestations/@mochi%2fexample@1.1.0")
        let entry = try #require(response["attestations"]?.arrayValue?.first { $0["predicateType"]?.stringValue == "https://slsa.dev/provenance/v1" })
        let bundle = try #require(entry["bundle"])
        let file = folder.appendingPathComponent("provenance.sigstore.json")
        try bundle.serialized().write(to: file)
        return (file, bundle)
    }


    @Test func acceptsTheWorldsProvenanceBundle() async throws {
        let python = SigstorePythonWitness.python
        let world = try await GateWorld.shared.world()
        let folder = Scratch.path("sigstore-python")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (file, _) = try await provenanceBundle(world, in: folder)
        let result = try await SigstorePythonWitness.verify(python: python, bundle: file, trustedRoot: world.trustedRootFile,
                                                            identity: Self.identity, issuer: "https://token.actions.githubusercontent.com")
        #expect(result.status == 0, "sigstore-python: \(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("pkg:npm/%40mochi/example@1.1.0"), "\(result.stdout)")
    }

    @Test(arguments: ["signature", "certificate", "signedEntryTimestamp", "identity"])
    func refusesAnAlteredBundle(_ part: String) async throws {
        let python = SigstorePythonWitness.python
        let world = try await GateWorld.shared.world()
        let folder = Scratch.path("sigstore-python-\(part)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (file, _) = try await provenanceBundle(world, in: folder)
        var text = try String(contentsOf: file, encoding: .utf8)
        var identity = Self.identity
        func flip(after key: String) throws {
            let range = try #require(text.range(of: "\"\(key)\":\""), "no \(key) in the bundle")
            let index = text.index(range.upperBound, offsetBy: 40)
            let replacement: Character = text[index] == "A" ? "B" : "A"
            text.replaceSubrange(index...index, with: String(replacement))
        }
        switch part {
        case "signature": try flip(after: "sig")
        case "certificate": try flip(after: "rawBytes")
        case "signedEntryTimestamp": try flip(after: "signedEntryTimestamp")
        default: identity = identity.replacingOccurrences(of: "mochi-lang/mochi", with: "mochi-lang/other")
        }
        try text.write(to: file, atomically: true, encoding: .utf8)
        let result = try await SigstorePythonWitness.verify(python: python, bundle: file, trustedRoot: world.trustedRootFile,
                                                            identity: identity, issuer: "https://token.actions.githubusercontent.com")
        #expect(result.status != 0, "sigstore-python accepted a bundle with an altered \(part): \(result.stdout)")
    }
}
