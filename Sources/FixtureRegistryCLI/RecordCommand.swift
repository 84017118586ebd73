import ArgumentParser
import FixtureRegistry
import FixtureSigstore
import Foundation
import RecordedFlows
import FixtureLayout

/// `fixture-registry record`: capture one whole trusted-publishing exchange into `Registry/recorded/<name>.json`.
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record one OIDC token exchange (ID-token request, JWT, exchange request and response) for replay.",
        discussion: """
            Starts the fixture world at a pinned clock with the TEST-ONLY keys of Registry/keys \
            (recorded-oidc-issuer-key.pem signs the ID token; recorded-token-secret.pem makes the \
            registry's token an HMAC of the ID token's jti), plays the exchange over HTTP as npm does \
            and writes <out>/<name>.json: the clock, the job, the trusted publisher, the key files, and \
            every request (method, path, headers) and response (status, body) verbatim. No absolute \
            paths or ports are written, and the same inputs give the same bytes, so the file can be \
            committed and replayed (Harness.ExchangeReplay).

              fixture-registry record --name mochi-example-v1.1.0
            """
    )

    @Option(help: "Name of the recording (the file is <out>/<name>.json).")
    var name: String

    @Option(help: ArgumentHelp("Folder to write into (default: the repository's Registry/recorded).", valueName: "dir"))
    var out: String?

    @Option(help: "The package whose trusted publisher the exchange asks for.")
    var package = "@mochi/example"

    @Option(help: "The GitHub repository (OWNER/NAME) of the publishing job.")
    var repository = "mochi-lang/mochi"

    @Option(help: "The tag the job runs for (ref refs/tags/<tag>).")
    var tag = "v1.1.0"

    @Option(help: ArgumentHelp("The pinned clock, RFC 3339 UTC.", valueName: "time"))
    var clock = "2026-01-15T12:00:00Z"

    @Option(help: ArgumentHelp(
        "Access config holding the package's trusted publisher (default: $MOCHI_REGISTRY_CONFIG, else Registry/config.json).",
        valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("Folder of the TEST-ONLY keys (default: $MOCHI_REGISTRY_KEYS, else Registry/keys).", valueName: "dir"))
    var keys: String?

    func validate() throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-._")
        guard !name.isEmpty, name.allSatisfy(allowed.contains), !name.hasPrefix(".") else {
            throw ValidationError("--name must be lowercase letters, digits and '-._' (it becomes a file name), got \"\(name)\"")
        }
        guard ISO8601DateFormatter().date(from: clock) != nil else {
            throw ValidationError("--clock must be an RFC 3339 UTC time such as 2026-01-15T12:00:00Z, got \"\(clock)\"")
        }
    }

    func run() async throws {
        do {
            let access = try CommandPaths.accessConfig(config)
            guard let publisher = access.trustedPublishers[package] else {
                throw RecordedFlowError("\(package) has no trusted publisher in the access config; expected one of "
                                        + access.trustedPublishers.keys.sorted().joined(separator: ", "))
            }
            let recordingKeys = try RecordingKeys(directory: CommandPaths.folder(keys, else: \.keys))
            let job = GitHubActionsJob(repository: repository, ref: "refs/tags/\(tag)")
            let inputs = ExchangeRecorder.Inputs(name: name, package: package, job: job,
                                                 clock: ISO8601DateFormatter().date(from: clock) ?? ExchangeRecorder.defaultClock,
                                                 trustedPublisher: publisher)
            let folder = CommandPaths.folder(out, else: \.recorded)
            let file = try await ExchangeRecorder(keys: recordingKeys).record(inputs, into: folder)
            print(file.path)
        } catch {
            FileHandle.standardError.write(Data("fixture-registry record: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
