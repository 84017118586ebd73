import ArgumentParser
import Foundation
import Publish
import CodedError

/// `mochi-pkg publish --target=npm-library`: emit the GitHub Actions workflow that publishes the
/// npm-library build with npm Trusted Publishing and provenance, or (`--fixture`) play that job.
struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Set up (or, with --fixture, perform) publishing of a Mochi build target.",
        discussion: """
            --target=npm-library writes <project>/.github/workflows/mochi-publish-npm.yml, byte for byte the \
            canonical template: on a pushed tag v*, with actions pinned to commit SHAs and permissions granted \
            to the publish job only (contents: read, id-token: write, attestations: write; no NPM_TOKEN secret), \
            it checks that npm is 11.5.1 or later, builds with `mochi build --target=npm-library`, checks that \
            the tag names the package's version, attests target/ts/npm-library/dist/** with \
            actions/attest-build-provenance, and runs `npm publish --provenance --access=public` in \
            ./target/ts/npm-library with only the job's OIDC token. Configure the package's trusted publisher \
            on npmjs.com to point at this repository and workflow file.

            An existing workflow that differs from the template is left alone (exit 1) unless --force is given.

            --fixture plays that job here: builds the npm-library output of --package-dir into \
            target/ts/npm-library, packs it, fetches an OIDC token from ACTIONS_ID_TOKEN_REQUEST_URL, exchanges \
            it at --registry, signs SLSA provenance with a Fulcio certificate, logs it in Rekor, and publishes \
            with the .sigstore attachment.
            """
    )

    static let supportedTargets = ["npm-library"]

    @Option(name: .long, help: ArgumentHelp("Build target to publish. Supported: npm-library.", valueName: "target"))
    var target: String?

    @Option(name: .long, help: ArgumentHelp("Project folder (the repository root).", valueName: "dir"))
    var project: String = "."

    @Flag(name: .long, help: "Replace an existing workflow even if it was edited.")
    var force = false

    @Flag(name: .long, help: "Print one JSON object on stdout instead of a sentence.")
    var json = false

    @Flag(name: .long, help: "Play the publish job against the fixture world instead of writing the workflow.")
    var fixture = false

    @Option(name: .long, help: ArgumentHelp("Registry URL for --fixture (e.g. http://127.0.0.1:4873/).", valueName: "url"))
    var registry: String?

    @Option(name: .long, help: ArgumentHelp("Fulcio base URL for --fixture.", valueName: "url"))
    var fulcio: String?

    @Option(name: .long, help: ArgumentHelp(
        "Rekor for --fixture: v1 (dsse + SET, as npm; default), v2 (hashedrekord 0.0.2 + RFC 3161 timestamp, as public-good's newest clients), or the Rekor base URL (same as --rekor-url).",
        valueName: "v1|v2|url"))
    var rekor: String?

    @Option(name: .long, help: ArgumentHelp("Base URL of the Rekor (v1 or v2 log) for --fixture with --registry.", valueName: "url"))
    var rekorURL: String?

    @Option(name: .long, help: ArgumentHelp("Timestamp authority base URL for --fixture --rekor v2 with --registry.", valueName: "url"))
    var timestampAuthority: String?

    @Option(name: .long, help: ArgumentHelp("Sigstore bundle for --fixture: 0.3 (npm 11, default) or 0.2 (npm 10).", valueName: "version"))
    var bundleVersion: String = "0.3"

    @Option(name: .long, help: ArgumentHelp("Package to build for --fixture: a version folder, or a seed package folder (its latest tag).", valueName: "dir"))
    var packageDir: String = "Registry/packages/@mochi/example"

    func run() async throws {
        guard let target, Self.supportedTargets.contains(target) else {
            let given = target.map { "unknown --target '\($0)'" } ?? "missing --target"
            throw fail("\(given); supported targets: \(Self.supportedTargets.joined(separator: ", "))", exitCode: 2)
        }
        guard let version = BundleAssembler.Version(rawValue: bundleVersion) else {
            throw fail("--bundle-version must be 0.2 or 0.3, got '\(bundleVersion)'", exitCode: 2)
        }
        let rekorVersion = rekor.flatMap(RekorVersion.init(rawValue:)) ?? .v1
        let rekorBase = rekor.flatMap { RekorVersion(rawValue: $0) == nil ? $0 : nil }
        if rekorBase != nil, rekorURL != nil { throw fail("give the Rekor URL once: --rekor URL or --rekor-url URL", exitCode: 2) }
        for (flag, value) in [("--registry", registry), ("--fulcio", fulcio), ("--rekor", rekorBase), ("--rekor-url", rekorURL),
                              ("--timestamp-authority", timestampAuthority)] {
            if let value, !(value.hasPrefix("http://") || value.hasPrefix("https://")) {
                throw fail("\(flag) must be \(flag == "--rekor" ? "v1, v2 or " : "")an http:// or https:// URL, got '\(value)'", exitCode: 2)
            }
        }
        if rekorVersion == .v2, version != .v03 { throw fail("--rekor v2 writes v0.3 bundles only, not --bundle-version \(bundleVersion)", exitCode: 2) }
        let projectURL = URL(fileURLWithPath: project, isDirectory: true).standardizedFileURL
        if fixture {
            try await FixturePublish(project: projectURL, packageDir: URL(fileURLWithPath: packageDir, isDirectory: true),
                                     registry: registry, fulcio: fulcio, rekor: rekorBase ?? rekorURL, rekorVersion: rekorVersion,
                                     timestampAuthority: timestampAuthority, bundleVersion: version, json: json).run()
        } else {
            try emitWorkflow(into: projectURL)
        }
    }

    private func emitWorkflow(into projectURL: URL) throws {
        let emitter = WorkflowEmitter()
        let outcome: WorkflowEmitter.Outcome
        do { outcome = try emitter.emit(into: projectURL, force: force) } catch {
            throw fail(error.message, exitCode: 1)
        }
        let path = emitter.destination(in: projectURL).path
        if json {
            print(#"{"target":"npm-library","workflow":\#(quote(path)),"outcome":"\#(outcome.rawValue)"}"#)
        } else {
            switch outcome {
            case .created: print("wrote \(path)")
            case .overwritten: print("replaced \(path) with the template (--force)")
            case .upToDate: print("\(path) is up to date")
            }
        }
    }
}

/// A JSON string literal.
func quote(_ s: String) -> String { OrderedJSON.string(s).text }
