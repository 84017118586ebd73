import Crypto
import Foundation
import SafeJSON
import Testing
@testable import FixtureRegistry
import HTTPTypes
import HummingbirdTesting

/// A publish with a `.sigstore` attachment: the provenance bundle is served back beside the
/// registry's own publish attestation (DSSE over the PAE, registry key id), and `dist.attestations` points at them.
@Suite("Attestations of published versions")
struct AttestationTests {
    static let slsa = "https://slsa.dev/provenance/v1"

    /// The source repository the stand-in provenance names (the registry refuses provenance whose
    /// repository differs from the manifest's `repository`, as npm's registry does).
    static let repository = "https://github.com/mochi-lang/attested"

    /// Manifest fields declaring ``repository``, for `makePackage(_:_:extra:)`.
    static let repositoryField: [String: JSONValue] = ["repository": ["type": "git", "url": .string("git+\(repository).git")]]

    /// A stand-in provenance bundle for `tarball` of `name@version` (unsigned: the registry checks its
    /// subject and repository, not its signatures; the fixture Sigstore world makes real ones).
    static func provenance(_ name: String, _ version: String, tarball: Data) throws -> JSONValue {
        let subject: JSONValue = ["name": .string(PublishAttestation.purl(try PackageName(name), version: version)),
                                  "digest": ["sha512": .string(TarballDigest(of: tarball).sha512Hex)]]
        let statement: JSONValue = [
            "_type": "https://in-toto.io/Statement/v1", "predicateType": .string(slsa), "subject": [subject],
            "predicate": ["buildDefinition": ["externalParameters": ["workflow": ["repository": .string(repository)]]]],
        ]
        return [
            "mediaType": "application/vnd.dev.sigstore.bundle+json;version=0.2",
            "verificationMaterial": ["tlogEntries": []],
            "dsseEnvelope": ["payload": .string(try statement.serialized().base64EncodedString()),
                             "payloadType": "application/vnd.in-toto+json", "signatures": []],
        ]
    }

