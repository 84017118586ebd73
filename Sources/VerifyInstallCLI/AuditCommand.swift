import ArgumentParser
import Audit
import CurlTransport
import FoundationEssentials
import NpmModel
import NpmVerify
import RegistryClient
import SigstoreVerify
import CodedError
import Installer

/// `verify-install audit`: `npm audit signatures` over an installed project.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify the registry signatures and attestations of every installed package, like `npm audit signatures`.",
        discussion: """
            Reads the project's package.json and node_modules (scoped and nested packages), picks the \
            packages npm would audit (registry dependencies with an installed version; declared \
            workspaces, git, file and URL dependencies are skipped), fetches each full packument and checks every \
            dist.signatures entry against the registry's /-/npm/v1/keys (a key that expired before \
            time[version] is refused), then verifies dist.attestations as pacote does (publish \
            attestation by the registry key, SLSA provenance by its Fulcio certificate, subject = \
            purl + tarball sha512) under --trusted-root. Prints npm's report (or npm's JSON with \
            --json) and a table of who built each package from its verified provenance. With \
            --policy, a package whose provenance does not meet the policy is reported invalid. An \
            installed package a registry dependency asks for but that cannot be audited (a symbolic \
            link, a file, no readable version, not installed in the project) is listed with the \
            reason; with --policy it fails the run. Stricter than npm, the lockfile's entry for each \
            package must record an integrity and a resolved URL where the registry serves it, and a \
            registry dependency linked to a folder of the project that is no declared workspace is \
            invalid.

            What it proves, like npm: the registry's claims about the name@version each installed \
            package.json names. It does not read the installed files, so a node_modules edited after \
            install is not detected (`verify-install ci` reinstalls from verified tarballs).

            Where npm would stop the whole audit (an unknown or expired key, a wrong attestation \
            subject, a registry error), the package is reported invalid with the reason and the \
            audit goes on.

            Exit codes: 0 every audited package verified, 1 a package is invalid or missing a signature (or \
            nothing was audited), 2 usage or configuration error, 3 every failure was the registry being \
            unreachable for the package documents or keys, 4 the project cannot be read.
            """
    )

    @OptionGroup var prefix: ProjectOption

    @OptionGroup var registry: PublicRegistryOption

    @OptionGroup var trust: TrustOptions

    @Option(name: [.customLong("registry-keys"), .customLong("keys")], help: ArgumentHelp("Keys for the default registry instead of its /-/npm/v1/keys: a keys body or a TUF keys.json (keyUsage and validFor honoured).", valueName: "file"))
    var keys: String?

    @Option(name: .long, help: ArgumentHelp("Provenance policy (verify-policy.json): every package must meet it, or it is reported invalid (EPROVENANCEPOLICY).", valueName: "file"))
    var policy: String?

    @Flag(name: .long, help: "Print npm's JSON report ({\"invalid\": [...], \"missing\": [...]}, plus \"skipped\": [...] when a package could not be audited) instead of the human one.")
    var json = false

    func run() async throws {
        // Under --json, a failure is a JSON document on stdout too.
        try await CommandFailure.$jsonForm.withValue(json ? .npm : nil) { try await audit() }
    }

    private func audit() async throws {
        try registry.checked()
        let project: ProjectSetup
        let configuration: RegistryConfiguration
        let transport: CurlHTTPClient
        var root: TrustedRootSource
        var registryKeys = RegistryKeyTrust()
        var provenancePolicy: AuditPolicy?
        do {
            project = try prefix.setup()
            configuration = try project.publicConfiguration(registry: registry.url)
            root = try await AuditDefaults.trustedRoot(trust)
            provenancePolicy = try policy.map(AuditPolicy.init(file:))
            if let keys {
                let pinned = try RegistryKey.parseKeysDocument(try VerifyBundle.read(keys, what: "registry keys file"))
                registryKeys = RegistryKeyTrust(registry: configuration.registry, keys: pinned, source: "--registry-keys \(keys)")
            } else if NpmRegistryKeys.isPublicRegistry(configuration.registry) {
                // As install: the TUF target's keys; without them npm's embedded ones serve (and the
                // report says so), except where signatures are required.
                // A public-good trusted root comes from the same TUF refresh as the keys, still
                // parsed only when an attestation needs it.
                let rootFromTUF = trust.usesPublicGoodRoot
                let fetched = await trust.publicGoodTargets([TrustRootResolver.registryKeysTarget]
                                                            + (rootFromTUF ? [TrustRootResolver.trustedRootTarget] : []))
                if rootFromTUF, let trustedRoot = fetched[TrustRootResolver.trustedRootTarget] {
                    root = TrustedRootSource { try TrustedMaterial(jsonData: trustedRoot.get().data) }
                }
                do {
                    let resolved = try fetched[TrustRootResolver.registryKeysTarget]!.get()
                    registryKeys = RegistryKeyTrust(publicRegistry: try RegistryKey.parseTUFKeys(resolved.data),
                                                    source: "registry.npmjs.org/keys.json from \(resolved.source)")
                } catch {
                    StandardStream.error.write("note: \(TerminalText.escaped("registry.npmjs.org keys: \(error); using npm's keys embedded in verify-install"))\n")
                }
            }
            transport = try project.transport()
        } catch {
            throw CommandFailure.report(error, as: .usage)
        }
        defer { transport.shutdown() }
        for folder in Installer.interruptedCommits(prefix: project.directory) {
            StandardStream.error.write("note: \(TerminalText.escaped("\(folder.path) holds the commit of an install that was interrupted: node_modules, package.json and the lockfile may be half old, half new; verify-install install or ci finishes or undoes it"))\n")
        }
        let audit = SignatureAudit(configuration: configuration, transport: transport, trustedRoot: root,
                                   policy: provenancePolicy, registryKeys: registryKeys,
                                   requireSignatures: provenancePolicy?.policy.requireSignatures == true)
        let report: AuditReport
        do {
            report = try await audit.run(prefix: project.directory)
        } catch {
            throw CommandFailure.report(error, as: error.code == .unreadableTree ? .fileSystem : .verification)
        }
        try finish(report, underPolicy: provenancePolicy != nil)
    }

    /// Prints the report and ends with its exit code.
    private func finish(_ report: AuditReport, underPolicy: Bool) throws {
        for source in report.keysWithoutTrust {
            StandardStream.error.write("note: \(TerminalText.escaped("registry signatures were verified with keys no pin or TUF target vouches for: \(source)"))\n")
        }
        StandardStream.output.write(json ? TerminalText.jsonEscaped(report.json()) : report.text())
        if report.failedOnlyToReachTheRegistry { throw CommandFailure.exit(.registry) }
        // Under a policy nothing may escape it: a package that could not be audited fails the run.
        if !report.passed || (underPolicy && !report.skipped.isEmpty) { throw CommandFailure.exit(.verification) }
    }
}

/// Defaults of `verify-install audit`.
enum AuditDefaults {
    static let publicRegistry = "https://registry.npmjs.org/"

    /// An explicit file is read now (a bad path is a usage error); `public-good` is fetched through
    /// the TUF client on first use (an audit without attestations never needs it).
    static func trustedRoot(_ trust: TrustOptions) async throws -> TrustedRootSource {
        guard let argument = trust.trustedRoot, !trust.usesPublicGoodRoot else {
            return TrustedRootSource(resolver: try trust.resolver())
        }
        let resolved = try await trust.resolver().trustedRoot(argument)
        return TrustedRootSource(material: try TrustedMaterial(jsonData: resolved.data))
    }
}
