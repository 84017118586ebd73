import FixtureTesting
import Foundation
import SafeJSON
import Testing
@testable import FixtureRegistry

/// `fixture-registry record` and the deterministic exchange tokens it relies on.
@Suite("Recorded OIDC exchange flows")
struct RecordedFlowTests {
    /// Runs `record` into `folder` and returns the file's bytes.
    static func record(_ binary: URL, name: String, into folder: URL, extra: [String] = []) async throws -> Data {
        let result = try await ProcessRunner.run(binary, ["record", "--name", name, "--out", folder.path] + extra)
        #expect(result.status == 0, "fixture-registry record exited \(result.status): \(result.stderr)")
        let file = folder.appendingPathComponent("\(name).json")
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == file.path)
        return try Data(contentsOf: file)
    }

    @Test func recordingTwiceWithTheSameInputsGivesIdenticalFiles() async throws {
        let binary = try Products.executable("fixture-registry")
        let scratch = Scratch.path("recorded-flow-tests")
        defer { Scratch.remove(scratch) }
        let name = "mochi-example-v1.1.0"
        let first = try await Self.record(binary, name: name, into: scratch.appendingPathComponent("one"))
        let second = try await Self.record(binary, name: name, into: scratch.appendingPathComponent("two"))
        #expect(first == second, "two recordings with the same pinned inputs differ")

        // The committed recording is exactly what the command makes.
        let committed = try Data(contentsOf: Repository.root.appendingPathComponent("Registry/recorded/\(name).json"))
        #expect(first == committed, "Registry/recorded/\(name).json is not what `fixture-registry record --name \(name)` writes")

        // Commit-ready: no absolute paths, no ports; every step recorded with path-only requests.
        let text = String(decoding: first, as: UTF8.self)
        #expect(!text.contains(scratch.path) && !text.contains(Repository.root.path) && !text.contains("127.0.0.1:"))
        let document = try JSONValue.parse(first)
        #expect(document["clock"]?.stringValue == "2026-01-15T12:00:00Z")
        #expect(document["keys"]?["issuerKey"]?.stringValue == "recorded-oidc-issuer-key.pem")
        #expect(document["trustedPublisher"]?["workflow"]?.stringValue == "mochi-publish-npm.yml")
        let steps = try #require(document["steps"]?.arrayValue)
        #expect(steps.map { $0["label"]?.stringValue } == ["id-token", "exchange"])
        #expect(steps[0]["request"]?["path"]?.stringValue == "/oidc/token?api-version=2.0&audience=npm%3A127.0.0.1")
        #expect(steps[1]["request"]?["path"]?.stringValue == "/-/npm/v1/oidc/token/exchange/package/@mochi%2fexample")
        #expect(steps[1]["response"]?["status"]?.numberValue == 201)
        let jwt = try #require(document["jwt"]?.stringValue)
        #expect(steps[0]["response"]?["body"]?.stringValue == #"{"value":"\#(jwt)"}"#)
        #expect(steps[1]["request"]?["headers"]?["authorization"]?.stringValue == "Bearer \(jwt)")
        let token = try JSONValue.parse(Data((steps[1]["response"]?["body"]?.stringValue ?? "").utf8))["token"]?.stringValue
        #expect(token == TokenGenerator.hmac(secret: try TestTokenSecret.load(from: tokenSecretFile)).token(seed: document["jti"]?.stringValue))

        // Another pinned clock is another recording.
        let later = try await Self.record(binary, name: name, into: scratch.appendingPathComponent("three"),
                                          extra: ["--clock", "2026-02-01T00:00:00Z"])
        #expect(later != first)
    }

    @Test func recordRefusesAPackageWithoutTrustedPublisher() async throws {
        let binary = try Products.executable("fixture-registry")
        let scratch = Scratch.path("recorded-flow-tests")
        defer { Scratch.remove(scratch) }
        let result = try await ProcessRunner.run(binary, ["record", "--name", "nope", "--out", scratch.path, "--package", "left-pad"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("left-pad has no trusted publisher"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent("nope.json").path))
    }

    @Test func defaultTokensAreRandomAndOnlyHashesAreStored() throws {
        let folder = Scratch.path("recorded-flow-tests")
        defer { Scratch.remove(folder) }
        let storage = try RegistryStorage(directory: folder, config: RegistryConfig())
        let first = try storage.tokens.mint(user: "alice", seed: "same-jti")
        let second = try storage.tokens.mint(user: "alice", seed: "same-jti")
        #expect(first != second, "the default generator must ignore seeds")
        for token in [first, second] {
            #expect(token.hasPrefix("npm_") && token.count == 40)
            #expect(storage.tokens.authenticate(token)?.name == "alice")
        }
        let stored = try String(contentsOf: folder.appendingPathComponent("auth/tokens.json"), encoding: .utf8)
        #expect(!stored.contains(first) && stored.contains(TokenStore.hash(first)))
    }

    @Test func hmacTokensFollowTheSeed() throws {
        let secret = try TestTokenSecret.load(from: tokenSecretFile)
        let generator = TokenGenerator.hmac(secret: secret)
        let token = generator.token(seed: "jti-1")
        #expect(token == generator.token(seed: "jti-1"))
        #expect(token != generator.token(seed: "jti-2"))
        #expect(token != TokenGenerator.hmac(secret: Data(repeating: 7, count: 32)).token(seed: "jti-1"))
        #expect(token.hasPrefix("npm_") && token.count == 40 && token.dropFirst(4).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        #expect(generator.token(seed: nil) != generator.token(seed: nil), "without a seed the token is random")
        #expect(TestTokenSecret.fingerprint(secret).hasPrefix("sha256:") && TestTokenSecret.fingerprint(secret).count == 71)

        let folder = Scratch.path("recorded-flow-tests")
        defer { Scratch.remove(folder) }
        let storage = try RegistryStorage(directory: folder, config: RegistryConfig())
        storage.tokens.tokenGenerator = generator
        let minted = try storage.tokens.mint(user: "mochi-publisher", restriction: "@mochi/example", lifetime: 900, seed: "jti-1")
        #expect(minted == token)
        #expect(storage.tokens.authenticate(minted) == AuthenticatedUser(name: "mochi-publisher", restriction: "@mochi/example"))
        #expect(!(try String(contentsOf: folder.appendingPathComponent("auth/tokens.json"), encoding: .utf8)).contains(minted))
    }

    @Test func malformedSecretFilesAreRefused() throws {
        let folder = try Scratch.folder("recorded-flow-tests")
        defer { Scratch.remove(folder) }
        let file = folder.appendingPathComponent(TestTokenSecret.fileName)
        try Data("-----BEGIN TEST-ONLY HMAC SECRET-----\nc2hvcnQ=\n-----END TEST-ONLY HMAC SECRET-----\n".utf8).write(to: file)
        #expect(throws: RegistryError.self) { try TestTokenSecret.load(from: file) }
        try Data("not a pem".utf8).write(to: file)
        #expect(throws: RegistryError.self) { try TestTokenSecret.load(from: file) }
        #expect(throws: RegistryError.self) { try TestTokenSecret.load(from: folder.appendingPathComponent("missing.pem")) }
    }
}

/// The repository's TEST-ONLY token secret.
private let tokenSecretFile = Repository.registryKeys.appendingPathComponent(TestTokenSecret.fileName)