    @Test func provenanceAndPublishAttestationAreServed() async throws {
        try await withPublishRegistry { registry, client in
            let token = try registry.storage.tokens.mint(user: "alice")
            let (manifest, tarball) = try makePackage("@scope/attested", "1.0.0", extra: Self.repositoryField)
            let provenance = try Self.provenance("@scope/attested", "1.0.0", tarball: tarball)
            let put = try await client.put("/@scope%2fattested", token: token,
                                           json: publishBody("@scope/attested", "1.0.0", tarball: tarball, manifest: manifest, provenance: provenance))
            #expect(put.status == .created)
            let dist = try #require(try await client.get("/@scope%2fattested").json()[path: "versions", "1.0.0", "dist"])
            #expect(dist[path: "attestations", "url"]?.stringValue == registry.url("-/npm/v1/attestations/@scope%2fattested@1.0.0"))
            #expect(dist[path: "attestations", "provenance", "predicateType"]?.stringValue == Self.slsa)

            let served = try await client.get("/-/npm/v1/attestations/@scope%2fattested@1.0.0").json()
            let list = try #require(served["attestations"]?.arrayValue)
            #expect(list.count == 2)
            #expect(list.first { $0["predicateType"]?.stringValue == Self.slsa }?["bundle"] == provenance)
            let publish = try #require(list.first { $0["predicateType"]?.stringValue == PublishAttestation.predicateType }?["bundle"])
            let keyid = registry.storage.keyring.currentKeyID
            #expect(publish[path: "verificationMaterial", "publicKey", "hint"]?.stringValue == keyid)
            #expect(publish[path: "dsseEnvelope", "payloadType"] == "application/vnd.in-toto+json")
            let signature = try #require(publish[path: "dsseEnvelope", "signatures"]?.arrayValue?.first)
            #expect(signature["keyid"]?.stringValue == keyid)

            let payload = try #require(publish[path: "dsseEnvelope", "payload"]?.stringValue.flatMap { Data(base64Encoded: $0) })
            let statement = try JSONValue.parse(payload)
            #expect(statement["_type"] == "https://in-toto.io/Statement/v0.1")
            #expect(statement[path: "predicate", "name"] == "@scope/attested")
            let subject = try #require(statement["subject"]?.arrayValue?.first)
            #expect(subject["name"] == "pkg:npm/%40scope/attested@1.0.0")
            #expect(subject[path: "digest", "sha512"]?.stringValue == TarballDigest(of: tarball).sha512Hex)

            let pae = Data("DSSEv1 28 application/vnd.in-toto+json \(payload.count) ".utf8) + payload
            let spki = try #require(registry.storage.keyring.publicKeys.last?.spki)
            let key = try P256.Signing.PublicKey(derRepresentation: try #require(Data(base64Encoded: spki)))
            let der = try #require(signature["sig"]?.stringValue.flatMap { Data(base64Encoded: $0) })
            #expect(key.isValidSignature(try P256.Signing.ECDSASignature(derRepresentation: der), for: pae))
            if let verdict = try await OpenSSLWitness.verify(spki: spki, signature: der, message: pae) {
                #expect(verdict.contains("Verified OK"), "\(verdict)")
            }
        }
    }

    /// Found by review: a publish killed after its attestations file but before its packument left
    /// the file, and a later publish of that version without provenance served it for other bytes.
    @Test func versionsWithoutProvenanceHaveNoAttestations() async throws {
        try await withPublishRegistry { registry, client in
            let token = try registry.storage.tokens.mint(user: "alice")
            let (manifest, tarball) = try makePackage("plain", "1.0.0")
            let stale = registry.storage.attestationsURL(try PackageName("plain"), version: "1.0.0")
            try FileManager.default.createDirectory(at: stale.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(#"{"attestations":[]}"#.utf8).write(to: stale)
            _ = try await client.put("/plain", token: token, json: publishBody("plain", "1.0.0", tarball: tarball, manifest: manifest))
            #expect(try await client.get("/plain").json()[path: "versions", "1.0.0", "dist", "attestations"] == nil)
            #expect(try await client.get("/-/npm/v1/attestations/plain@1.0.0").status == .notFound)
            #expect(!FileManager.default.fileExists(atPath: stale.path), "the killed publish's file is gone")
        }
    }

    /// npm's registry refuses provenance built from another repository than the one package.json names (422),
    /// and stores nothing of that publish.
    @Test(arguments: [nil, "git+https://github.com/someone/else.git"] as [String?])
    func provenanceFromAnotherRepositoryIsRefused(_ declared: String?) async throws {
        try await withPublishRegistry { registry, client in
            let token = try registry.storage.tokens.mint(user: "alice")
            let extra: [String: JSONValue] = declared.map { ["repository": ["type": "git", "url": .string($0)]] } ?? [:]
            let (manifest, tarball) = try makePackage("@scope/elsewhere", "1.0.0", extra: extra)
            let put = try await client.put("/@scope%2felsewhere", token: token,
                                           json: publishBody("@scope/elsewhere", "1.0.0", tarball: tarball, manifest: manifest,
                                                             provenance: try Self.provenance("@scope/elsewhere", "1.0.0", tarball: tarball)))
            #expect(put.status == .unprocessableContent)
            let message = try put.json()["error"]?.stringValue ?? ""
            #expect(message.contains("expected to match \"\(Self.repository)\" from provenance"), "\(message)")
            #expect(message.contains("\"repository.url\" is \"\(declared ?? "")\""), "\(message)")
            #expect(try await client.get("/@scope%2felsewhere").status == .notFound)
        }
    }

    /// A bundle made for other bytes, or for another version, is refused (422, expected vs found named) and nothing is stored.
    @Test func provenanceForOtherBytesIsRefused() async throws {
        try await withPublishRegistry { registry, client in
            let token = try registry.storage.tokens.mint(user: "alice")
            let (manifest, tarball) = try makePackage("@scope/attested", "1.0.0", extra: Self.repositoryField)
            let other = tarball + Data([0])
            let cases: [(JSONValue, String)] = [
                (try Self.provenance("@scope/attested", "1.0.0", tarball: other),
                 "Error verifying sigstore provenance bundle: Provenance subject digest does not match the package @scope/attested@1.0.0: "
                 + "the subject's sha512 is \(TarballDigest(of: other).sha512Hex), the tarball's is \(TarballDigest(of: tarball).sha512Hex)"),
                (try Self.provenance("@scope/attested", "1.0.1", tarball: tarball),
                 "Error verifying sigstore provenance bundle: Provenance subject pkg:npm/%40scope/attested@1.0.1 does not match the package: "
                 + "pkg:npm/%40scope/attested@1.0.0"),
            ]
            for (provenance, expected) in cases {
                let body = try publishBody("@scope/attested", "1.0.0", tarball: tarball, manifest: manifest, provenance: provenance)
                let put = try await client.put("/@scope%2fattested", token: token, json: body)
                #expect(put.status == .unprocessableContent)
                #expect(try put.json()["error"]?.stringValue == expected)
            }
            #expect(try await client.get("/@scope%2fattested").status == .notFound)
        }
    }
}
