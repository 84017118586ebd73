import ArgumentParser
import FoundationEssentials
import Glibc
import SigstoreModels
import SigstoreVerify

/// `verify-bench floor`: the cryptography a tree's full verification needs, counted from the
/// tree's own attestation responses and timed per operation with the OpenSSL the consumer uses.
struct FloorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "floor",
        abstract: "Count and time the signature verifications a tree's full verification needs.",
        discussion: """
            Reads one attestations response per package (every *.json file in <attestations>), counts \
            each verification the consumer must do (Fulcio leaf under its issuer, with a P-384 issuer's \
            prepared key as the consumer does, each distinct \
            authority chain link once, SCTs, SETs, checkpoint signatures, DSSE signatures, one \
            registry signature per package), times one real instance of each kind with OpenSSLCrypto \
            (every timed instance must verify; the time is this thread's CPU time), and prints {"packages", "bundles", "operations": \
            [{"label", "count", "seconds_each", "seconds"}], "serial_seconds"}: one core's floor.
            """)

    @Option(help: ArgumentHelp("trusted_root.json of the world that signed the tree.", valueName: "file"))
    var trustedRoot: String

    @Option(help: ArgumentHelp("The registry's /-/npm/v1/keys response.", valueName: "file"))
    var registryKeys: String

    @Option(help: ArgumentHelp("One registry signature of the tree: {\"keyid\", \"sig\", \"message\"}.", valueName: "file"))
    var registrySignature: String

    @Option(help: ArgumentHelp("Seconds of timing per operation kind.", valueName: "s"))
    var seconds: Double = 0.25

    @Argument(help: ArgumentHelp("A folder of attestations responses, one per installed package.", valueName: "folder"))
    var attestations: String

    func run() throws {
        let trusted: TrustedMaterial
        let rootJSON = try BundleThroughput.read(trustedRoot, what: "trusted root")  // its own message: not wrapped again
        do { trusted = try TrustedMaterial(jsonData: rootJSON) } catch {
            throw BundleThroughput.fail("trusted root \(trustedRoot) refused: \(error)", code: 2)
        }
        let files: [String]
        do { files = try FileManager.default.contentsOfDirectory(atPath: attestations).filter { $0.hasSuffix(".json") }.sorted() } catch {
            throw BundleThroughput.fail("cannot list the attestations folder \(attestations)", code: 2)
        }
        guard !files.isEmpty else { throw BundleThroughput.fail("\(attestations) holds no attestations responses (*.json)", code: 2) }
        var census = FloorCensus(trusted: trusted, keys: try FloorCensus.registryKeys(BundleThroughput.read(registryKeys, what: "registry keys")))
        for file in files {
            do { try census.add(response: try BundleThroughput.read("\(attestations)/\(file)", what: "attestations")) } catch {
                throw BundleThroughput.fail("\(attestations)/\(file): \(error)", code: 1)
            }
        }
        try census.addRegistrySignatures(sample: BundleThroughput.read(registrySignature, what: "registry signature"), count: files.count)
        var rows: [FloorSummary.Row] = []
        var serial = 0.0
        for operation in census.finished() {
            let each = try OperationTimer.secondsEach(operation.label, seconds: seconds, operation.sample)
            rows.append(.init(label: operation.label, count: operation.count, secondsEach: each, seconds: each * Double(operation.count)))
            serial += each * Double(operation.count)
        }
        let summary = FloorSummary(packages: files.count, bundles: census.bundles, operations: rows, serialSeconds: serial)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(summary), as: UTF8.self))
    }
}

/// Times one operation in this thread's CPU time (so that other processes on a loaded machine
/// do not inflate it): the median of five batches, each at least a fifth of the budget.
enum OperationTimer {
    static func secondsEach(_ label: String, seconds: Double, _ operation: () throws -> Bool) throws -> Double {
        guard try operation() else { throw BundleThroughput.fail("the timed instance of \(label) does not verify", code: 1) }
        var batch = 1
        while true {
            let elapsed = try time(batch, label, operation)
            if elapsed >= seconds / 5 || batch >= 1 << 20 { break }
            batch *= 2
        }
        var each: [Double] = []
        for _ in 0..<5 { each.append(try time(batch, label, operation) / Double(batch)) }
        return each.sorted()[2]
    }

    static func time(_ count: Int, _ label: String, _ operation: () throws -> Bool) throws -> Double {
        let start = threadCPUSeconds()
        for _ in 0..<count where try !operation() {
            throw BundleThroughput.fail("the timed instance of \(label) stopped verifying", code: 1)
        }
        return threadCPUSeconds() - start
    }

    static func threadCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}

/// The floor's JSON line (keys sorted, as `JSONSerialization` wrote them before).
struct FloorSummary: Encodable {
    struct Row: Encodable {
        let label: String
        let count: Int
        let secondsEach: Double
        let seconds: Double

        enum CodingKeys: String, CodingKey { case label, count, secondsEach = "seconds_each", seconds }
    }

    let packages: Int
    let bundles: Int
    let operations: [Row]
    let serialSeconds: Double

    enum CodingKeys: String, CodingKey { case packages, bundles, operations, serialSeconds = "serial_seconds" }
}
