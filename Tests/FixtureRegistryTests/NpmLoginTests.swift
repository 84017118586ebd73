import ChildProcess
import FixtureTesting
import Foundation
import Synchronization
import Testing
@testable import FixtureRegistry

#if canImport(Glibc)
import Glibc
#endif

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
    @Test(.requires(.npm), .timeLimit(.minutes(2)))
    func legacyLoginThenWhoami() async throws {
        let npmExecutable = try #require(NpmCLI.executable)
        try await withPublishRegistry { registry, _ in
            try await withScratch { scratch in
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

    @Test(.requires(.npm), .timeLimit(.minutes(2)))
    func legacyLoginWithAWrongPasswordFails() async throws {
        let npmExecutable = try #require(NpmCLI.executable)
        try await withPublishRegistry { registry, _ in
            try await withScratch { scratch in
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
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasPrefix("npm_config_") }
        env.merge(environment) { _, new in new }
        // stdout and stderr share one pipe, read on ChildProcess's reader thread; each answer is
        // written from that thread as soon as its prompt has arrived (no sleeps, no polling).
        let state = PromptState(answers: answers)
        let child = try ChildProcess.spawn(executable.path, arguments, directory: directory.path, environment: env,
                                           input: .pipe, output: .pipe { state.received($0) }, error: .standardOutput)
        state.attach(child.standardInput)
        let status: Int32? = await withTaskGroup(of: Int32?.self) { group in
            group.addTask { await child.wait().status }
            group.addTask {
                // Safety net only (npm waiting for an answer that never comes): the exit normally wins.
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            if first == nil { child.signal(SIGKILL) }
            group.cancelAll()
            return first
        }
        _ = await child.wait()
        await child.waitForOutput()  // every byte npm wrote has been received: the pipe reached its end
        child.standardInput?.close()
        return Transcript(status: status ?? -1, output: state.text + (status == nil ? "\n[timed out after \(timeout)]" : ""))
    }

    /// The output so far and the answers still to give.
    private final class PromptState: Sendable {
        private struct State {
            var text = ""
            /// UTF-8 length of the output already matched against a prompt.
            var consumed = 0
            var next = 0
            var input: PipeWriter?
        }

        private let lock = Mutex(State())
        private let answers: [(prompt: String, answer: String)]

        init(answers: [(prompt: String, answer: String)]) {
            self.answers = answers
        }

        var text: String { lock.withLock { $0.text } }

        /// The child's stdin, once spawned; prompts that arrived before are answered now.
        func attach(_ input: PipeWriter?) {
            lock.withLock { state in
                state.input = input
                answerPrompts(&state)
            }
        }

        /// Called on the reader thread with each chunk of output.
        func received(_ event: PipeEvent) {
            guard case .data(let bytes) = event else { return }
            lock.withLock { state in
                state.text += String(decoding: bytes, as: UTF8.self)
                answerPrompts(&state)
            }
        }

        /// Writes the answer to every prompt that has appeared, in order (under the lock: answers never interleave).
        private func answerPrompts(_ state: inout State) {
            guard let input = state.input else { return }
            while state.next < answers.count {
                let pending = String(decoding: Array(state.text.utf8.dropFirst(state.consumed)), as: UTF8.self)
                guard let range = pending.range(of: answers[state.next].prompt) else { return }
                state.consumed += pending[..<range.upperBound].utf8.count
                try? input.write(answers[state.next].answer + "\n")
                state.next += 1
            }
        }
    }
}
