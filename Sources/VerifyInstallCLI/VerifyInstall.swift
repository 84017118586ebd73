import FoundationEssentials
import ArgumentParser
import CommandLineExit
import Installer
import NpmModel
import OpenSSLCrypto
import Semver

/// `verify-install`: install npm packages and verify every byte before anything is placed.
@main
struct VerifyInstall: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-install",
        abstract: "Install npm packages like npm does, verifying every byte before anything is placed.",
        discussion: """
            Resolves package specs (semver ranges, dist-tags, transitive dependencies) into npm's flat \
            node_modules layout, downloads tarballs concurrently with libcurl, checks each against its SRI \
            integrity with OpenSSL, unpacks with libarchive into a staging folder, and swaps the finished \
            tree into place only when everything verified. A failed install leaves node_modules untouched.

            Every install also checks registry signatures (where the registry publishes keys) and every \
            attestation a package advertises: the Sigstore bundles must verify under --trusted-root, and the \
            report says who built each package (repository, workflow, ref, commit, runner) or why that is \
            unknown. --require-provenance and --policy FILE make missing or unexpected provenance an error; \
            a version without provenance after one with it (a downgrade) is a warning, or an error under them.

            The registry is --registry, else `registry=` from the project's or your .npmrc, else the \
            fixture world (`fixture-registry serve`, from the folder verify-install is in) started on free \
            loopback ports (serving @mochi/example).

            Examples:
              verify-install @mochi/example              # into the current folder
              verify-install --prefix app                # app/package.json's dependencies
              verify-install ci --prefix app             # exactly app/package-lock.json
              verify-install --prefix app --trusted-root public-good \\
                --policy app/verify-policy.json
              verify-install resolve '@mochi/example@^1' --json   # the tree only

            Verify one Sigstore bundle (sigstore-conformance protocol), or a saved npm attestations response:
              verify-install verify-bundle --bundle b.sigstore.json --key k.pem a.txt
              verify-install verify-attestations att.json --package n@1.0.0 \\
                --integrity sha512-...

            Exit codes: 0 success, 1 verification failed, 2 usage or configuration error, \
            3 registry or network error, 4 local file-system error, 5 internal error (a bug in \
            verify-install; please report it).
            """,
        subcommands: [Install.self, CleanInstall.self, Resolve.self, VerifyBundle.self, VerifyAttestations.self, AuditCommand.self, VerifyLockfileCommand.self],
        defaultSubcommand: Install.self
    )
}

/// Options every subcommand shares.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Registry base URL (e.g. http://127.0.0.1:4873/ or https://registry.npmjs.org/).", valueName: "url"))
    var registry: String?

    @OptionGroup var prefix: ProjectOption

    @Option(name: .long, help: ArgumentHelp("Cache of tarballs and of the attestation responses an install verified; every entry is verified again on every use (default: $XDG_CACHE_HOME/verify-install or ~/.cache/verify-install).", valueName: "dir"))
    var cache: String?

    @Option(name: .long, help: "How many HTTP transfers run at once.")
    var concurrency: Int = 16

    @Option(name: .long, help: ArgumentHelp("The node version npm would pick versions for: like npm, a version whose engines.node refuses it loses to one whose engines admit it (default: `node --version` of the node on PATH; none: engines are ignored).", valueName: "version"))
    var nodeVersion: String?

    @Option(name: .long, help: ArgumentHelp("The npm version engines.npm is tested against (default: the npm on PATH).", valueName: "version"))
    var npmVersion: String?

    @Flag(name: .long, help: "Print a machine-readable JSON report on stdout instead of the human summary.")
    var json = false

    @Flag(name: .shortAndLong, help: "No progress on stderr.")
    var quiet = false

    @Flag(name: .long, help: "Copy the log of the fixture world started when no registry is configured to stderr.")
    var verbose = false

    func validate() throws {
        guard (1...256).contains(concurrency) else {
            throw ValidationError("--concurrency must be between 1 and 256, got \(concurrency)")
        }
        for (flag, version) in [("--node-version", nodeVersion), ("--npm-version", npmVersion)] {
            if let version, SemanticVersion(version) == nil { throw ValidationError("\(flag) must be a semantic version such as 20.11.1, got '\(version)'") }
        }
        if let registry, !(registry.hasPrefix("http://") || registry.hasPrefix("https://")) {
            throw ValidationError("--registry must be an http:// or https:// URL, got '\(registry)'")
        }
    }
}

