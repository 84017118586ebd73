import ArgumentParser
import CurlTransport
import FoundationEssentials
import Installer
import LockfileFormats
import LockfileVerify
import NpmModel
import RegistryClient

/// `verify-install verify-lockfile [FILE]`: verify any project's lockfile before anything is fetched.
struct VerifyLockfileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-lockfile",
        abstract: "Verify a lockfile (npm, pnpm, Yarn classic and Berry, Bun) against the registry, installing nothing.",
        discussion: """
            Reads package-lock.json (v1-v3) or npm-shrinkwrap.json, pnpm-lock.yaml (v6, v9), yarn.lock \
            (classic v1 and Berry) or bun.lock; with no FILE, the first of these in --prefix. For every \
            registry package: every hash the lockfile records must be one the registry vouches for at that \
            exact version (strict SRI, one digest per algorithm, no ?options, sha512 or the strongest), \
            the registry signature must verify, every attestation must verify under --trusted-root, and \
            --require-provenance / --policy apply; provenance downgrades are reported. An npm alias is \
            verified as the real package it installs. Yarn Berry records a checksum of its own zip, so \
            those tarballs are downloaded and checked against the registry's dist.integrity (the zip \
            checksum itself is not compared, and --fail-on-unverifiable counts that). yarn.lock is read with Yarn 1's grammar; anything Yarn \
            would read differently is refused. Git, file, link and workspace entries are listed as not \
            verifiable.

            Exit codes: 0 every registry package verified, 1 a verification failure (or, with \
            --fail-on-unverifiable, an entry that is not verifiable or a Yarn Berry checksum not compared), 2 usage or \
            configuration error (an unreadable lockfile, or attestations to verify and no --trusted-root), 3 registry \
            or network error.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, sarif, junit }

    @Argument(help: ArgumentHelp("The lockfile (default: detected in --prefix).", valueName: "file"))
    var file: String?

    @Option(name: .long, help: ArgumentHelp("Project folder to find the lockfile and .npmrc in (default: the given lockfile's folder, else the working folder), as npm reads the .npmrc beside the project.", valueName: "dir"))
    var prefix: String?

    @OptionGroup var registry: PublicRegistryOption

    @OptionGroup var provenance: ProvenanceOptions

    @Option(name: .long, help: "Report format: text, json, sarif (SARIF 2.1.0) or junit.")
    var format: Format = .text

    @Flag(name: .long, help: "Same as --format json.")
    var json = false

    @Flag(name: .long, help: "Fail (exit 1) when an entry is not verifiable (git, file, link, workspace, a tarball URL outside the registry), or its Yarn Berry checksum cannot be compared, instead of only listing it.")
    var failOnUnverifiable = false

    func run() async throws {
        // Under --json (or --format), a failure is a document of that format on stdout too.
        let form: CommandFailure.JSONForm? = switch json ? .json : format {
        case .json: .envelope
        case .sarif: .sarif
        case .junit: .junit
        case .text: nil
        }
        try await CommandFailure.$jsonForm.withValue(form) { try await verify() }
    }

    private func verify() async throws {
        try registry.checked()
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        // npm ci reads the .npmrc of the project it runs in: the lockfile's folder.
        let folder = prefix ?? file.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL.deletingLastPathComponent().path } ?? "."
        let project = ProjectSetup(prefix: folder)
        let (url, shown) = try locate(project: project.directory, cwd: cwd)
        let lockfile: ParsedLockfile
        do { lockfile = try LockfileReader().read(contentsOf: url) } catch {
            throw CommandFailure.report(error, as: .usage)
        }
        // npm ci run in a workspace of a project above installs that project's lockfile, not this
        // one (found by review: a pull request that made the folder a workspace passed here).
        if lockfile.format == .npm {
            do { try project.refuseWorkspaceMember() } catch { throw CommandFailure.report(error, as: .usage) }
        }
        let settings: VerifySettings, configuration: RegistryConfiguration
        do {
            configuration = try project.publicConfiguration(registry: registry.url)
            settings = try await verifySettings(registry: configuration.registry)
        } catch {
            throw CommandFailure.report(error, as: .usage)
        }
        let transport: CurlHTTPClient
        do { transport = try project.transport() } catch {
            throw CommandFailure.report(error, as: .registry)
        }
        defer { transport.shutdown() }
        var report = await LockfileVerifier(client: RegistryClient(configuration: configuration, transport: transport), settings: settings)
            .run(lockfile, path: shown)
        report.unverifiableFails = failOnUnverifiable
        StandardStream.output.write(render(report))
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }

    /// The lockfile to read, and the path reports name it by (relative to the working folder when inside it).
    func locate(project: URL, cwd: URL) throws -> (URL, String) {
        let url: URL
        if let file {
            url = URL(fileURLWithPath: file, relativeTo: cwd).standardizedFileURL
        } else if let found = try Self.find(in: project) {
            url = found
        } else {
            throw CommandFailure.report(CommandFailure.usage("no lockfile in \(project.path) (looked for \(LockfileFormat.fileNames.map(\.0).joined(separator: ", ")))"), as: .usage)
        }
        let base = cwd.standardizedFileURL.path + "/"
        return (url, url.path.hasPrefix(base) ? String(url.path.dropFirst(base.count)) : url.path)
    }

    /// The project's one lockfile; lockfiles of two package managers are a usage error.
    static func find(in project: URL) throws -> URL? {
        do { return try LockfileReader.find(in: project) } catch {
            throw CommandFailure.report(CommandFailure.usage("\(error)"), as: .usage)
        }
    }

    /// Trust and requirements, resolved like the installing commands resolve them.
    func verifySettings(registry: String) async throws -> VerifySettings {
        let resolved = try await provenance.settings(registry: registry) { message in
            StandardStream.error.write("verify-install: \(TerminalText.escaped(message))\n")
        }
        return VerifySettings(trustedRoot: resolved.trustedRoot, registryKeys: resolved.registryKeys,
                              requireSignatures: resolved.requireSignatures, requireProvenance: resolved.requireProvenance,
                              policy: resolved.policy)
    }

    func render(_ report: VerificationReport) -> String {
        switch json ? .json : format {
        case .text: report.text()
        case .json: report.json()
        case .sarif: report.sarif()
        case .junit: report.junit()
        }
    }
}
