import FixtureTesting
import Foundation
import SafeJSON
import Testing

@testable import FixtureSigstore

/// An independent witness: the sigstore-js inside the real npm CLI (`@sigstore/verify`'s
/// `verifyTLogTimestamp` and `verifyTLogBody`, the code `npm audit signatures` runs) checks our
/// log's entries, and refuses them when the SET, a proof hash or the checkpoint is altered.
/// Skips with a printed reason when node/npm are absent, unless `REQUIRE_NPM=1`.
@Suite struct SigstoreJSWitnessTests {
    static let script = #"""
    const input = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
    const base = process.argv[3] + '/';
    const { TrustedRoot, TransparencyLogEntry, Envelope } = require(base + '@sigstore/protobuf-specs');
    const { toTrustMaterial } = require(base + '@sigstore/verify');
    const { verifyTLogTimestamp } = require(base + '@sigstore/verify/dist/timestamp');
    const { verifyTLogBody } = require(base + '@sigstore/verify/dist/tlog');
    const { DSSESignatureContent } = require(base + '@sigstore/verify/dist/bundle/dsse');
    const trust = toTrustMaterial(TrustedRoot.fromJSON(input.trustedRoot));
    const results = input.cases.map(({ name, tlogEntry, envelope }) => {
      try {
        const entry = TransparencyLogEntry.fromJSON(tlogEntry);
        verifyTLogTimestamp(entry, trust.tlogs);
        verifyTLogBody(entry, new DSSESignatureContent(Envelope.fromJSON(envelope)));
        return { name, ok: true };
      } catch (error) {
        return { name, ok: false, error: String(error.code || '') + ' ' + error.message };
      }
    });
    console.log(JSON.stringify(results));
    """#

    @Test(.requires(.npmModule("@sigstore/verify")))
    func npmsSigstoreJSVerifiesOurEntriesAndRefusesAlteredOnes() async throws {
        let modules = try #require(await NpmInstallation.modules())
        let signer = RekorTestSigner()
        let log = try RekorLog(configuration: .init(indexOffset: 1000), clock: { RekorConsumer.pinnedNow })
        let dsse = try signer.envelope(#"{"_type":"https://in-toto.io/Statement/v1","n":1}"#)
        let intoto = try signer.envelope(#"{"_type":"https://in-toto.io/Statement/v0.1","n":2}"#, keyid: "SHA256:fixture")
        let first = try log.append(proposedEntry: try dsse.dsseProposal(verifierPEM: try signer.certificatePEM()))
        for number in 0..<4 { _ = try log.append(proposedEntry: try signer.envelope("{\"filler\":\(number)}").dsseProposal(verifierPEM: signer.publicKeyPEM)) }
        let second = try log.append(proposedEntry: try intoto.intotoProposal(publicKeyPEM: signer.publicKeyPEM))
        let dsseEntry = try log.entry(logIndex: first.logIndex).bundleTlogEntry
        let intotoEntry = second.bundleTlogEntry

        func envelope(_ e: RekorTestEnvelope) throws -> JSONValue { try JSONValue.parse(Data(e.jsonText.utf8)) }
        var cases: [JSONValue] = [
            ["name": "dsse", "tlogEntry": dsseEntry, "envelope": try envelope(dsse)],
            ["name": "intoto", "tlogEntry": intotoEntry, "envelope": try envelope(intoto)],
        ]
        for mutation in [RekorConsumerTests.Mutation.signedEntryTimestamp, .proofHash, .checkpointSignature, .logIndex] {
            cases.append(["name": .string("bad-\(mutation.rawValue)"), "tlogEntry": try RekorConsumerTests.apply(mutation, to: dsseEntry),
                          "envelope": try envelope(dsse)])
        }
        cases.append(["name": "bad-body-for-other-envelope", "tlogEntry": dsseEntry, "envelope": try envelope(intoto)])

        let folder = try Scratch.folder("sigstore-js-witness")
        defer { Scratch.remove(folder) }
        let input: JSONValue = ["trustedRoot": try JSONValue.parse(try RekorConsumer.trustedRootJSON(log)), "cases": .array(cases)]
        try input.serialized().write(to: folder.appendingPathComponent("input.json"))
        try Data(Self.script.utf8).write(to: folder.appendingPathComponent("witness.js"))

        let node = try #require(ProcessRunner.which("node"))
        let run = try await ProcessRunner.run(node, [folder.appendingPathComponent("witness.js").path,
                                                     folder.appendingPathComponent("input.json").path, modules.path])
        #expect(run.status == 0, "node: \(run.stderr)")
        let results = try #require(try JSONValue.parse(Data(run.stdout.utf8)).arrayValue)
        #expect(results.count == cases.count)
        for result in results {
            let name = result["name"]?.stringValue ?? "?"
            let ok = result["ok"]?.boolValue ?? false
            #expect(ok == !name.hasPrefix("bad-"), "\(name): \(result["error"]?.stringValue ?? "accepted")")
        }
    }
}
