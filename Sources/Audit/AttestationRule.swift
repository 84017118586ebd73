import FoundationEssentials
import NpmVerify
import SafeJSON
import SigstoreModels
import SigstoreVerify
import CodedError

/// pacote's attestation loop (PROTOCOLS §3.3) over an attestations response, with pacote's
/// codes and messages: per bundle in order, the registry key (`EMISSINGSIGNATUREKEY`,
/// `EEXPIREDSIGNATUREKEY`), the subject (`EATTESTATIONSUBJECT`), then the Sigstore
/// verification (`EATTESTATIONVERIFY`). The cryptography is `AttestationVerifier`'s.
struct AttestationRule {
    let verifier: AttestationVerifier

    init(trusted: TrustedMaterial, keys: [RegistryKey]) {
        verifier = AttestationVerifier(trusted: trusted, keys: keys)
    }

    /// What pacote reads from each entry before verifying: predicate type, DSSE keyid and signature, statement.
    struct RawEntry {
        var predicateType: String?
        var keyid: String?
        var signature: String?
        var statement: JSONValue?
    }

    enum Outcome {
        /// Every attestation verified; the provenance is nil when the response has none.
        case verified(VerifiedProvenance?)
        /// The first failure, in pacote's order.
        case invalid(InvalidPackage)
    }

    /// Every bundle of `response` in pacote's order; then, stricter than npm (as install), the
    /// `advertised` predicate type (`dist.attestations.provenance`) must be among them.
    func check(_ target: AuditTarget, integrity: String, response: Data, advertised: String?) -> Outcome {
        let identity = PackageIdentity(name: target.name, version: target.version, integrity: integrity)
        let raw = Self.rawEntries(response)
        let verdicts: [AttestationVerifier.Verdict]
        do {
            verdicts = try verifier.verify(response: response, package: identity)
        } catch let error as NpmVerifyError {
            return .invalid(InvalidPackage(code: error.code.rawValue, message: error.message, target: target))
        } catch {
            return .invalid(InvalidPackage(code: "EBADATTESTATIONS", message: "\(target.id) has an unusable attestations response: \(error)", target: target))
        }
        var provenance: VerifiedProvenance?
        for (index, verdict) in verdicts.enumerated() {
            let entry = index < raw.count ? raw[index] : RawEntry()
            switch verdict.result {
            case .success(let verified):
                // The first keyless one, as install reads it: a key-signed statement names no builder
                // anyone vouched for (found by review: a registry key's "provenance" filled the table).
                if verdict.predicateType.hasBytePrefix("https://slsa.dev/provenance/"), verified.identity != nil, provenance == nil {
                    provenance = VerifiedProvenance(bundle: verified)
                }
            case .failure(let error):
                return .invalid(invalid(error, entry: entry, target: target, identity: identity))
            }
        }
        if let advertised, !verdicts.contains(where: { $0.predicateType == advertised }) {
            return .invalid(InvalidPackage(code: InvalidPackage.missingAdvertisedCode, message: "\(target.id): the registry advertises a \(advertised) attestation (dist.attestations.provenance) but its attestations response carries none", target: target))
        }
        return .verified(provenance)
    }

    private func invalid(_ error: any Error, entry: RawEntry, target: AuditTarget, identity: PackageIdentity) -> InvalidPackage {
        let keyid = entry.keyid ?? ""
        if let npm = error as? NpmVerifyError, npm.code == .missingSignatureKey {
            return InvalidPackage(code: npm.code.rawValue, message: "\(target.id) has attestations with keyid: \(keyid) but no corresponding public key can be found", target: target)
        }
        if let npm = error as? NpmVerifyError, npm.code == .expiredSignatureKey {
            let expires = verifier.keys.first { $0.isNamed(keyid) }?.expires.map(SignatureRule.javaScriptISO) ?? "?"
            return InvalidPackage(code: npm.code.rawValue, message: "\(target.id) has attestations with keyid: \(keyid) but the corresponding public key has expired \(expires)", target: target)
        }
        // pacote compares the subject before it verifies the bundle, so a wrong subject wins.
        if let subject = Self.subjectFailure(entry.statement, target: target, identity: identity) {
            return InvalidPackage(code: NpmVerifyError.Code.attestationSubject.rawValue, message: subject, target: target)
        }
        var invalid = InvalidPackage(code: InvalidPackage.invalidAttestationCode,
                                     message: "\(target.id) failed to verify attestation: \(Self.reason(error))", target: target)
        invalid.predicateType = entry.predicateType
        invalid.keyid = entry.keyid
        invalid.signature = entry.signature
        return invalid
    }

    /// pacote's two subject messages, or nil when `subject[0]` is the purl with the tarball's sha512.
    static func subjectFailure(_ statement: JSONValue?, target: AuditTarget, identity: PackageIdentity) -> String? {
        let subject = statement?["subject"]?.arrayValue?.first
        let name = subject?["name"]?.stringValue ?? "undefined"
        if name != identity.purl {
            return "\(target.id) package name and version (PURL): \(identity.purl) doesn't match what was signed: \(name)"
        }
        let signed = subject?["digest"]?["sha512"]?.stringValue ?? "undefined"
        let expected = identity.sha512Hex ?? ""
        if signed != expected {
            return "\(target.id) package integrity (hex digest): \(expected) doesn't match what was signed: \(signed)"
        }
        return nil
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? VerificationError { return error.message }
        return "\(error)"
    }

    /// Tolerant read of the response's entries, in order; fields that are absent stay nil.
    static func rawEntries(_ response: Data) -> [RawEntry] {
        guard let entries = (try? JSONValue.parse(response))?["attestations"]?.arrayValue else { return [] }
        return entries.map { entry in
            let envelope = entry["bundle"]?["dsseEnvelope"]
            let first = envelope?["signatures"]?.arrayValue?.first
            let payload = envelope?["payload"]?.stringValue.flatMap { Data(base64Encoded: $0) }
            return RawEntry(predicateType: entry["predicateType"]?.stringValue, keyid: first?["keyid"]?.stringValue,
                            signature: first?["sig"]?.stringValue, statement: payload.flatMap { try? JSONValue.parse($0) })
        }
    }
}
