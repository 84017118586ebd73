import ArgumentParser
import FoundationEssentials
import OpenSSLCrypto
import SigstoreVerify
import NpmVerify
import CodedError
import Installer
import DurableFile

/// `verify-install verify-bundle`: the sigstore-conformance client protocol.
struct VerifyBundle: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-bundle",
        abstract: "Verify one Sigstore bundle against an artifact (sigstore-conformance client protocol).",
        discussion: """
            A Sigstore bundle carries a signature, the signer's certificate (or a key hint) and \
            transparency-log evidence. Verification checks, failing closed at each step: the log \
            entries (signed entry timestamps, inclusion proofs, checkpoints) and RFC 3161 timestamps \
            give trusted signing times; the Fulcio certificate chains to a CA of the trusted root that \
            was valid then, has the code-signing profile and a valid SCT; every log entry records this \
            very bundle; the artifact matches the signed digest or in-toto subject; the signature \
            verifies; and the certificate names the expected identity and OIDC issuer.

            FILE_OR_DIGEST is the artifact file, or sha256:<64 hex> when no such file exists.
            --trusted-root defaults to public-good: the Sigstore public-good TUF repository, refreshed \
            and verified by verify-install's own TUF client from its embedded root.

            Example:
              verify-install verify-bundle --bundle a.sigstore.json \\
                --certificate-identity https://github.com/o/r/.github/workflows/w.yml@refs/heads/main \\
                --certificate-oidc-issuer https://token.actions.githubusercontent.com a.txt

            Exit codes: 0 verified, 1 verification failed (stderr names the step), 2 usage or unreadable input.
            """
    )

    @Flag(name: .long, help: "Use the Sigstore staging instance (refused unless --trusted-root names a staging root).")
    var staging = false

    @Option(name: .long, help: ArgumentHelp("The Sigstore bundle JSON.", valueName: "file"))
    var bundle: String

    @Option(name: .long, help: ArgumentHelp("Exact certificate subject alternative name required of the signer.", valueName: "id"))
    var certificateIdentity: String?

    @Option(name: .long, help: ArgumentHelp("OIDC issuer required in the signer's certificate.", valueName: "url"))
    var certificateOidcIssuer: String?

    @Option(name: .long, help: ArgumentHelp("PEM public key for a key-signed bundle (instead of identity flags).", valueName: "pem"))
    var key: String?

    @OptionGroup var trust: TrustOptions

    @Argument(help: ArgumentHelp("The signed artifact, or sha256:<64 hex> when no such file exists.", valueName: "file-or-digest"))
    var fileOrDigest: String

    func validate() throws {
        switch (key, certificateIdentity, certificateOidcIssuer) {
        case (nil, .some, .some), (.some, nil, nil): break
        default: throw ValidationError("pass either --certificate-identity with --certificate-oidc-issuer, or --key")
        }
        if staging && trust.trustedRoot == nil {
            throw ValidationError("--staging: no staging trusted root is bundled; pass the staging trusted_root.json with --trusted-root")
        }
    }

    func run() async throws {
        let rootJSON: Data, bundleJSON: Data, keyPEM: String?, artifact: Artifact
        do {
            // The inputs first: a missing file is named, not hidden behind a TUF failure (found by review).
            bundleJSON = try Self.read(bundle, what: "bundle")
            keyPEM = try key.map { String(decoding: try Self.read($0, what: "key"), as: UTF8.self) }
            do { artifact = try Artifact.parse(fileOrDigest: fileOrDigest) } catch { throw CommandFailure.usage("\(error)") }
            let resolved = try await trust.resolver().trustedRoot(trust.trustedRoot)
            StandardStream.error.write("trusted root: \(resolved.source)\n")
            rootJSON = resolved.data
        } catch {
            throw CommandFailure.report(error, as: .usage)
        }
        do {
            // A trusted root or key that does not parse is a verification failure: the input is refused.
            let verifier = BundleVerifier(trusted: try TrustedMaterial(jsonData: rootJSON))
            let signer: BundleVerifier.SignerPolicy
            if let keyPEM {
                do { signer = .publicKey(try PublicKey(pem: keyPEM)) } catch {
                    throw VerificationError(.publicKey, "--key \(key ?? "") is not a usable PEM public key: \(error)")
                }
            } else {
                signer = .certificate(IdentityPolicy(subjectAlternativeName: .exact(certificateIdentity ?? ""), issuer: certificateOidcIssuer))
            }
            _ = try verifier.verify(bundleJSON: bundleJSON, artifact: artifact, signer: signer)
        } catch {
            throw CommandFailure.report(error, as: .verification, prefix: "verification failed at step ")
        }
        StandardStream.error.write("OK: \(bundle) verified\n")
    }

    static func read(_ path: String, what: String) throws -> Data {
        do { return try DurableFile.readNamed(path, limit: TrustRootResolver.maxFileBytes) } catch {
            throw CommandFailure.usage("cannot read \(what) \(path): \(error.reason)")
        }
    }
}
