import ArgumentParser
import FoundationEssentials
import OpenSSLCrypto
import SigstoreModels
import SigstoreVerify

/// Counts the signature verifications a set of attestation responses needs, by kind, keeping
/// one real instance of each kind to time. Mirrors what `BundleVerifier` checks per bundle.
struct FloorCensus {
    /// One kind of verification: how many the tree needs and one instance of it.
    struct Operation {
        let label: String
        var count: Int
        let sample: () throws -> Bool
    }

    let trusted: TrustedMaterial
    let keys: [String: PublicKey]
    private(set) var bundles = 0
    private var operations: [String: Operation] = [:]
    private var order: [String] = []
    /// Authorities whose chain links a run verifies once.
    private var authoritiesUsed = Set<Int>()
    /// The prepared key (`RepeatedKeyVerifier`) of each authority whose P-384 issuer signed leaves.
    private var preparedIssuers: [Int: RepeatedKeyVerifier] = [:]
    /// Leaves counted per authority, as the consumer counts its issuer key's uses.
    private var leavesByIssuer: [Int: Int] = [:]
    /// Signatures counted per key (by its SPKI bytes), and one sample per signature kind.
    private var keyUses: [[UInt8]: Int] = [:]
    private var signedSamples: [String: SignedSample] = [:]

    init(trusted: TrustedMaterial, keys: [String: PublicKey]) {
        self.trusted = trusted
        self.keys = keys
    }

    /// `/-/npm/v1/keys` as keyid → key.
    static func registryKeys(_ data: Data) throws -> [String: PublicKey] {
        var keys: [String: PublicKey] = [:]
        for key in try JSONField.parse(data).required("keys").array() {
            keys[try key.required("keyid").string()] = try PublicKey(spkiDER: try key.required("key").base64())
        }
        return keys
    }

    static func kind(_ key: PublicKey) -> String {
        switch key.kind {
        case .ecdsa(let curve): curve == "prime256v1" ? "ECDSA P-256" : curve == "secp384r1" ? "ECDSA P-384" : "ECDSA \(curve)"
        case .ed25519: "Ed25519"
        case .rsa(let bits): "RSA-\(bits)"
        case .other(let name): name
        }
    }

    mutating func count(_ label: String, _ sample: @escaping () throws -> Bool) {
        if operations[label] == nil { order.append(label); operations[label] = Operation(label: label, count: 0, sample: sample) }
        operations[label]!.count += 1
    }

    /// One signature under `key` (`role` tells keys of one kind apart: a registry's from each
    /// Fulcio leaf's). How it is timed is settled in `finished()`, as the consumer verifies it: a
    /// key that verifies `PublicKey.preparationThreshold` signatures is prepared at its
    /// `preparationThresholdWhenExpected`-th one (the consumer plans the tree first).
    mutating func countSignature(_ what: String, key: PublicKey, role: String? = nil, signature: [UInt8], message: [UInt8],
                                 digest: DigestAlgorithm?) {
        let label = "\(what) (\(Self.kind(key))\(role.map { ", " + $0 } ?? ""))"
        keyUses[key.spkiDER, default: 0] += 1  // by key bytes: two objects of one key count together, as in the consumer
        if signedSamples[label] == nil { signedSamples[label] = SignedSample(key: key, signature: signature, message: message, digest: digest) }
        count(label) { false }  // replaced in finished()
    }

    /// A signature sample whose timing depends on how often the tree uses its key.
    struct SignedSample {
        let key: PublicKey, signature: [UInt8], message: [UInt8], digest: DigestAlgorithm?
    }

