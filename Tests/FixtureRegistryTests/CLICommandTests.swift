import FixtureTesting
import Foundation
import Testing
@testable import FixtureRegistry
import SafeJSON

/// The `token`, `rotate-key` and `seed` subcommands of the built `fixture-registry` executable.
@Suite("fixture-registry token, rotate-key and seed")
struct CLICommandTests {
    @Test func tokenRotateKeyAndSeed() async throws {
        let binary = try Products.executable("fixture-registry")
        try await withScratch { folder in
            let storage = folder.appendingPathComponent("storage").path
            let token = try await OpenSSLWitness.run(binary, ["token", "--storage", storage, "--user", "new-user",
                                                              "--package", "@mochi", "--ttl", "600"])
            let lines = token.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("npm_") && lines[0].count == 40, "stdout holds only the token: \(token)")
            let rotated = try await OpenSSLWitness.run(binary, ["rotate-key", "--storage", storage])
            #expect(rotated.hasPrefix("SHA256:"), "\(rotated)")
            let seeded = try await OpenSSLWitness.run(binary, ["seed", "--storage", storage, "--seed", Repository.seedPackages.path])
            #expect(seeded.contains("@mochi/example: 1.0.0, 1.1.0, 2.0.0-beta.1"), "\(seeded)")
            let refused = try await OpenSSLWitness.run(binary, ["token", "--storage", storage, "--user", "Bad User"])
            #expect(refused.hasPrefix("status 1") && refused.contains("invalid user name"), "\(refused)")

            let store = try RegistryStorage(directory: URL(fileURLWithPath: storage), config: RegistryConfig())
            #expect(store.tokens.authenticate(String(lines[0])) == AuthenticatedUser(name: "new-user", restriction: "@mochi"))
            #expect(store.tokens.hasUser("new-user"))
            #expect(!(try String(contentsOfFile: storage + "/auth/tokens.json", encoding: .utf8)).contains(String(lines[0])))
            let keys = store.keyring.publicKeys
            #expect(keys.count == 2 && keys[0].expires != nil && keys[1].keyid == rotated.trimmingCharacters(in: .whitespacesAndNewlines))
            let example = try #require(try store.packument(for: PackageName("@mochi/example")))
            #expect(example.versions["1.1.0"]?["dist"]?["signatures"]?.arrayValue?.first?["keyid"]?.stringValue == keys[1].keyid)
            #expect(example.maintainerNames == [SeedLoader.publisher])
        }
    }
}
