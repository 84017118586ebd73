import ArgumentParser
import FoundationEssentials
import NpmVerify
import SigstoreVerify
import Installer

/// `verify-install verify-attestations`: verify a saved `/-/npm/v1/attestations/...` response.
struct VerifyAttestations: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-attestations",
        abstract: "Verify a saved npm attestations response against a package name, version and integrity.",
        discussion: """
            npm publishes two Sigstore bundles per attested version: SLSA provenance, signed keyless by \
            the CI workflow's Fulcio certificate (it says who built the package), and the publish \
            attestation, signed by the registry's npm:attestations key. Each is checked as pacote does, \
            then stricter: the bundle verifies under the trusted root (log entries, certificate chain, \
            SCT, DSSE signature), a key-signed bundle names a registry key that had not expired when \
            it was logged, and the in-toto subject is pkg:npm/NAME@VERSION with the tarball's SHA-512.

            --policy FILE (verify-policy.json, format in ConsumerFixtures/POLICY.md) then checks the \
            verified provenance identity (repository, workflow, ref, runner, ...) against the policy's rules \
            for the package; a mismatch names both values and fails with exit 1.

            --registry-keys defaults to the public registry's keys, the TUF target registry.npmjs.org/keys.json \
            fetched and verified by verify-install's own TUF client from its embedded Sigstore root; \
            it accepts /-/npm/v1/keys bodies and the TUF keys.json target (keyUsage and validFor \
            honoured). --trusted-root defaults to public-good likewise.

            Example:
              curl -s -o att.json \\
                https://registry.npmjs.org/-/npm/v1/attestations/sigstore@1.0.0
              verify-install verify-attestations att.json --package sigstore@1.0.0 \\
                --integrity sha512-e+qfbn/zf1+rCza/BhIA//Awmf0v1pa5HQS8Xk8iXrn9bgytytVLqYD0P7NSqZ6IELTgq+tcDvLPkQjNHyWLNg==

            Exit codes: 0 every bundle verified, 1 verification failed, 2 usage or unreadable input.
            """
    )

    @Argument(help: ArgumentHelp("The saved attestations response body ({\"attestations\":[...]}).", valueName: "file"))
    var file: String

    @Option(name: .long, help: ArgumentHelp("The package the attestations must be about, e.g. sigstore@1.0.0 or @scope/name@1.2.3.", valueName: "name@version"))
    var package: String

    @Option(name: .long, help: ArgumentHelp("The tarball's dist.integrity (sha512-…).", valueName: "sri"))
    var integrity: String

    @Option(name: [.customLong("registry-keys"), .customLong("keys")], help: ArgumentHelp("Registry keys: a /-/npm/v1/keys body or TUF keys.json (default: the public-good TUF target registry.npmjs.org/keys.json).", valueName: "file"))
    var keys: String?

    @OptionGroup var trust: TrustOptions

    @Option(name: .long, help: ArgumentHelp("Provenance policy (verify-policy.json) the provenance identity must satisfy.", valueName: "file"))
    var policy: String?

    @Flag(name: .long, help: "Print the verdicts as JSON on stdout.")
    var json = false

    func validate() throws {
        guard PackageArgument(package) != nil else { throw ValidationError("--package must be NAME@VERSION, got '\(package)'") }
        guard integrity.contains("sha512-") else { throw ValidationError("--integrity must hold a sha512- SRI, got '\(integrity)'") }
    }

    func run() async throws {
        let parsed = PackageArgument(package)!
        let identity = PackageIdentity(name: parsed.name, version: parsed.version, integrity: integrity)
        let verifier: AttestationVerifier, response: Data, sources: [String]
        var provenancePolicy: ProvenancePolicy?
        do {
            // The inputs first: a missing file is named, not hidden behind a TUF failure (found by review).
            response = try VerifyBundle.read(file, what: "attestations response")
            provenancePolicy = try policy.map { try ProvenancePolicy.load(contentsOf: URL(fileURLWithPath: $0)) }
            let resolver = try trust.resolver()
            let rootFromTUF = trust.usesPublicGoodRoot
            let rootFile = rootFromTUF ? nil : try await resolver.trustedRoot(trust.trustedRoot)
            let keyFile = try keys.map { try Self.readKeys($0) }
            // What comes from public-good, from one TUF refresh rather than one each.
            let names = (rootFromTUF ? [TrustRootResolver.trustedRootTarget] : []) + (keys == nil ? [TrustRootResolver.registryKeysTarget] : [])
            let fetched = names.isEmpty ? [:] : try await resolver.targets(names)
            let root = try rootFile ?? fetched[TrustRootResolver.trustedRootTarget]!.get()
            let keyDocument = try keyFile ?? fetched[TrustRootResolver.registryKeysTarget]!.get()
            verifier = AttestationVerifier(trusted: try TrustedMaterial(jsonData: root.data),
                                           keys: try RegistryKey.parseKeysDocument(keyDocument.data))
            sources = ["trusted root: \(root.source)", "registry keys: \(keyDocument.source)"]
        } catch {
            throw CommandFailure.report(error, as: .usage)
        }
        var report: AttestationReport
        do {
            report = AttestationReport(package: identity, verdicts: try verifier.verify(response: response, package: identity))
            if let provenancePolicy { report.apply(provenancePolicy) }
        } catch {
            report = AttestationReport(package: identity, failure: error)
        }
        for line in sources { StandardStream.error.write("\(line)\n") }
        print(json ? report.json() : report.text())
        if !report.passed { throw CommandFailure.exit(.verification) }
    }
}

extension VerifyAttestations {
    static func readKeys(_ path: String) throws -> ResolvedTrust {
        ResolvedTrust(data: try VerifyBundle.read(path, what: "registry keys"), source: .file(URL(fileURLWithPath: path)))
    }
}

/// `NAME@VERSION`, where NAME may be scoped (`@scope/name`).
struct PackageArgument {
    let name: String
    let version: String

    init?(_ argument: String) {
        guard let at = argument.dropFirst().lastIndex(of: "@") else { return nil }
        name = String(argument[..<at])
        version = String(argument[argument.index(after: at)...])
        if name.isEmpty || version.isEmpty { return nil }
    }
}
