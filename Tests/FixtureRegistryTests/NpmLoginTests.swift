import Foundation
import Synchronization
import Testing
@testable import FixtureRegistry

/// The real `npm login --auth-type=legacy` against the fixture registry, answering its prompts.
///
/// How npm reads them (npm 10.8, `lib/utils/read-user-info.js` → the `read` package): every
/// prompt opens its own `readline` interface on stdin and closes it after one line. Piped
/// input works (no TTY is required: `terminal` is only set when stdout is a TTY), but
/// answers written all at once are read by the first interface and lost when it closes, so
/// npm waits forever for the password (the earlier hang). So each answer is written only
/// after its prompt (`Username:`, `Password:`) has appeared on npm's stdout.
@Suite("npm login --auth-type=legacy")
struct NpmLoginTests {
    @Test(.enabled(if: NpmCLI.executable != nil || NpmCLI.required, "npm is not installed"), .timeLimit(.minutes(2)))
    func legacyLoginThenWhoami() async throws {
        let npmExecutable = try #require(NpmCLI.executable, "npm is required (REQUIRE_NPM=1) but not on PATH")
        try await withPublishRegistry { registry, _ in
            try await withTemporaryDirectory { scratch in
                let npm = try NpmCLI(executable: npmExecutable, scratch: scratch)
                let transcript = try await PromptedProcess.run(
                    npmExecutable,
                    ["login", "--auth-type=legacy", "--registry", registry.baseURL, "--cache", npm.cachePath],
                    in: npm.project,
                    environment: npm.environment,
                    answers: [("Username:", "alice"), ("Password:", "alice-password")]
                )
                #expect(transcript.status == 0, "\(transcript.output)")
                #expect(transcript.output.contains("Logged in on \(registry.baseURL)"), "\(transcript.output)")
                #expect(!transcript.output.contains("alice-password"), "npm must not echo the password")

                let whoami = try await npm.run(["whoami", "--registry", registry.baseURL, "--cache", npm.cachePath])
                #expect(whoami.status == 0, "\(whoami.output)")
                #expect(whoami.output.trimmingCharacters(in: .whitespacesAndNewlines) == "alice", "\(whoami.output)")
                let token = registry.storage.tokens.records.last
                #expect(token?.user == "alice" && token?.origin == "login" && token?.expires != nil)
            }
        }
    }

    @Test(.enabled(if: NpmCLI.executable != nil || NpmCLI.required, "npm is not installed"), .timeLimit(.minutes(2)))
    func legacyLoginWithAWrongPasswordFails() async throws {
        let npmExecutable = try #require(NpmCLI.executable, "npm is required (REQUIRE_NPM=1) but not on PATH")
        try await withPublishRegistry { registry, _ in
            try await withTemporaryDirectory { scratch in
                let npm = try NpmCLI(executable: npmExecutable, scratch: scratch)
                let transcript = try await PromptedProcess.run(
                    npmExecutable,
                    ["login", "--auth-type=legacy", "--registry", registry.baseURL, "--cache", npm.cachePath],
                    in: npm.project, environment: npm.environment,
                    answers: [("Username:", "alice"), ("Password:", "not-her-password")]
                )
                #expect(transcript.status != 0)
                #expect(transcript.output.contains("E401") || transcript.output.contains("Incorrect username or password"),
                        "\(transcript.output)")
            }
        }
    }
}

/// Runs a program that prompts on stdout, writing each answer after its prompt appears.
enum PromptedProcess {
    struct Transcript: Sendable {
        let status: Int32
        /// stdout and stderr, interleaved as they arrived.
        let output: String
    }

    static func run(_ executable: URL, _ arguments: [String], in directory: URL, environment: [String: String],
                    answers: [(prompt: String, answer: String)], timeout: Duration = .seconds(90)) async throws -> Transcript {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasPrefix("npm_config_") }
        env.merge(environment) { _, new in new }
        process.environment = env
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        let state = PromptState(answers: answers, input: input.fileHandleForWriting)
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil }
            state.received(data)
        }
        let status: Int32 = try await withThrowingTaskGroup(of: Int32?.self) { group in
            group.addTask {
                try await withCheckedThrowingContinuation { continuation in
                    process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                    do { try process.run() } catch { continuation.resume(throwing: error) }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next() ?? nil
            if first == nil { process.terminate() }
            group.cancelAll()
            return first ?? -1
        }
        try? await Task.sleep(for: .milliseconds(100))  // the last output chunk
        output.fileHandleForReading.readabilityHandler = nil
        try? input.fileHandleForWriting.close()
        return Transcript(status: status, output: state.text + (status == -1 ? "\n[timed out after \(timeout)]" : ""))
    }

    /// The output so far and the answers still to give.
    private final class PromptState: @unchecked Sendable {  // mutable state only behind `lock`; `input` is written under it
        private struct State {
            var text = ""
            /// UTF-8 length of the output already matched against a prompt.
            var consumed = 0
            var next = 0
        }

        private let lock = Mutex(State())
        private let answers: [(prompt: String, answer: String)]
        private let input: FileHandle

        init(answers: [(prompt: String, answer: String)], input: FileHandle) {
            self.answers = answers
            self.input = input
        }

        var text: String { lock.withLock { $0.text } }

        func received(_ data: Data) {
            lock.withLock { state in
                state.text += String(decoding: data, as: UTF8.self)
                while state.next < answers.count {
                    let pending = String(decoding: Array(state.text.utf8.dropFirst(state.consumed)), as: UTF8.self)
                    guard let range = pending.range(of: answers[state.next].prompt) else { return }
                    state.consumed += pending[..<range.upperBound].utf8.count
                    try? input.write(contentsOf: Data((answers[state.next].answer + "\n").utf8))
                    state.next += 1
                }
            }
        }
    }
}
