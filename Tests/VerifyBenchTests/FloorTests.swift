import FixtureTesting
import Foundation
import Testing

/// `verify-bench floor` counts the verifications of real npm attestations (sigstore@1.0.0: a
/// keyless provenance bundle and the registry's key-signed publish bundle) and times each kind;
/// a timed instance that does not verify fails it.
@Suite struct FloorTests {
    static let npmReal = BenchCase.vectors.appendingPathComponent("npm-real")

    struct Floor: Decodable {
        struct Operation: Decodable { let label: String; let count: Int; let seconds_each: Double }
        let packages: Int
        let bundles: Int
        let operations: [Operation]
        let serial_seconds: Double
    }

    /// A folder with the response, and a registry signature sample: the publish bundle's DSSE
    /// signature over its PAE, made with the registry's key (flipped when `tampered`).
    static func inputs(tampered: Bool = false, copies: Int = 1) throws -> URL {
        let folder = Scratch.path("floor-inputs")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("attestations"), withIntermediateDirectories: true)
        let response = try Data(contentsOf: npmReal.appendingPathComponent("npm-cli/valid-sigstore-attestations.json"))
        for index in 0..<copies {
            try response.write(to: folder.appendingPathComponent("attestations/\(String(format: "%06d", index)).json"))
        }
        let json = try JSONSerialization.jsonObject(with: response) as? [String: Any]
        let publish = try #require((json?["attestations"] as? [[String: Any]])?.first { ($0["predicateType"] as? String)?.contains("publish") == true })
        let envelope = try #require((publish["bundle"] as? [String: Any])?["dsseEnvelope"] as? [String: Any])
        let signature = try #require((envelope["signatures"] as? [[String: Any]])?.first)
        let payload = try #require(Data(base64Encoded: envelope["payload"] as? String ?? ""))
        let type = envelope["payloadType"] as? String ?? ""
        var message = Data("DSSEv1 \(type.utf8.count) \(type) \(payload.count) ".utf8) + payload
        if tampered { message[0] ^= 1 }
        let sample: [String: Any] = ["keyid": signature["keyid"] as? String ?? "", "sig": signature["sig"] as? String ?? "",
                                     "message": String(decoding: message, as: UTF8.self)]
        try JSONSerialization.data(withJSONObject: sample).write(to: folder.appendingPathComponent("registry-signature.json"))
        return folder
    }

    static func run(_ folder: URL) async throws -> ProcessResult {
        try await ProcessRunner.run(try BenchCase.verifyBench, [
            "floor", "--seconds", "0.01", "--trusted-root", BenchCase.npmRoot.path,
            "--registry-keys", npmReal.appendingPathComponent("keys/npm-v1-keys.npm-cli-test.json").path,
            "--registry-signature", folder.appendingPathComponent("registry-signature.json").path,
            folder.appendingPathComponent("attestations").path])
    }

    @Test func countsAndTimesEachKindOfVerification() async throws {
        let folder = try Self.inputs()
        defer { Scratch.remove(folder) }
        let result = try await Self.run(folder)
        #expect(result.status == 0, "\(result.stderr)")
        let floor = try JSONDecoder().decode(Floor.self, from: Data(result.stdout.utf8))
        #expect(floor.packages == 1 && floor.bundles == 2)
        let counts = Dictionary(floor.operations.map { ($0.label, $0.count) }, uniquingKeysWith: +)
        // One leaf: verified plainly, as the consumer prepares an issuer's key only after many.
        #expect(counts["Fulcio leaf under ECDSA P-384"] == 1)
        #expect(counts["preparing the issuer's P-384 key, once per issuer"] == nil)
        #expect(counts["DSSE (ECDSA P-256, Fulcio leaf key)"] == 1 && counts["DSSE (ECDSA P-256, registry key)"] == 1)
        #expect(counts["registry signature (ECDSA P-256)"] == 1)
        #expect(counts.keys.contains { $0.hasPrefix("certificate authority link") })
        #expect(floor.operations.allSatisfy { $0.seconds_each > 0 })
        #expect(floor.serial_seconds > 0)
    }

    /// 400 packages: the log's key (800 SETs, 800 checkpoints) and the registry's key (400 DSSE,
    /// 400 registry signatures) pass the consumer's threshold, so the consumer, having planned the
    /// tree, has them prepared once in use: their first 15 verifications are plain, the rest
    /// prepared, each key prepared once. The leaf key and the CT log's key (400 uses here) stay plain.
    @Test func aKeyTheTreeUsesOftenIsTimedAsTheConsumerPreparesIt() async throws {
        let folder = try Self.inputs(copies: 400)
        defer { Scratch.remove(folder) }
        let result = try await Self.run(folder)
        #expect(result.status == 0, "\(result.stderr)")
        let floor = try JSONDecoder().decode(Floor.self, from: Data(result.stdout.utf8))
        let counts = Dictionary(floor.operations.map { ($0.label, $0.count) }, uniquingKeysWith: +)
        func count(_ label: String) -> Int { counts[label] ?? 0 }
        let (set, checkpoint) = ("SET (ECDSA P-256)", "checkpoint (ECDSA P-256)")
        let (dsse, registry) = ("DSSE (ECDSA P-256, registry key)", "registry signature (ECDSA P-256)")
        let before = " before the key is prepared", after = " with the key prepared"
        #expect(count(set + after) + count(set + before) == 800, "\(counts)")
        #expect(count(set + before) + count(checkpoint + before) == 15)
        #expect(count(dsse + before) + count(registry + before) == 15)
        #expect(floor.operations.filter { $0.label.hasSuffix("key, once per key") }.map(\.label).sorted()
                == ["preparing the DSSE (ECDSA P-256, registry key) key, once per key", "preparing the SET (ECDSA P-256) key, once per key"])
        #expect(count("DSSE (ECDSA P-256, Fulcio leaf key)") == 400)
        // The issuer's P-384 key: its first 15 leaves plain, prepared once at the 16th.
        #expect(count("Fulcio leaf under ECDSA P-384") == 15 && count("Fulcio leaf under ECDSA P-384 with the issuer's prepared key") == 385)
        #expect(count("preparing the issuer's P-384 key, once per issuer") == 1)
    }

    @Test func aSampleThatDoesNotVerifyFails() async throws {
        let folder = try Self.inputs(tampered: true)
        defer { Scratch.remove(folder) }
        let result = try await Self.run(folder)
        #expect(result.status == 1)
        #expect(result.stderr.contains("registry signature") && result.stderr.contains("does not verify"))
    }
}
