import ChildProcess
import Crypto
import FixtureTesting
import Foundation
import SafeJSON
import Testing
@testable import FixtureRegistry
import HummingbirdTesting

/// Registry signatures (`dist.signatures`), key ids, `/-/npm/v1/keys` and rotation, checked with
/// swift-crypto and with the system `openssl` as an independent witness.
@Suite("Registry signing keys and signatures")
struct RegistrySigningTests {
    /// npm's 2022 public key, as the npm CLI's own tests record it (read at test time, not copied).
    static let npmKeysFile = Repository.vector("npm-real/keys/npm-v1-keys.npm-cli-test.json")

    @Test func keyIDReproducesNpmsRealKeyID() throws {
        let json = try JSONValue.parse(Data(contentsOf: Self.npmKeysFile))
        let entry = try #require(json["keys"]?.arrayValue?.first)
        let der = try #require(entry["key"]?.stringValue.flatMap { Data(base64Encoded: $0) })
        let key = try P256.Signing.PublicKey(derRepresentation: der)
        #expect(RegistryKeyring.keyID(of: key) == "SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA")
        #expect(RegistryKeyring.keyID(of: key) == entry["keyid"]?.stringValue)
    }

    @Test func signaturesVerifyWithSwiftCryptoAndOpenSSL() async throws {
        try await withPublishRegistry { registry, client in
            let keys = try await client.get("/-/npm/v1/keys").json()
            let listed = try #require(keys["keys"]?.arrayValue?.first)
            #expect(listed["expires"] == .null)
            #expect(listed["keytype"] == "ecdsa-sha2-nistp256")
            #expect(listed["scheme"] == "ecdsa-sha2-nistp256")
            let spki = try #require(listed["key"]?.stringValue)
            let publicKey = try P256.Signing.PublicKey(derRepresentation: try #require(Data(base64Encoded: spki)))
            #expect(listed["keyid"]?.stringValue == RegistryKeyring.keyID(of: publicKey))

            let token = try registry.storage.tokens.mint(user: "alice")
            let (manifest, tarball) = try makePackage("@scope/signed", "1.0.0")
            _ = try await client.put("/@scope%2fsigned", token: token, json: publishBody("@scope/signed", "1.0.0", tarball: tarball, manifest: manifest))
            let version = try await client.get("/@scope%2fsigned").json()[path: "versions", "1.0.0"]
            let integrity = try #require(version?[path: "dist", "integrity"]?.stringValue)
            let signature = try #require(version?[path: "dist", "signatures"]?.arrayValue?.first)
            #expect(signature["keyid"] == listed["keyid"])
            let der = try #require(signature["sig"]?.stringValue.flatMap { Data(base64Encoded: $0) })
            let message = Data("@scope/signed@1.0.0:\(integrity)".utf8)
            #expect(publicKey.isValidSignature(try P256.Signing.ECDSASignature(derRepresentation: der), for: message))
            #expect(!publicKey.isValidSignature(try P256.Signing.ECDSASignature(derRepresentation: der), for: Data("@scope/signed@1.0.1:\(integrity)".utf8)))

            let verdict = try await OpenSSLWitness.verify(spki: spki, signature: der, message: message)
            if let verdict { #expect(verdict.contains("Verified OK"), "\(verdict)") }
            // pacote's own check: node's crypto.createVerify('SHA256') with the key wrapped as npm wraps it.
            if let node = try await OpenSSLWitness.nodeVerify(spki: spki, signature: signature["sig"]?.stringValue ?? "",
                                                             message: "@scope/signed@1.0.0:\(integrity)") {
                #expect(node == "true", "node crypto said \(node)")
            }
        }
    }

    @Test func rotationKeepsOldSignaturesVerifiable() async throws {
        try withScratch { folder in
            let storage = try RegistryStorage(directory: folder, config: testConfig)
            let (first, firstTarball) = try makePackage("rotating", "1.0.0")
            let old = try storage.addVersion(manifest: first, tarball: firstTarball, tags: [])
            let oldKeyID = storage.keyring.currentKeyID
            let newKeyID = try RegistryStorage(directory: folder, config: testConfig).keyring.rotate()
            // A restarted registry sees the rotated keyring.
            let reopened = try RegistryStorage(directory: folder, config: testConfig)
            let (second, secondTarball) = try makePackage("rotating", "1.1.0")
            let new = try reopened.addVersion(manifest: second, tarball: secondTarball, tags: [])
            #expect(old[path: "dist", "signatures"]?.arrayValue?.first?["keyid"]?.stringValue == oldKeyID)
            #expect(new[path: "dist", "signatures"]?.arrayValue?.first?["keyid"]?.stringValue == newKeyID)
            let keys = reopened.keyring.publicKeys
            #expect(keys.map(\.keyid) == [oldKeyID, newKeyID])
            #expect(keys[0].expires != nil && keys[1].expires == nil)
            let oldKey = try P256.Signing.PublicKey(derRepresentation: try #require(Data(base64Encoded: keys[0].spki)))
            let sig = try #require(old[path: "dist", "signatures"]?.arrayValue?.first?["sig"]?.stringValue.flatMap { Data(base64Encoded: $0) })
            let integrity = try #require(old[path: "dist", "integrity"]?.stringValue)
            #expect(oldKey.isValidSignature(try P256.Signing.ECDSASignature(derRepresentation: sig), for: Data("rotating@1.0.0:\(integrity)".utf8)))
        }
    }
}

/// `openssl dgst -sha256 -verify` in a child process, off the cooperative pool.
enum OpenSSLWitness {
    static let executable: URL? = ["/usr/bin/openssl", "/usr/local/bin/openssl", "/opt/homebrew/bin/openssl"]
        .map { URL(fileURLWithPath: $0) }.first { FileManager.default.isExecutableFile(atPath: $0.path) }

    /// node's `crypto.createVerify('SHA256')` over `message` as pacote does it, or nil when node is absent.
    static func nodeVerify(spki: String, signature: String, message: String) async throws -> String? {
        let node = ["/usr/bin/node", "/usr/local/bin/node", "/opt/homebrew/bin/node"].map { URL(fileURLWithPath: $0) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
        guard let node else {
            print("skipping the node witness: node is not installed")
            return nil
        }
        let script = """
            const c = require('crypto'); const v = c.createVerify('SHA256'); v.write(process.env.MSG); v.end();
            process.stdout.write(String(v.verify('-----BEGIN PUBLIC KEY-----\\n' + process.env.KEY + '\\n-----END PUBLIC KEY-----', process.env.SIG, 'base64')))
            """
        return try await run(node, ["-e", script], environment: ["MSG": message, "KEY": spki, "SIG": signature])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs a tool with output to a file, waiting on ChildProcess's thread (off the cooperative pool).
    static func run(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil) async throws -> String {
        try await withScratch { folder in
            let out = folder.appendingPathComponent("out")
            let env = ProcessInfo.processInfo.environment.merging(environment ?? [:]) { $1 }
            let termination = try await ChildProcess.run(executable.path, arguments, environment: env, input: .null,
                                                         output: .file(out.path), error: .standardOutput)
            let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
            return termination.status == 0 ? text : "status \(termination.status): \(text)"
        }
    }

    /// openssl's output, or nil (with the reason printed) when openssl is absent.
    static func verify(spki: String, signature: Data, message: Data) async throws -> String? {
        guard let executable else {
            print("skipping the openssl witness: openssl is not installed")
            return nil
        }
        return try await withScratch { folder in
            let pem = folder.appendingPathComponent("key.pem"), sig = folder.appendingPathComponent("sig.der")
            let msg = folder.appendingPathComponent("message"), out = folder.appendingPathComponent("out")
            try Data("-----BEGIN PUBLIC KEY-----\n\(spki)\n-----END PUBLIC KEY-----\n".utf8).write(to: pem)
            try signature.write(to: sig)
            try message.write(to: msg)
            let termination = try await ChildProcess.run(
                executable.path, ["dgst", "-sha256", "-verify", pem.path, "-signature", sig.path, msg.path],
                environment: ProcessInfo.processInfo.environment, input: .null, output: .file(out.path), error: .standardOutput)
            let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
            return "status \(termination.status): \(text)"
        }
    }
}
