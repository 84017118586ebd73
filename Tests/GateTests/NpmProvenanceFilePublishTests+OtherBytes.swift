import FixtureTesting
import Foundation
import Publish
import SafeJSON
import Testing
import CodedError

extension NpmProvenanceFilePublishTests {
    /// 1.0.1 offered with a bundle signed (validly, through the world) for another build of 1.0.1:
    /// the real npm refuses before upload; the registry refuses the same body sent without npm's
    /// check (422, naming both digests); neither creates a version.
    func otherBytesAreRefused(npm: NpmWitnessSession, signer: ProvenanceFileSigner, token: String, folder: URL) async throws {
        let package = folder.appendingPathComponent("package"), variant = folder.appendingPathComponent("variant")
        try NpmWitnessSession.writePackage(at: package, name: Self.name, version: "1.0.1", repository: Self.repository, text: "two")
        try NpmWitnessSession.writePackage(at: variant, name: Self.name, version: "1.0.1", repository: Self.repository, text: "two, rebuilt")
        let tarball = try await npm.pack(package, into: folder.appendingPathComponent("packed"))
        let other = try await npm.pack(variant, into: folder.appendingPathComponent("packed-variant"))
        try #require(tarball.bytes != other.bytes, "the two builds of 1.0.1 must differ")
        let otherBundle = try await signer.bundle(name: Self.name, version: "1.0.1", bytes: other.bytes)
        let bundleFile = folder.appendingPathComponent("other.sigstore.json")
        try Data(otherBundle.bytes).write(to: bundleFile)
        let packument = npm.registryURL + "@mochi%2fexample"
        let before = try await GateHTTP.data(packument)
        try await alteredSignatureIsRefused(npm: npm, signer: signer, tarball: tarball, folder: folder)
        #expect(try await GateHTTP.data(packument) == before, "npm's refused publish changed the packument")

        let publish = try await npm.run(["publish", tarball.file.path, "--provenance-file", bundleFile.path, "--access=public"], in: folder)
        print("npm publish with a bundle for other bytes (exit \(publish.status)):\n\(publish.stdout)\(publish.stderr)")
        #expect(publish.status != 0, "npm published a bundle for other bytes: \(publish.stdout)")
        #expect(publish.stderr.contains("npm error Provenance subject digest does not match the package\n"), "\(publish.stderr)")
        #expect(try await GateHTTP.data(packument) == before, "npm's refused publish changed the packument")

        let refusal = try await registryRefusal(signer: signer, token: token, package: package, tarball: tarball.bytes, bundle: otherBundle)
        let sha512 = { (bytes: Data) in PackedPackage(name: Self.name, version: "1.0.1", manifest: [:], tarball: bytes).sha512Hex }
        #expect(refusal.contains("answered 422: \"Error verifying sigstore provenance bundle: Provenance subject digest does not match "
                                 + "the package \(Self.name)@1.0.1: the subject's sha512 is \(sha512(other.bytes)), "
                                 + "the tarball's is \(sha512(tarball.bytes))\""), "\(refusal)")
        #expect(try await GateHTTP.data(packument) == before, "the registry's refused publish changed the packument")
    }

    /// npm's publish body for `tarball` with `bundle` attached, `PUT` with the exchanged token; returns the refusal.
    private func registryRefusal(signer: ProvenanceFileSigner, token: String, package: URL, tarball: Data,
                                 bundle: OrderedJSON) async throws -> String {
        let manifest = try #require(try JSONValue.parse(Data(contentsOf: package.appendingPathComponent("package.json"))).objectValue)
        let packed = PackedPackage(name: Self.name, version: "1.0.1", manifest: manifest, tarball: tarball)
        let body = PublishBody.make(package: packed, endpoints: signer.registry, tag: "latest", access: "public", bundle: bundle)
        do {
            try await signer.client.publish(body: body, name: Self.name, token: token)
        } catch {
            print("the registry, sent the same body directly: \(error.message)")
            return error.message
        }
        Issue.record("the registry accepted \(Self.name)@1.0.1 with provenance for other bytes")
        return ""
    }

    /// The bundle for the right bytes with one byte of its DSSE signature flipped: npm verifies the
    /// bundle with sigstore-js (trusting the world through its TUF root) and refuses it before upload,
    /// the signature no longer being the one logged in Rekor.
    private func alteredSignatureIsRefused(npm: NpmWitnessSession, signer: ProvenanceFileSigner, tarball: (file: URL, bytes: Data),
                                           folder: URL) async throws {
        let text = String(decoding: try await signer.bundle(name: Self.name, version: "1.0.1", bytes: tarball.bytes).bytes, as: UTF8.self)
        let signature = try #require(try JSONValue.parse(Data(text.utf8))["dsseEnvelope"]?["signatures"]?.arrayValue?.first?["sig"]?.stringValue)
        var der = try #require(Data(base64Encoded: signature))
        der[10] ^= 0x01
        let file = folder.appendingPathComponent("altered.sigstore.json")
        try text.replacingOccurrences(of: signature, with: der.base64EncodedString()).write(to: file, atomically: true, encoding: .utf8)
        let publish = try await npm.run(["publish", tarball.file.path, "--provenance-file", file.path, "--access=public"], in: folder)
        print("npm publish with an altered signature (exit \(publish.status)):\n\(publish.stdout)\(publish.stderr)")
        #expect(publish.status != 0, "npm published a bundle whose signature does not verify: \(publish.stdout)")
        #expect(publish.stderr.contains("npm error code TLOG_BODY_ERROR\nnpm error tlog entry signature mismatch\n"), "\(publish.stderr)")
    }
}