    /// The rows for one signature kind. Under a key the tree uses fewer times than the threshold,
    /// all plain; else, as the consumer that planned the tree told the key (`expectVerifications`),
    /// its first `preparationThresholdWhenExpected` - 1 verifications plain (this kind's share of
    /// them), the rest prepared, and the key's preparation once.
    private func settled(_ operation: Operation, _ sample: SignedSample, plainShare: Int, prepared keys: inout Set<[UInt8]>) -> [Operation] {
        let key = sample.key, uses = keyUses[key.spkiDER] ?? 0
        let plain = Operation(label: operation.label, count: operation.count) {
            guard let digest = sample.digest else { return key.verify(signature: sample.signature, message: sample.message, digest: nil) }
            return key.verify(signature: sample.signature, prehashedDigest: Digest.hash(digest, sample.message), algorithm: digest)
        }
        guard let digest = sample.digest, let threshold = key.preparationThreshold, uses >= threshold,
              let prepared = RepeatedKeyVerifier(key) else { return [plain] }
        var rows = [Operation(label: "\(operation.label) with the key prepared", count: operation.count - plainShare) {
            prepared.verify(signature: sample.signature, digest: Digest.hash(digest, sample.message))
        }]
        if plainShare > 0 { rows.append(Operation(label: "\(operation.label) before the key is prepared", count: plainShare, sample: plain.sample)) }
        if keys.insert(key.spkiDER).inserted {
            rows.append(Operation(label: "preparing the \(operation.label) key, once per key", count: 1) { RepeatedKeyVerifier(key) != nil })
        }
        return rows
    }

    /// The operations in first-seen order, with the authority chain links (once per authority used).
    mutating func finished() -> [Operation] {
        for index in authoritiesUsed.sorted() {
            let chain = trusted.certificateAuthorities[index].chain
            if preparedIssuers[index] != nil {
                count("preparing the issuer's P-384 key, once per issuer") { RepeatedKeyVerifier(try chain[0].publicKey()) != nil }
            }
            for link in 0..<max(0, chain.count - 1) {
                let subject = chain[link], issuer = chain[link + 1]
                count("certificate authority link under \(Self.kind(try! issuer.publicKey())), once per trusted root") { subject.isSigned(by: issuer) }
            }
        }
        authoritiesUsed.removeAll()
        preparedIssuers.removeAll()
        leavesByIssuer.removeAll()
        var preparedKeys = Set<[UInt8]>()
        let shares = plainShares()
        return order.compactMap { operations[$0] }.flatMap { operation in
            signedSamples[operation.label].map { settled(operation, $0, plainShare: shares[operation.label] ?? 0, prepared: &preparedKeys) }
                ?? [operation]
        }
    }

    /// For each signature kind under a key the consumer prepares, its share of the key's plain
    /// verifications (`preparationThresholdWhenExpected` - 1), in proportion to its count (the
    /// shares of one key add up exactly: what rounding leaves goes to its first kinds).
    private func plainShares() -> [String: Int] {
        var labelsByKey: [[UInt8]: [String]] = [:]
        for label in order { if let sample = signedSamples[label] { labelsByKey[sample.key.spkiDER, default: []].append(label) } }
        var shares: [String: Int] = [:]
        for (key, labels) in labelsByKey {
            guard let sample = signedSamples[labels[0]], let threshold = sample.key.preparationThreshold,
                  let preparedAt = sample.key.preparationThresholdWhenExpected, let uses = keyUses[key], uses >= threshold else { continue }
            for label in labels { shares[label] = (preparedAt - 1) * (operations[label]?.count ?? 0) / uses }
            var left = preparedAt - 1 - labels.reduce(0) { $0 + shares[$1, default: 0] }
            for label in labels where left > 0 { shares[label, default: 0] += 1; left -= 1 }
        }
        return shares
    }

    /// Every bundle of one `/-/npm/v1/attestations/<name>@<version>` response.
    mutating func add(response: Data) throws {
        for entry in try JSONField.parse(response).required("attestations").array() {
            let bundle = try SigstoreBundle(json: try entry.required("bundle"))
            bundles += 1
            let signer: PublicKey
            if let der = bundle.signingMaterial.leafCertificate {
                signer = try addCertificate(der)
            } else if case .dsseEnvelope(let envelope) = bundle.content, let key = keys[envelope.signature.keyid] {
                signer = key
            } else {
                throw ValidationError("a key-signed bundle names no key of the registry")
            }
            for logEntry in bundle.tlogEntries { try addLogEntry(logEntry) }
            addSignature(bundle.content, key: signer, role: bundle.signingMaterial.leafCertificate == nil ? "registry key" : "Fulcio leaf key")
        }
    }

