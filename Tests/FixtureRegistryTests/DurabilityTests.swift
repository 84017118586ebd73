import Crypto
import FixtureTesting
import Foundation
import NpmModel
import NpmVerify
import SafeJSON
import Testing
@testable import FixtureRegistry

#if canImport(Glibc)
import Glibc
import CurlTransport
#endif

/// A registry killed with SIGKILL at random moments during a stream of publishes restarts
/// with every packument valid and every acknowledged version present, hashed and signed.
@Suite("Durability: SIGKILL during publishes", .serialized)
struct DurabilityTests {
    static let kills = 6
    static let publishers = 4
    /// Publishes the run must have acknowledged before it ends, to mean anything.
    static let minimumPublishes = 20

    @Test(.timeLimit(.minutes(5)))
    func sigkillDuringPublishesLosesNoAcknowledgedVersion() async throws {
        let binary = try Products.executable("fixture-registry")
        try await withScratch { folder in
            let storage = folder.appendingPathComponent("storage")
            // Token minted before the registry starts; the child reads it from the same folder.
            let token = try RegistryStorage(directory: storage, config: RegistryConfig()).tokens.mint(user: "durable")
            let arguments = ["--storage", storage.path, "--no-seed", "--port", "0", "--log-level", "warning",
                             "--config", folder.appendingPathComponent("no-config.json").path]
            let log = folder.appendingPathComponent("serve.log")
            let client = try CurlClient(transferTimeout: .seconds(30))
            defer { client.shutdown() }

            let current = Locked<String?>(nil)
            let stop = Locked(false)
            let acknowledgedSoFar = Locked(0)
            let running = Locked(try await ServeProcess.start(binary, arguments, stderr: log))
            current.value = running.value.registry

            let outcomes = await withTaskGroup(of: PublisherOutcome.self) { group in
                for index in 0..<Self.publishers {
                    group.addTask {
                        await Self.publish(index: index, token: token, client: client, current: current, stop: stop,
                                           acknowledgedSoFar: acknowledgedSoFar)
                    }
                }
                group.addTask {
                    // The killer: SIGKILL at a random moment, restart on the same storage, several times.
                    var generator = SystemRandomNumberGenerator()
                    var acknowledgedAtLastRestart = 0
                    for _ in 0..<Self.kills {
                        // Mid-stream on any machine: after a random number of publishes the restarted
                        // server acknowledged (a random time could pass with none on a loaded machine).
                        let kickoff = acknowledgedAtLastRestart + Int.random(in: 1...8, using: &generator)
                        await Self.waitUntil(acknowledgedSoFar, reaches: kickoff)
                        current.value = nil
                        await running.value.stop(signal: SIGKILL)
                        do {
                            let restarted = try await ServeProcess.start(binary, arguments, stderr: log)
                            running.value = restarted
                            acknowledgedAtLastRestart = acknowledgedSoFar.value
                            current.value = restarted.registry
                        } catch {
                            stop.value = true
                            return PublisherOutcome(failures: ["restart failed: \(error)"])
                        }
                    }
                    // End on a state, not after a fixed time: enough publishes in all, and some acknowledged
                    // by the restarted server (however slow the machine); the deadline is only a safety net.
                    await Self.waitUntil(acknowledgedSoFar, reaches: max(Self.minimumPublishes, acknowledgedAtLastRestart + Self.publishers))
                    stop.value = true
                    return PublisherOutcome()
                }
                return await group.reduce(into: PublisherOutcome()) { $0.merge($1) }
            }
            let server = running.value
            #expect(outcomes.failures.isEmpty, "\(outcomes.failures.prefix(5))")
            #expect(outcomes.count >= Self.minimumPublishes, "too few publishes to mean anything: \(outcomes.count)")

            // The server checked was restarted after the last SIGKILL, which came mid-stream.
            let report: Report
            do {
                report = try await Self.verify(registry: server.registry, storage: storage, client: client,
                                               acknowledged: outcomes.acknowledged)
            } catch {
                await server.stop(signal: SIGKILL)
                throw error
            }
            #expect(await server.stop() == 0, "a clean shutdown on SIGTERM")
            #expect(report.lost.isEmpty, "acknowledged but missing after restart: \(report.lost)")
            #expect(report.problems.isEmpty, "\(report.problems.prefix(10))")
            print("durability: publishes acknowledged=\(outcomes.count) attempts unacknowledged=\(outcomes.unacknowledged) "
                  + "kills=\(Self.kills) packuments=\(report.packuments) versions checked=\(report.versionsChecked) "
                  + "lost=\(report.lost.count)")
        }
    }

