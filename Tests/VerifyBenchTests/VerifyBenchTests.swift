import FixtureTesting
import Foundation
import Testing

/// `verify-bench` does the full verification on every run: it accepts the bench bundle and
/// refuses, with the step and the run named, what `verify-install verify-bundle` refuses.
@Suite struct VerifyBenchTests {
    @Test func verifiesTheBenchBundleRepeatedlyAndPrintsThroughput() async throws {
        let result = try await ProcessRunner.run(try BenchCase.verifyBench, BenchCase.options(repeat: 25) + [BenchCase.artifact.path])
        #expect(result.status == 0, "\(result.stderr)")
        let throughput = try BenchCase.throughput(result)
        #expect(throughput.verified == 25)
        #expect(throughput.seconds > 0)
        #expect(abs(throughput.per_second * throughput.seconds - 25) < 0.01)
    }

    @Test func acceptsTheArtifactAsASHA256Digest() async throws {
        let digest = try await ProcessRunner.run(try #require(ProcessRunner.which("sha256sum")), [BenchCase.artifact.path])
        let hex = String(digest.stdout.prefix(64))
        let result = try await ProcessRunner.run(try BenchCase.verifyBench, BenchCase.options(repeat: 3) + ["sha256:\(hex)"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try BenchCase.throughput(result).verified == 3)
    }

    @Test func verifiesAnNpmProvenanceBundleWithoutArtifact() async throws {
        let bundle = try BenchCase.npmProvenanceBundle()
        defer { Scratch.remove(bundle) }
        let result = try await ProcessRunner.run(
            try BenchCase.verifyBench, BenchCase.options(bundle: bundle, root: BenchCase.npmRoot, identity: BenchCase.npmIdentity, repeat: 5))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try BenchCase.throughput(result).verified == 5)
        let other = try await ProcessRunner.run(
            try BenchCase.verifyBench, BenchCase.options(bundle: bundle, root: BenchCase.npmRoot, repeat: 5))
        #expect(other.status == 1)
        #expect(other.stderr.contains("identity-policy"))
    }

    @Test func refusesAnotherIdentityOnTheFirstRun() async throws {
        let result = try await ProcessRunner.run(
            try BenchCase.verifyBench, BenchCase.options(identity: "https://example.com/other", repeat: 5) + [BenchCase.artifact.path])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("run 1"))
        #expect(result.stderr.contains("identity-policy"))
        #expect(result.stderr.contains("https://example.com/other"))
    }

    @Test func refusesABundleWhoseSignatureDoesNotVerify() async throws {
        let result = try await ProcessRunner.run(
            try BenchCase.verifyBench, BenchCase.options(bundle: BenchCase.invalidSignatureBundle, repeat: 5) + [BenchCase.artifact.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("dsse-invalid-sig_fail"))
    }

    @Test func refusesAnotherArtifact() async throws {
        let result = try await ProcessRunner.run(
            try BenchCase.verifyBench, BenchCase.options(repeat: 5) + ["sha256:" + String(repeating: "0", count: 64)])
        #expect(result.status == 1)
        #expect(result.stderr.contains("artifact"))
    }

    @Test func unreadableTrustedRootIsAUsageError() async throws {
        let missing = Scratch.path("no-such-root.json")
        let result = try await ProcessRunner.run(try BenchCase.verifyBench, BenchCase.options(root: missing, repeat: 5) + [BenchCase.artifact.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains(missing.path))
    }

    @Test func zeroRepeatIsRefused() async throws {
        let result = try await ProcessRunner.run(try BenchCase.verifyBench, BenchCase.options(repeat: 0) + [BenchCase.artifact.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--repeat"))
    }
}
