import Foundation
import SafeJSON
import SigstoreModels
import SigstoreVerify
import Testing
import CodedError
import FixtureTesting

/// Hostile bundle and trusted-root JSON gives an error, never a crash.
@Suite struct RobustnessTests {
    typealias Step = JSONMutation.Step
    static let bundlePath = MutationTests.dsseBundle

    static func verifier() throws -> BundleVerifier {
        BundleVerifier(trusted: try TrustedMaterial(jsonData: try Vectors.data(Vectors.productionRoot)))
    }

    static func expectFormatError(_ data: Data, _ comment: Comment? = nil) throws {
        let error = #expect(throws: VerificationError.self, comment) { try verifier().verify(bundleJSON: data, artifact: nil, signer: .anyCertificate) }
        #expect(error?.code == .bundleFormat, comment)
    }

    @Test func everyTruncationIsAFormatError() throws {
        let data = try Vectors.data(Self.bundlePath)
        for length in stride(from: 0, to: data.count - 2, by: 61) {
            try Self.expectFormatError(data.prefix(length), "truncated to \(length) bytes")
        }
    }

    @Test func deepNestingIsAFormatError() throws {
        try Self.expectFormatError(Data(String(repeating: "[", count: 200_000).utf8))
        let nested = "{\"mediaType\":" + String(repeating: "{\"a\":", count: 40) + "1" + String(repeating: "}", count: 40) + "}"
        try Self.expectFormatError(Data(nested.utf8))
    }

    @Test func oversizedDocumentsAndArraysAreFormatErrors() throws {
        try Self.expectFormatError(Data(count: SigstoreLimits.maxDocumentBytes + 1))
        let good = try Vectors.json(Self.bundlePath)
        let many = JSONMutation.apply(good, at: MutationTests.proof + [.key("hashes")]) { _ in
            .array(Array(repeating: .string(Data(count: 32).base64EncodedString()), count: SigstoreLimits.maxArrayCount + 1))
        }
        try Self.expectFormatError(try many.serialized())
    }

    static let wrongTypes: [(String, [Step], JSONValue)] = [
        ("mediaType number", [.key("mediaType")], 5),
        ("unknown media type", [.key("mediaType")], "application/vnd.dev.sigstore.bundle.v9.9+json"),
        ("logIndex bool", MutationTests.entry + [.key("logIndex")], true),
        ("logIndex negative", MutationTests.entry + [.key("logIndex")], "-1"),
        ("logIndex fractional", MutationTests.entry + [.key("logIndex")], .number(1.5)),
        ("logIndex hex", MutationTests.entry + [.key("logIndex")], "0x10"),
        ("integratedTime object", MutationTests.entry + [.key("integratedTime")], ["a": 1]),
        ("tlogEntries object", [.key("verificationMaterial"), .key("tlogEntries")], ["a": 1]),
        ("proof hashes numbers", MutationTests.proof + [.key("hashes")], [1, 2]),
        ("checkpoint missing envelope", MutationTests.proof + [.key("checkpoint")], [:]),
        ("certificate string", [.key("verificationMaterial"), .key("certificate")], "MIIB"),
        ("certificate not base64", [.key("verificationMaterial"), .key("certificate"), .key("rawBytes")], "%%%"),
        ("no signatures", [.key("dsseEnvelope"), .key("signatures")], []),
        ("two signatures", [.key("dsseEnvelope"), .key("signatures")], [["sig": "AQ=="], ["sig": "Ag=="]]),
        ("empty payload", [.key("dsseEnvelope"), .key("payload")], ""),
        ("payload number", [.key("dsseEnvelope"), .key("payload")], 7),
        ("verificationMaterial array", [.key("verificationMaterial")], [1]),
        ("logId missing", MutationTests.entry + [.key("logId")], .null),
        ("kindVersion missing", MutationTests.entry + [.key("kindVersion")], .null),
    ]

    @Test func wronglyTypedFieldsAreFormatErrors() throws {
        let good = try Vectors.json(Self.bundlePath)
        for (name, path, replacement) in Self.wrongTypes {
            let mutated = JSONMutation.apply(good, at: path) { _ in replacement }
            try Self.expectFormatError(try mutated.serialized(), "\(name)")
        }
    }

    @Test func randomByteFlipsNeverCrash() throws {
        let data = [UInt8](try Vectors.data(Self.bundlePath))
        let verifier = try Self.verifier()
        var generator = SeededGenerator(seed: 0x5167_5707)  // deterministic: the same 300 flips every run
        var accepted = 0
        for _ in 0..<300 {
            var copy = data
            copy[Int.random(in: 0..<copy.count, using: &generator)] ^= UInt8.random(in: 1...255, using: &generator)
            if (try? verifier.verify(bundleJSON: Data(copy), artifact: nil, signer: .anyCertificate)) != nil { accepted += 1 }
        }
        #expect(accepted < 30, "only flips in insignificant bytes (key order, unsigned hints) may still verify")
    }

    @Test func malformedTrustedRootsAreTrustedRootErrors() throws {
        let root = try Vectors.json(Vectors.productionRoot)
        let cases: [JSONValue] = [
            JSONMutation.apply(root, at: [.key("tlogs")]) { _ in "x" },
            JSONMutation.apply(root, at: [.key("tlogs"), .index(0), .key("publicKey"), .key("rawBytes")]) { _ in "AAAA" },
            JSONMutation.apply(root, at: [.key("certificateAuthorities"), .index(0), .key("certChain")]) { _ in .null },
            JSONMutation.apply(root, at: [.key("ctlogs"), .index(0), .key("publicKey"), .key("validFor"), .key("start")]) { _ in "yesterday" },
        ]
        for document in cases {
            let error = #expect(throws: VerificationError.self) { try TrustedMaterial(jsonData: try document.serialized()) }
            #expect(error?.code == .trustedRoot)
        }
    }

    @Test func checkpointTruncationsAreCheckpointErrors() throws {
        let note = "rekor.sigstore.dev - 1\n5\n" + Data(count: 32).base64EncodedString() + "\n\n\u{2014} rekor.sigstore.dev AAAAAAAA\n"
        #expect(throws: Never.self) { try CheckpointCheck.parse(note) }
        for length in 0..<note.utf8.count - 1 {
            let prefix = String(decoding: Array(note.utf8).prefix(length), as: UTF8.self)
            let error = #expect(throws: VerificationError.self) { try CheckpointCheck.parse(prefix) }
            #expect(error?.code == .checkpoint)
        }
    }
}
