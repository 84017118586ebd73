import FixtureTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import OpenSSLCrypto
import SafeJSON
import SigstoreVerify
import Testing

@testable import FixtureSigstore

/// npm's own Rekor client (`@sigstore/sign` `RekorWitness`, the code `npm publish --provenance`
/// runs) logs DSSE envelopes in our live log as `dsse` and `intoto` entries; the tlog entries it
/// builds from our HTTP answers verify with npm's `@sigstore/verify` and with our OpenSSL consumer.
/// Skips with a printed reason when node/npm are absent, unless `REQUIRE_NPM=1`.
@Suite struct SigstoreJSClientTests {
    static let script = #"""
    const input = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
    const base = process.argv[3] + '/';
    const crypto = require('crypto');
    const { RekorWitness } = require(base + '@sigstore/sign');
    const { TrustedRoot, TransparencyLogEntry, Envelope } = require(base + '@sigstore/protobuf-specs');
    const { toTrustMaterial } = require(base + '@sigstore/verify');
    const { verifyTLogTimestamp } = require(base + '@sigstore/verify/dist/timestamp');
    const { verifyTLogBody } = require(base + '@sigstore/verify/dist/tlog');
    const { DSSESignatureContent } = require(base + '@sigstore/verify/dist/bundle/dsse');
    const trust = toTrustMaterial(TrustedRoot.fromJSON(input.trustedRoot));

    (async () => {
      const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const pem = publicKey.export({ type: 'spki', format: 'pem' });
      const results = [];
      for (const entryType of ['dsse', 'intoto']) {
        const payload = Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', entryType }));
        const payloadType = 'application/vnd.in-toto+json';
        const pae = Buffer.concat([Buffer.from(`DSSEv1 ${payloadType.length} ${payloadType} ${payload.length} `), payload]);
        const sig = crypto.sign('sha256', pae, privateKey);
        const dsseEnvelope = { payload, payloadType, signatures: [{ sig, keyid: '' }] };
        const witness = new RekorWitness({ rekorBaseURL: input.rekorURL, entryType, retry: 0, timeout: 10000 });
        const material = await witness.testify({ $case: 'dsseEnvelope', dsseEnvelope }, pem);
        const entry = material.tlogEntries[0];
        verifyTLogTimestamp(entry, trust.tlogs);
        verifyTLogBody(entry, new DSSESignatureContent(dsseEnvelope));
        results.push({ entryType, tlogEntry: TransparencyLogEntry.toJSON(entry), envelope: Envelope.toJSON(dsseEnvelope) });
      }
      // The same entry again: Rekor answers 409, which npm treats as fatal.
      try {
        const witness = new RekorWitness({ rekorBaseURL: input.rekorURL, entryType: 'dsse', retry: 0 });
        const again = results[0].envelope;
        await witness.testify({ $case: 'dsseEnvelope', dsseEnvelope: Envelope.fromJSON(again) }, pem);
        results.push({ conflict: 'accepted' });
      } catch (error) {
        results.push({ conflict: String(error.code) + ' ' + error.message + ' ' + (error.cause ? error.cause.message : '') });
      }
      console.log(JSON.stringify({ pem, results }));
    })().catch((error) => { console.error(error); process.exit(1); });
    """#

    @Test(.requires(.npmModule("@sigstore/verify"), .npmModule("@sigstore/sign")))
    func npmsRekorClientLogsInOurLogAndItsEntriesVerifyBothWays() async throws {
        let modules = try #require(await NpmInstallation.modules())
        let node = try #require(ProcessRunner.which("node"))
        let log = try RekorLog(configuration: .init(indexOffset: 7), clock: { RekorConsumer.pinnedNow })
        let router = Router()
        log.addRoutes(to: router, prefix: "/rekor")
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        let folder = try Scratch.folder("sigstore-js-client")
        defer { Scratch.remove(folder) }
        let trustedRoot = try JSONValue.parse(try RekorConsumer.trustedRootJSON(log))

        try await app.test(.live) { client in
            let port = try #require(client.port)
            let input: JSONValue = ["trustedRoot": trustedRoot, "rekorURL": .string("http://127.0.0.1:\(port)/rekor")]
            try input.serialized().write(to: folder.appendingPathComponent("input.json"))
            try Data(Self.script.utf8).write(to: folder.appendingPathComponent("client.js"))
            let run = try await ProcessRunner.run(node, [folder.appendingPathComponent("client.js").path,
                                                         folder.appendingPathComponent("input.json").path, modules.path],
                                                  environment: ["NO_PROXY": "*", "no_proxy": "*"], isolatedHome: true)
            try #require(run.status == 0, "node: \(run.stderr)")
            let output = try JSONValue.parse(Data(run.stdout.utf8))
            let results = try #require(output["results"]?.arrayValue)
            try #require(results.count == 3)
            #expect(log.treeSize == 2)
            for (index, result) in results.prefix(2).enumerated() {
                let tlog = try #require(result["tlogEntry"])
                #expect(tlog["kindVersion"]?["kind"]?.stringValue == (index == 0 ? "dsse" : "intoto"))
                #expect(tlog["logIndex"]?.stringValue == String(7 + index))
                _ = try RekorConsumer.verify(tlog, log: log)
                let entry = try RekorConsumer.entry(tlog)
                let envelope = try RekorTestEnvelope(json: try #require(result["envelope"]))
                let key = try PublicKey(pem: try #require(output["pem"]?.stringValue))
                try TlogBodyCheck().verify(entry, content: try envelope.model(), leaf: nil, key: key)
            }
            let conflict = results[2]["conflict"]?.stringValue ?? ""
            #expect(conflict.hasPrefix("TLOG_CREATE_ENTRY_ERROR") && conflict.contains("(409)"), "second upload: \(conflict)")
        }
    }
}