struct Install: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Install package specs (or package.json's dependencies) with verification.",
        discussion: "Specs: name, name@version, name@range, name@tag. New specs are saved to package.json like `npm install <spec>`; package-lock.json (v3) is written (npm-shrinkwrap.json instead when it is there, as npm does)."
    )

    @OptionGroup var options: CommonOptions
    @OptionGroup var provenance: ProvenanceOptions
    @OptionGroup var placement: PlacementOptions

    @Argument(help: ArgumentHelp("Packages to install, e.g. @mochi/example or @mochi/example@^1.0.0.", valueName: "spec"))
    var specs: [String] = []

    func validate() throws { try MistypedCommand.refuse(specs) }

    func run() async throws {
        try await Session.run(options, provenance: provenance, placement: placement, specs: specs, mode: .install)
    }
}

struct CleanInstall: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ci",
        abstract: "Install exactly what package-lock.json says, verifying it against the registry.",
        discussion: "Like npm, reads npm-shrinkwrap.json instead whenever it is there. Fails when package.json and the lockfile disagree, when the registry's integrity for a locked version differs from the lockfile, or when a tarball does not match. The lockfile is not rewritten."
    )

    @OptionGroup var options: CommonOptions
    @OptionGroup var provenance: ProvenanceOptions
    @OptionGroup var placement: PlacementOptions

    func run() async throws {
        try await Session.run(options, provenance: provenance, placement: placement, specs: [], mode: .ci)
    }
}

struct Resolve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the tree an install would build (name, version, resolved URL, integrity, path) without downloading tarballs."
    )

    @OptionGroup var options: CommonOptions

    @Argument(help: ArgumentHelp("Packages to resolve; with none, the prefix's package.json dependencies.", valueName: "spec"))
    var specs: [String] = []

    func run() async throws {
        try await Session.run(options, provenance: nil, specs: specs, mode: .resolve)
    }
}

extension VerifyInstall {
    /// Runs the command, mapping argument errors to exit code 2 (usage), as documented,
    /// instead of ArgumentParser's 64; an OpenSSL that cannot hash ends the run with 2 before it starts.
    static func main() async {
        let arguments = CommandLine.arguments.dropFirst()
        if let problem = DigestAlgorithm.unavailable(), !arguments.contains(where: { ["-h", "--help", "help"].contains($0) }) {
            refuse(full: "verify-install: error: \(problem)", message: problem)
            Self.exit(withError: ExitCode(InstallError.Kind.usage.exitCode))
        }
        await mainMappingUsage(to: InstallError.Kind.usage.exitCode, report: refuse)
    }

    /// Reports a run refused before it starts (a bad argument, an unusable OpenSSL): `full` on
    /// stderr and, under `--json`, the command's own failure document on stdout.
    @Sendable static func refuse(full: String, message: String) {
        StandardStream.error.write(full + "\n")
        // Under --json stdout is one JSON document whatever happens, a refused argument too (found
        // by review: it was empty), in the shape of the command's own failures.
        let arguments = CommandLine.arguments.dropFirst()
        guard arguments.contains(where: { $0 == "--json" || $0.hasPrefix("--json=") }) else { return }
        switch arguments.first {
        case "audit", "verify-lockfile", "verify-attestations", "verify-bundle":
            let form: CommandFailure.JSONForm = arguments.first == "audit" ? .npm : .envelope
            StandardStream.output.write(TerminalText.jsonEscaped(CommandFailure.json(
                CommandFailure.usage(message), form: form, kind: .usage, prefix: "")))
        default:
            Output(json: true, quiet: true).emitFailure(InstallError(.usage, message))
        }
    }
}
