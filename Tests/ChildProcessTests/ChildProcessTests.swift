import ChildProcess
import FixtureTesting
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// posix_spawn-based children: statuses, redirections, environment, directory, pipes, reaping, fds.
@Suite("ChildProcess", .serialized)
struct ChildProcessTests {
    static let environment = ["PATH": "/usr/bin:/bin"]

    @Test func exitCodeIsReported() async throws {
        let termination = try await ChildProcess.run("/bin/sh", ["-c", "exit 7"], environment: Self.environment)
        #expect(termination == .exited(7))
        #expect(termination.status == 7)
        let run1 = try await ChildProcess.run("/bin/true", [], environment: [:])
        #expect(run1 == .exited(0))
    }

    @Test func signalStatusIsReportedLikeAShell() async throws {
        let selfKilled = try await ChildProcess.run("/bin/sh", ["-c", "kill -TERM $$"], environment: Self.environment)
        #expect(selfKilled == .signaled(SIGTERM))
        #expect(selfKilled.status == 128 + SIGTERM)

        let sleeper = try ChildProcess.spawn("/bin/sleep", ["60"], environment: [:])
        #expect(sleeper.termination == nil)
        #expect(sleeper.signal(SIGKILL))
        #expect(await sleeper.wait() == .signaled(SIGKILL))
        #expect(await sleeper.wait().status == 137)  // awaitable again
        #expect(!sleeper.signal(SIGKILL), "a reaped child is never signalled (its pid may be reused)")
    }

    @Test func childrenGetAnEmptySignalMaskAndDefaultDispositions() async throws {
        try await withScratch { folder in
            let out = folder.appendingPathComponent("status").path
            // Block SIGTERM and ignore SIGPIPE in this thread/process while spawning: the child must not inherit either.
            var block = sigset_t(), previous = sigset_t()
            sigemptyset(&block)
            sigaddset(&block, SIGTERM)
            pthread_sigmask(SIG_BLOCK, &block, &previous)
            let oldPipe = signal(SIGPIPE, SIG_IGN)
            let child: ChildProcess
            do {
                defer {
                    pthread_sigmask(SIG_SETMASK, &previous, nil)
                    signal(SIGPIPE, oldPipe)
                }
                child = try ChildProcess.spawn("/bin/grep", ["-E", "^Sig(Blk|Ign):", "/proc/self/status"],
                                               environment: [:], output: .file(out))
            }
            #expect(await child.wait() == .exited(0))
            let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 2)
            for line in lines {
                // Signals 1...31 (bits 0...30); glibc's posix_spawn itself ignores its internal
                // signals 32 and 33 (SIGCANCEL, SIGSETXID) in the child, which is not ours to change.
                let mask = line.split(separator: "\t").last.flatMap { UInt64($0, radix: 16) }
                #expect(mask.map { $0 & 0x7FFF_FFFF } == 0, "\(line)")
            }
        }
    }

    @Test func outputGoesToFiles() async throws {
        try await withScratch { folder in
            let out = folder.appendingPathComponent("out").path, err = folder.appendingPathComponent("err").path
            let script = "echo to-stdout; echo to-stderr >&2"
            let run2 = try await ChildProcess.run("/bin/sh", ["-c", script], environment: Self.environment,
                                                  output: .file(out), error: .file(err))
            #expect(run2 == .exited(0))
            #expect(try String(contentsOfFile: out, encoding: .utf8) == "to-stdout\n")
            #expect(try String(contentsOfFile: err, encoding: .utf8) == "to-stderr\n")

            // Append, and 2>&1.
            let run3 = try await ChildProcess.run("/bin/sh", ["-c", script], environment: Self.environment,
                                                  output: .file(out, append: true), error: .standardOutput)
            #expect(run3 == .exited(0))
            #expect(try String(contentsOfFile: out, encoding: .utf8) == "to-stdout\nto-stdout\nto-stderr\n")
            // Truncation.
            let run4 = try await ChildProcess.run("/bin/echo", ["new"], environment: [:], output: .file(out))
            #expect(run4 == .exited(0))
            #expect(try String(contentsOfFile: out, encoding: .utf8) == "new\n")
        }
    }

    @Test func theEnvironmentIsExactlyTheOneGiven() async throws {
        try await withScratch { folder in
            let out = folder.appendingPathComponent("env").path
            let termination = try await ChildProcess.run("/usr/bin/env", [], environment: ["ONLY": "this one", "EMPTY": ""],
                                                         output: .file(out))
            #expect(termination == .exited(0))
            let lines = Set(try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init))
            #expect(lines == ["ONLY=this one", "EMPTY="])
        }
    }

    @Test func theWorkingDirectoryIsSet() async throws {
        try await withScratch { folder in
            let out = folder.appendingPathComponent("pwd").path
            let sub = folder.appendingPathComponent("sub dir")
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
            let run5 = try await ChildProcess.run("/bin/pwd", ["-P"], directory: sub.path, environment: [:],
                                                  output: .file(out))
            #expect(run5 == .exited(0))
            let expected = sub.resolvingSymlinksInPath().path
            #expect(try String(contentsOfFile: out, encoding: .utf8) == expected + "\n")

            let missing = folder.appendingPathComponent("missing").path
            #expect(throws: ChildProcessError.self) {
                _ = try ChildProcess.spawn("/bin/pwd", [], directory: missing, environment: [:])
            }
        }
    }

    @Test func aMissingExecutableThrows() {
        #expect {
            _ = try ChildProcess.spawn("/no/such/program", [], environment: [:])
        } throws: { error in
            (error as? ChildProcessError)?.code == ENOENT
        }
    }

    @Test func aPipeDeliversTheFirstLineThenTheEnd() async throws {
        let lines = LineCollector()
        let child = try ChildProcess.spawn("/bin/sh", ["-c", "echo '{\"ready\": true}'; read answer; echo \"got $answer\""],
                                           environment: Self.environment, input: .pipe, output: .pipe { lines.receive($0) })
        // Synchronised on the output: the answer is written only after the first line arrived.
        #expect(await lines.line(0) == "{\"ready\": true}")
        try child.standardInput?.write("forty-two\n")
        #expect(await lines.line(1) == "got forty-two")
        #expect(await child.wait() == .exited(0))
        await child.waitForOutput()
        #expect(lines.ended)
        child.standardInput?.close()
    }

    @Test func writingToAChildThatStoppedReadingThrowsInsteadOfKillingUs() async throws {
        let child = try ChildProcess.spawn("/bin/true", [], environment: [:], input: .pipe)
        #expect(await child.wait() == .exited(0))
        #expect(throws: ChildProcessError.self) { try child.standardInput?.write(Array(repeating: 0x61, count: 1 << 20)) }
        child.standardInput?.close()
    }

    @Test func twoHundredConcurrentSpawnsAreAllReaped() async throws {
        let results = try await withThrowingTaskGroup(of: (pid_t, Termination).self) { group in
            for _ in 0..<200 {
                group.addTask {
                    let child = try ChildProcess.spawn("/bin/true", [], environment: [:])
                    return (child.pid, await child.wait())
                }
            }
            return try await group.reduce(into: [(pid_t, Termination)]()) { $0.append($1) }
        }
        #expect(results.count == 200)
        #expect(results.allSatisfy { $0.1 == .exited(0) })
        // Reaped: none is a child of ours any more (no zombie left).
        let unreaped = results.filter { pid, _ in
            var status: Int32 = 0
            return waitpid(pid, &status, WNOHANG) != -1 || errno != ECHILD
        }
        #expect(unreaped.isEmpty, "\(unreaped.map(\.0))")
    }

    @Test func noDescriptorIsLeakedOrInherited() async throws {
        try await withScratch { folder in
            let before = Self.openDescriptors()
            for round in 0..<100 {
                let lines = LineCollector()
                let child = try ChildProcess.spawn("/bin/sh", ["-c", "cat; echo done; echo oops >&2"], environment: Self.environment,
                                                   input: .pipe, output: .pipe { lines.receive($0) },
                                                   error: .file(folder.appendingPathComponent("err-\(round % 3)").path))
                try child.standardInput?.write("line \(round)\n")
                child.standardInput?.close()
                #expect(await child.wait() == .exited(0))
                await child.waitForOutput()
                #expect(lines.all == ["line \(round)", "done"])
            }
            let after = Self.openDescriptors()
            // 100 children with three redirections each: a leak of even one fd per child shows as +100.
            // The margin absorbs fds other suites running in this process open meanwhile.
            #expect(after.count - before.count < 50, "before \(before.count), after \(after.count)")

            // A child sees only 0, 1, 2 (plus the directory ls reads), not the pipes of a child still running.
            let holder = try ChildProcess.spawn("/bin/cat", [], environment: [:], input: .pipe, output: .pipe { _ in })
            let out = folder.appendingPathComponent("fds").path
            let run6 = try await ChildProcess.run("/bin/ls", ["/proc/self/fd"], environment: [:], output: .file(out))
            #expect(run6 == .exited(0))
            let fds = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").compactMap { Int($0) }
            #expect(fds.filter { $0 > 3 }.isEmpty && Set(fds).isSuperset(of: [0, 1, 2]), "\(fds)")
            holder.standardInput?.close()
            #expect(await holder.wait() == .exited(0))
            await holder.waitForOutput()
        }
    }

    // MARK: - Helpers

    static func openDescriptors() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
    }

    func withScratch(_ body: (URL) async throws -> Void) async throws {
        let folder = try Scratch.folder("child-process-tests")
        defer { Scratch.remove(folder) }
        try await body(folder)
    }
}