    @Test func atomicWriteCreatesFoldersReplacesWholeFilesAndLeavesNoTemporaries() async throws {
        try withScratch { folder in
            let file = folder.appendingPathComponent("a/b/c/packument.json")
            try AtomicFile.write(Data("first".utf8), to: file)
            try AtomicFile.write(Data("second, longer".utf8), to: file)
            #expect(try Data(contentsOf: file) == Data("second, longer".utf8))
            let siblings = try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path)
            #expect(siblings == ["packument.json"], "no temporary file is left beside it: \(siblings)")
            #expect(throws: RegistryError.self) { try AtomicFile.write(Data(), to: URL(fileURLWithPath: "/proc/version/x")) }
        }
    }

    // MARK: - Publishing

    struct PublisherOutcome: Sendable {
        var acknowledged: [String: Set<String>] = [:]
        var unacknowledged = 0
        var failures: [String] = []

        var count: Int { acknowledged.values.reduce(0) { $0 + $1.count } }

        mutating func merge(_ other: PublisherOutcome) {
            acknowledged.merge(other.acknowledged) { $0.union($1) }
            unacknowledged += other.unacknowledged
            failures += other.failures
        }
    }

    /// Waits for the count of acknowledged publishes to reach `target` (the event); the 120 s
    /// deadline is only a safety net, and the short sleep only paces the polling.
    static func waitUntil(_ counter: Locked<Int>, reaches target: Int) async {
        let deadline = ContinuousClock.now + .seconds(120)
        while counter.value < target && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))  // paces polling of a counter; the event ends it
        }
    }

    /// Publishes new versions in a loop until told to stop; two publishers share each package.
    static func publish(index: Int, token: String, client: CurlClient, current: Locked<String?>,
                        stop: Locked<Bool>, acknowledgedSoFar: Locked<Int>) async -> PublisherOutcome {
        var outcome = PublisherOutcome()
        let name = "durable-\(index % 2)"
        var patch = 0
        while !stop.value {
            guard let registry = current.value else {
                try? await Task.sleep(for: .milliseconds(20))  // pacing while the registry restarts; nothing asserts on it
                continue
            }
            let version = "\(index + 1).0.\(patch)"
            patch += 1
            do {
                let (manifest, tarball) = try makePackage(name, version)
                let body = try NpmPublishBody.make(manifest: manifest.objectValue ?? [:], tarball: tarball, tags: ["latest"])
                let response = try await client.send("PUT", registry + name, token: token, json: .object(body))
                if response.status == 201 {
                    outcome.acknowledged[name, default: []].insert(version)
                    acknowledgedSoFar.withLock { $0 += 1 }
                } else {
                    outcome.failures.append("\(name)@\(version): HTTP \(response.status) \(String(decoding: response.body, as: UTF8.self))")
                }
            } catch {
                // The registry died mid-request: the version may or may not be stored.
                outcome.unacknowledged += 1
                try? await Task.sleep(for: .milliseconds(20))  // pacing retries against a dead registry; nothing asserts on it
            }
        }
        return outcome
    }

    // MARK: - Checking

    struct Report {
        var packuments = 0
        var versionsChecked = 0
        var lost: [String] = []
        var problems: [String] = []
    }

    /// Reads every packument from disk and over HTTP; checks every listed version's tarball and signature.
    static func verify(registry: String, storage: URL, client: CurlClient,
                       acknowledged: [String: Set<String>]) async throws -> Report {
        var report = Report()
        let keysResponse = try await client.get(registry + "-/npm/v1/keys")
        let verifier = RegistrySignatureVerifier(keys: try RegistryKey.parseRegistryKeys(keysResponse.body))
        for name in acknowledged.keys.sorted() {
            let file = storage.appendingPathComponent("packages/\(name)/packument.json")
            guard let onDisk = try? Data(contentsOf: file), (try? JSONValue.parse(onDisk))?.objectValue != nil else {
                report.problems.append("\(file.path) is missing or not JSON")
                continue
            }
            report.packuments += 1
            let response = try await client.get(registry + name)
            guard response.status == 200, let packument = try? JSONValue.parse(response.body),
                  let versions = packument["versions"]?.objectValue else {
                report.problems.append("\(name): HTTP \(response.status), not a packument")
                continue
            }
            for version in acknowledged[name] ?? [] where versions[version] == nil { report.lost.append("\(name)@\(version)") }
            for (version, document) in versions {
                report.versionsChecked += 1
                if let problem = try await check(name, version, document, client: client, verifier: verifier) {
                    report.problems.append(problem)
                }
            }
        }
        return report
    }

    /// nil when the tarball matches `dist.integrity` and every signature verifies.
    static func check(_ name: String, _ version: String, _ document: JSONValue, client: CurlClient,
                      verifier: RegistrySignatureVerifier) async throws -> String? {
        guard let integrity = document[path: "dist", "integrity"]?.stringValue,
              let url = document[path: "dist", "tarball"]?.stringValue,
              let signatures = document[path: "dist", "signatures"] else { return "\(name)@\(version): dist incomplete" }
        let tarball = try await client.get(url, accept: "*/*")
        let actual = "sha512-" + Data(SHA512.hash(data: tarball.body)).base64EncodedString()
        guard tarball.status == 200, actual == integrity else {
            return "\(name)@\(version): tarball HTTP \(tarball.status), \(actual) instead of \(integrity)"
        }
        do {
            let decoded = try JSONDecoder().decode([RegistrySignature].self, from: signatures.serialized())
            // No key of this registry expires, so the publish time does not matter.
            try verifier.verify(name: name, version: version, integrity: integrity, signatures: decoded, publishTime: nil)
        } catch {
            return "\(name)@\(version): \(error)"
        }
        return nil
    }
}
