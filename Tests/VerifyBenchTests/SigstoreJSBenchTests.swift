import FixtureTesting
import Foundation
import Testing

/// `scripts/bench_sigstore_js.js` runs npm's own bundled sigstore-js on the same bundle and policy
/// as `verify-bench`, and really verifies: a wrong identity or a bad signature fails it.
/// Skips with a printed reason when node/npm are absent, unless `REQUIRE_NPM=1`.
@Suite(.requires(.npm))
struct SigstoreJSBenchTests {
    func runScript(_ options: [String]) async throws -> ProcessResult {
        let node = try #require(ProcessRunner.which("node"))
        return try await ProcessRunner.run(node, [BenchCase.sigstoreJSScript.path] + options + ["--warmup", "0"])
    }

    @Test func verifiesTheBenchBundleWithNpmsSigstore() async throws {
        let result = try await runScript(BenchCase.options(repeat: 10))
        #expect(result.status == 0, "\(result.stderr)")
        let throughput = try BenchCase.throughput(result)
        #expect(throughput.verified == 10)
        #expect(throughput.seconds > 0)
        struct Versions: Decodable { let sigstore: String; let verify: String }
        let versions = try JSONDecoder().decode(Versions.self, from: Data(result.stdout.utf8))
        #expect(!versions.sigstore.isEmpty && !versions.verify.isEmpty)
    }

    @Test func refusesAnotherIdentity() async throws {
        let result = try await runScript(BenchCase.options(identity: "https://example.com/other", repeat: 3))
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("https://example.com/other"))
    }

    @Test func refusesABundleWhoseSignatureDoesNotVerify() async throws {
        let result = try await runScript(BenchCase.options(bundle: BenchCase.invalidSignatureBundle, repeat: 3))
        #expect(result.status == 1)
        #expect(result.stderr.contains("dsse-invalid-sig_fail"))
    }

    @Test func unknownOptionIsAUsageError() async throws {
        let result = try await runScript(["--bogus", "1"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--bogus"))
    }
}