/// Splits pipe output into lines; `line(n)` waits until the n-th line arrived (or the pipe ended).
final class LineCollector: Sendable {
    private struct State {
        var buffer: [UInt8] = []
        var lines: [String] = []
        var ended = false
        var waiters: [(index: Int, continuation: CheckedContinuation<String?, Never>)] = []
    }

    private let state = Mutex(State())

    var all: [String] { state.withLock { $0.lines } }
    var ended: Bool { state.withLock { $0.ended } }

    func receive(_ event: PipeEvent) {
        let ready: [(CheckedContinuation<String?, Never>, String?)] = state.withLock { state in
            switch event {
            case .data(let bytes):
                state.buffer += bytes
                while let newline = state.buffer.firstIndex(of: 0x0A) {
                    state.lines.append(String(decoding: state.buffer[..<newline], as: UTF8.self))
                    state.buffer.removeSubrange(...newline)
                }
            case .end:
                state.ended = true
            }
            var ready: [(CheckedContinuation<String?, Never>, String?)] = []
            state.waiters.removeAll { waiter in
                if waiter.index < state.lines.count {
                    ready.append((waiter.continuation, state.lines[waiter.index]))
                    return true
                }
                if state.ended {
                    ready.append((waiter.continuation, nil))
                    return true
                }
                return false
            }
            return ready
        }
        for (continuation, line) in ready { continuation.resume(returning: line) }
    }

    func line(_ index: Int) async -> String? {
        await withCheckedContinuation { continuation in
            let now: String?? = state.withLock { state in
                if index < state.lines.count { return .some(state.lines[index]) }
                if state.ended { return .some(nil) }
                state.waiters.append((index, continuation))
                return .none
            }
            if let now { continuation.resume(returning: now) }
        }
    }
}
