import FoundationEssentials
import NpmModel
import NpmVerify
import SafeJSON
import SigstoreModels
import SigstoreVerify
import CodedError

/// The per-bundle verdicts of `verify-attestations`, as text or JSON.
struct AttestationReport {
    /// One bundle's line: predicate type, signer, and the failed step with its reason.
    struct Line {
        let predicateType: String
        let signer: String?
        let failedStep: String?
        let reason: String?
    }

    let package: PackageIdentity
    let lines: [Line]
    /// A failure of the whole response (malformed, or no attestation names a registry key).
    let responseFailure: (step: String, reason: String)?
    /// Who built the package, from the verified SLSA provenance bundle.
    let builtBy: ProvenanceIdentity?
    /// Set when `--policy` was given and the provenance breaks it.
    private(set) var policyFailure: String?

    var passed: Bool { responseFailure == nil && policyFailure == nil && !lines.isEmpty && lines.allSatisfy { $0.failedStep == nil } }

    /// Checks the provenance identity against `policy` (only when every bundle verified).
    mutating func apply(_ policy: ProvenancePolicy) {
        guard responseFailure == nil, lines.allSatisfy({ $0.failedStep == nil }) else { return }
        do { try policy.evaluate(builtBy, name: package.name, version: package.version) } catch {
            policyFailure = error.message
        }
    }

    init(package: PackageIdentity, verdicts: [AttestationVerifier.Verdict]) {
        self.package = package
        responseFailure = nil
        builtBy = verdicts.lazy.compactMap { verdict -> ProvenanceIdentity? in
            guard verdict.predicateType.hasPrefix("https://slsa.dev/provenance/"), case .success(let verified) = verdict.result else { return nil }
            return ProvenanceIdentity(verified)
        }.first
        lines = verdicts.map { verdict in
            switch verdict.result {
            case .success(let verified):
                let signer: String? = switch verified.signer {
                case .certificate(_, let identity): [identity.subjectAlternativeName, identity.issuer.map { "(issuer \($0))" }].compactMap { $0 }.joined(separator: " ")
                case .publicKey: verified.bundle.dsseKeyID.map { "registry key \($0)" } ?? "registry key"
                }
                return Line(predicateType: verdict.predicateType, signer: signer, failedStep: nil, reason: nil)
            case .failure(let error):
                return Line(predicateType: verdict.predicateType, signer: nil, failedStep: verdict.failure, reason: Self.reason(error))
            }
        }
    }

    init(package: PackageIdentity, failure: any Error) {
        self.package = package
        lines = []
        builtBy = nil
        let step = switch failure {
        case let error as VerificationError: error.code.rawValue
        case let error as NpmVerifyError: error.code.rawValue
        default: "response"
        }
        responseFailure = (step, Self.reason(failure))
    }

    static func reason(_ error: any Error) -> String {
        switch error {
        case let error as VerificationError: error.message
        case let error as NpmVerifyError: error.message
        default: "\(error)"
        }
    }

    func text() -> String {
        var out = ["\(package.name)@\(package.version): \(passed ? "verified" : "FAILED")"]
        if let responseFailure { out.append("  response: failed at \(responseFailure.step): \(responseFailure.reason)") }
        for line in lines {
            if let step = line.failedStep {
                out.append("  FAIL \(line.predicateType): failed at \(step): \(line.reason ?? "")")
            } else {
                out.append("  ok   \(line.predicateType): signed by \(line.signer ?? "?")")
            }
        }
        if let who = builtBy {
            out.append("  built by: repository \(who.repository ?? "?"), workflow \(who.workflow ?? "?"), ref \(who.ref ?? "?"), commit \(who.commit ?? "?")"
                + (who.runnerEnvironment.map { ", runner \($0)" } ?? ""))
        }
        if let policyFailure { out.append("  policy: FAILED: \(policyFailure)") }
        // Everything here comes from the bundle or the registry: no raw control characters.
        return out.map(TerminalText.escaped).joined(separator: "\n")
    }

    func json() -> String {
        let bundles: [JSONValue] = lines.map { line in
            var object: [String: JSONValue] = ["predicateType": .string(line.predicateType), "verified": .bool(line.failedStep == nil)]
            if let signer = line.signer { object["signer"] = .string(signer) }
            if let step = line.failedStep { object["failedStep"] = .string(step) }
            if let reason = line.reason { object["reason"] = .string(reason) }
            return .object(object)
        }
        var document: [String: JSONValue] = ["package": .string("\(package.name)@\(package.version)"), "verified": .bool(passed), "bundles": .array(bundles)]
        if let who = builtBy {
            let fields: [(String, String?)] = [("issuer", who.issuer), ("repository", who.repository), ("workflow", who.workflow),
                                               ("builder", who.builder), ("ref", who.ref), ("commit", who.commit),
                                               ("runnerEnvironment", who.runnerEnvironment), ("trigger", who.trigger)]
            document["builtBy"] = .object(Dictionary(uniqueKeysWithValues: fields.compactMap { key, value in value.map { (key, JSONValue.string($0)) } }))
        }
        if let policyFailure { document["policy"] = .string(policyFailure) }
        if let responseFailure { document["failedStep"] = .string(responseFailure.step); document["reason"] = .string(responseFailure.reason) }
        let data = (try? JSONValue.object(document).serialized(pretty: true)) ?? Data("{}".utf8)
        return TerminalText.jsonEscaped(String(decoding: data, as: UTF8.self))
    }
}

extension SigstoreBundle {
    /// The DSSE signature's key id, when present.
    var dsseKeyID: String? {
        guard case .dsseEnvelope(let envelope) = content, !envelope.signature.keyid.isEmpty else { return nil }
        return envelope.signature.keyid
    }
}
