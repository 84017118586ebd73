import ArgumentParser
import FoundationEssentials
import Glibc
import SigstoreVerify

/// `verify-bench`: measurements for `make bench`: bundle verification throughput (the default
/// subcommand) and the cryptographic floor of an installed tree (`floor`).
@main
struct VerifyBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-bench",
        abstract: "Sigstore bundle throughput and the cryptographic floor of a tree, as JSON.",
        subcommands: [BundleThroughput.self, FloorCommand.self],
        defaultSubcommand: BundleThroughput.self)
}

/// `verify-bench [throughput]`: Sigstore bundle verification throughput.
///
/// Runs the same full verification as `verify-install verify-bundle` (decode the bundle JSON,
/// every log, certificate, SCT, artifact, signature and identity check) `--repeat` times in one
/// process, so that process start-up does not dominate. The trusted root is parsed once, like a
/// long-lived verifier; nothing about the bundle is cached between runs (each run starts with
/// an empty certificate-link cache, so every run verifies the whole chain). Like a long-lived
/// verifier, it prepares a P-384 issuer's key once (`RepeatedKeyVerifier`) and verifies each
/// run's leaf signature with it.
struct BundleThroughput: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "throughput",
        abstract: "Verify one Sigstore bundle N times in one process and print the throughput as JSON.",
        discussion: """
            Prints {"verified": N, "seconds": S, "per_second": R} on stdout. Exit 1 if any run fails \
            (stderr names the step and the run), 2 for unreadable input.

            Example:
              verify-bench --repeat 500 --trusted-root trusted_root.json \\
                --bundle b.sigstore.json --certificate-identity ID \\
                --certificate-oidc-issuer https://token.actions.githubusercontent.com a.txt
            """
    )

    @Option(name: .long, help: ArgumentHelp("The Sigstore bundle JSON.", valueName: "file"))
    var bundle: String

    @Option(name: .long, help: ArgumentHelp("trusted_root.json (parsed once, before timing starts).", valueName: "file"))
    var trustedRoot: String

    @Option(name: .long, help: ArgumentHelp("Exact certificate subject alternative name required of the signer.", valueName: "id"))
    var certificateIdentity: String

    @Option(name: .long, help: ArgumentHelp("OIDC issuer required in the signer's certificate.", valueName: "url"))
    var certificateOidcIssuer: String

    @Option(name: .customLong("repeat"), help: ArgumentHelp("How many times to verify the bundle (timed).", valueName: "n"))
    var count: Int = 200

    @Option(name: .long, help: ArgumentHelp("Untimed verifications before timing starts.", valueName: "n"))
    var warmup: Int = 5

    @Argument(help: ArgumentHelp(
        "The signed artifact, or sha256:<64 hex>. Omit for a DSSE bundle whose subject the caller checks itself, "
            + "as npm's attestation check does (NpmVerify compares the subject with the tarball's SHA-512).",
        valueName: "file-or-digest"))
    var fileOrDigest: String?

    func validate() throws {
        guard count > 0, warmup >= 0 else { throw ValidationError("--repeat must be > 0 and --warmup >= 0, found \(count) and \(warmup)") }
    }

    func run() throws {
        let bundleJSON = try Self.read(bundle, what: "bundle")
        let artifact: Artifact?
        do { artifact = try fileOrDigest.map { try Artifact.parse(fileOrDigest: $0) } } catch {
            throw Self.fail("artifact \(fileOrDigest ?? ""): \(error)", code: 2)
        }
        let verifier: BundleVerifier
        let rootJSON = try Self.read(trustedRoot, what: "trusted root")  // its own message: not wrapped again
        do { verifier = BundleVerifier(trusted: try TrustedMaterial(jsonData: rootJSON)) } catch {
            throw Self.fail("trusted root \(trustedRoot) refused: \(error)", code: 2)
        }
        let policy = BundleVerifier.SignerPolicy.certificate(
            IdentityPolicy(subjectAlternativeName: .exact(certificateIdentity), issuer: certificateOidcIssuer))

        for run in 0..<warmup { try verifyOnce(verifier, bundleJSON, artifact, policy, run: run) }
        let start = ContinuousClock.now
        for run in 0..<count { try verifyOnce(verifier, bundleJSON, artifact, policy, run: warmup + run) }
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        print("{\"verified\": \(count), \"seconds\": \(seconds), \"per_second\": \(Double(count) / seconds)}")
    }

    /// One full verification; a failure names the bundle, the run and the failed step.
    func verifyOnce(_ verifier: BundleVerifier, _ json: Data, _ artifact: Artifact?, _ policy: BundleVerifier.SignerPolicy, run: Int) throws {
        // No certificate link is known from an earlier run: each run verifies the whole chain.
        let fresh = BundleVerifier(trusted: verifier.trusted.withFreshLinkCache())
        do { _ = try fresh.verify(bundleJSON: json, artifact: artifact, signer: policy) } catch {
            throw Self.fail("\(bundle) failed verification on run \(run + 1): \(error)", code: 1)
        }
    }

    static func read(_ path: String, what: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else { throw fail("cannot read \(what) \(path)", code: 2) }
        return data
    }

    static func fail(_ message: String, code: Int32) -> ExitCode {
        var line = "verify-bench: \(message)\n"
        line.withUTF8 { bytes in
            var done = 0
            while done < bytes.count {
                let written = write(STDERR_FILENO, bytes.baseAddress! + done, bytes.count - done)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { break }
                done += written
            }
        }
        return ExitCode(code)
    }
}
