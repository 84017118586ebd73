import Foundation
import SafeJSON

/// The registry's own npm publish attestation (§2.8): an in-toto v0.1 statement
/// naming the tarball by purl and SHA-512, in a DSSE envelope signed over the PAE
/// by the registry key, wrapped in a v0.1 Sigstore bundle of the public-key form
/// (`verificationMaterial.publicKey.hint` = the key id).
///
/// With a transparency log (the fixture world's Rekor) the envelope is logged and the bundle
/// carries that entry, as npm's registry's do; without one `tlogEntries` is empty.
enum PublishAttestation {
    static let predicateType = "https://github.com/npm/attestation/tree/main/specs/publish/v0.1"
    static let payloadType = "application/vnd.in-toto+json"
    static let bundleMediaType = "application/vnd.dev.sigstore.bundle+json;version=0.1"

    /// npm-package-arg's purl: `pkg:npm/%40scope/name@1.0.0` (a leading `@` becomes `%40`).
    static func purl(_ name: PackageName, version: String) -> String {
        "pkg:npm/" + (name.scope.map { "%40\($0)/\(name.unscoped)" } ?? name.unscoped) + "@" + version
    }

    /// The statement for one published version.
    static func statement(name: PackageName, version: String, sha512Hex: String, registry: String) -> JSONValue {
        [
            "_type": "https://in-toto.io/Statement/v0.1",
            "subject": [["name": .string(purl(name, version: version)), "digest": ["sha512": .string(sha512Hex)]]],
            "predicateType": .string(predicateType),
            "predicate": ["name": .string(name.description), "version": .string(version), "registry": .string(registry)],
        ]
    }

    /// DSSE's pre-authentication encoding: `DSSEv1 <len> <type> <len> <body>`.
    static func pae(type: String, body: Data) -> Data {
        Data("DSSEv1 \(type.utf8.count) \(type) \(body.count) ".utf8) + body
    }

    /// The signed bundle, as `GET /-/npm/v1/attestations/…` serves it.
    static func bundle(name: PackageName, version: String, sha512Hex: String, registry: String,
                       keyring: RegistryKeyring, log: (any AttestationTransparencyLog)? = nil) throws(RegistryError) -> JSONValue {
        let payload: Data
        do { payload = try statement(name: name, version: version, sha512Hex: sha512Hex, registry: registry).serialized() } catch {
            throw .storage(path: "attestations", reason: "cannot serialise the publish statement of \(name)@\(version): \(error)")
        }
        let (keyid, signature) = try keyring.sign(pae(type: payloadType, body: payload))
        let envelope: JSONValue = [
            "payload": .string(payload.base64EncodedString()),
            "payloadType": .string(payloadType),
            "signatures": [["sig": .string(signature), "keyid": .string(keyid)]],
        ]
        var entries: [JSONValue] = []
        if let log {
            guard let key = keyring.publicKeys.first(where: { $0.keyid == keyid }) else {
                throw .storage(path: "keys", reason: "the signing key \(keyid) is not among the registry's public keys")
            }
            do { entries.append(try log.logEntry(envelope: envelope, publicKeyPEM: pem(spki: key.spki))) } catch {
                throw .storage(path: "transparency log", reason: "cannot log the publish attestation of \(name)@\(version): \(error)")
            }
        }
        return [
            "mediaType": .string(bundleMediaType),
            "verificationMaterial": ["publicKey": ["hint": .string(keyid)], "tlogEntries": .array(entries)],
            "dsseEnvelope": envelope,
        ]
    }

    /// A base64 DER SubjectPublicKeyInfo as PEM (64-column lines), the form Rekor stores.
    static func pem(spki: String) -> String {
        var lines: [Substring] = []
        var rest = Substring(spki)
        while !rest.isEmpty { lines.append(rest.prefix(64)); rest = rest.dropFirst(64) }
        return "-----BEGIN PUBLIC KEY-----\n" + lines.joined(separator: "\n") + "\n-----END PUBLIC KEY-----\n"
    }

    /// The attestations document of one version: the publish attestation and, if given, the provenance bundle.
    static func document(publish: JSONValue, provenance: JSONValue?) -> JSONValue {
        var list: [JSONValue] = [["predicateType": .string(predicateType), "bundle": publish]]
        if let provenance {
            list.append(["predicateType": .string(provenancePredicateType(of: provenance)), "bundle": provenance])
        }
        return ["attestations": .array(list)]
    }

    /// The predicate type inside a provenance bundle's DSSE payload (SLSA v1 when unreadable).
    static func provenancePredicateType(of bundle: JSONValue) -> String {
        guard let payload = bundle[ "dsseEnvelope"]?["payload"]?.stringValue, let data = Data(base64Encoded: payload),
              let type = (try? JSONValue.parse(data))?["predicateType"]?.stringValue else { return "https://slsa.dev/provenance/v1" }
        return type
    }
}