    /// The leaf under its issuer, and its SCTs; returns the leaf's key.
    mutating func addCertificate(_ der: [UInt8]) throws -> PublicKey {
        let leaf = try Certificate(der: der)
        // Several authorities may share the issuer's name: the one whose key signed the leaf.
        guard let index = trusted.certificateAuthorities.firstIndex(where: { authority in
            authority.chain.first.map { $0.subject == leaf.issuer && leaf.isSigned(by: $0) } ?? false
        }) else {
            throw ValidationError("no certificate authority of the trusted root issued \(leaf.subject)")
        }
        let issuer = trusted.certificateAuthorities[index].chain[0]
        authoritiesUsed.insert(index)
        // As the consumer verifies leaves: a P-384 issuer's key is prepared at its threshold-th leaf.
        let key = try issuer.publicKey(), label = "Fulcio leaf under \(Self.kind(key))"
        leavesByIssuer[index, default: 0] += 1
        if key.kind == .ecdsa(curve: "secp384r1"), let threshold = key.preparationThreshold, leavesByIssuer[index, default: 0] >= threshold,
           let prepared = try preparedIssuers[index] ?? RepeatedKeyVerifier(key) {
            preparedIssuers[index] = prepared
            count("\(label) with the issuer's prepared key") { leaf.isSigned(by: prepared) }
        } else {
            count(label) { leaf.isSigned(by: issuer) }
        }
        let issuerKeyHash = Digest.hash(.sha256, try issuer.subjectPublicKeyInfoDER())
        let tbs = try leaf.precertificateTBS()
        for sct in try SignedCertificateTimestamp.parseList(extensionValue: leaf.extensionValue(oid: OID.embeddedSCTList) ?? []) {
            guard let log = trusted.ctlogs.first(where: { $0.instance.logID == sct.logID }) else { continue }
            let data = sct.signedData(issuerKeyHash: issuerKeyHash, precertificateTBS: tbs)
            countSignature("SCT", key: log.key, signature: sct.signature, message: data, digest: .sha256)
        }
        return try leaf.publicKey()
    }

    mutating func addLogEntry(_ entry: TransparencyLogEntry) throws {
        let log = trusted.tlogs.first { $0.instance.logID == entry.logID }
        if let set = entry.signedEntryTimestamp, let log, let time = entry.integratedTime {
            let payload = SignedEntryTimestampCheck.signedPayload(entry, integratedTime: time)
            countSignature("SET", key: log.key, signature: set, message: payload, digest: Self.digest(log.key))
        }
        if let checkpoint = entry.inclusionProof?.checkpoint {
            let note = try CheckpointCheck.parse(checkpoint)
            for line in note.signatures {
                guard let signer = trusted.tlogs.first(where: { Array($0.instance.logID.prefix(4)) == line.keyHint }) else { continue }
                countSignature("checkpoint", key: signer.key, signature: line.signature, message: note.signedText, digest: Self.digest(signer.key))
            }
        }
    }

    mutating func addSignature(_ content: SigstoreBundle.Content, key: PublicKey, role: String) {
        switch content {
        case .dsseEnvelope(let envelope):
            let pae = envelope.pae
            countSignature("DSSE", key: key, role: role, signature: envelope.signature.sig, message: pae, digest: Self.digest(key))
        case .messageSignature(let message):
            guard let digest = message.digest else { return }
            count("message signature (\(Self.kind(key)))") { key.verify(signature: message.signature, prehashedDigest: digest, algorithm: .sha256) }
        }
    }

    /// One registry signature per package, timed on a real one: `{"keyid", "sig", "message"}`.
    mutating func addRegistrySignatures(sample data: Data, count packages: Int) throws {
        let json = try JSONField.parse(data)
        let keyid = try json.required("keyid").string()
        guard let key = keys[keyid] else { throw ValidationError("the registry signature names key \(keyid), which the registry does not list") }
        let signature = try json.required("sig").base64(), message = Array(try json.required("message").string().utf8)
        for _ in 0..<packages {
            countSignature("registry signature", key: key, signature: signature, message: message, digest: .sha256)
        }
    }

    static func digest(_ key: PublicKey) -> DigestAlgorithm? { key.kind == .ed25519 ? nil : .sha256 }
}
