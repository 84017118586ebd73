import Foundation
import SafeJSON

/// Rekor `dsse` v0.0.1: the proposed entry sigstore-js sends for npm ≥ 11 provenance and
/// the canonical body Rekor stores for it (PROTOCOLS §6.1, Rekor `pkg/types/dsse/v0.0.1`).
///
/// Proposal: `spec.proposedContent = {envelope: <DSSE JSON as a string>, verifiers: [b64(PEM)]}`.
/// Body: `envelopeHash` = SHA-256 of the envelope string as received, `payloadHash` =
/// SHA-256 of the decoded payload, `signatures` = `{signature, verifier: b64(canonical PEM)}`
/// sorted by signature text.
enum RekorDSSEProposal {
    static let apiVersion = "0.0.1"

    static func canonicalBody(spec: RekorProposalField) throws(RekorError) -> JSONValue {
        for serverSide in ["envelopeHash", "payloadHash", "signatures"] where try spec.optional(serverSide) != nil {
            throw .badRequest("\(spec.path).\(serverSide): is computed by the log; propose only proposedContent")
        }
        let content = try spec.required("proposedContent")
        let envelopeText = try content.required("envelope").nonEmptyString()
        let verifierFields = try content.required("verifiers").array()
        guard !verifierFields.isEmpty else { throw .badRequest("\(content.path).verifiers: expected at least one verifier") }
        var verifiers: [RekorVerifierKey] = []
        for field in verifierFields {
            verifiers.append(try RekorVerifierKey(pem: try field.base64(), what: field.path))
        }

        let envelope: RekorProposalField
        do {
            envelope = RekorProposalField(try JSONValue.parse(Data(envelopeText.utf8), maxDepth: 16), path: "\(content.path).envelope")
        } catch {
            throw .badRequest("\(content.path).envelope: expected a DSSE envelope as JSON text: \(error)")
        }
        let payloadType = try envelope.required("payloadType").string()
        guard let payload = RekorEncoding.unbase64Lenient(try envelope.required("payload").string()) else {
            throw .badRequest("\(envelope.path).payload: expected base64")
        }
        var signatures: [RekorDSSECheck.Signature] = []
        for item in try envelope.required("signatures").array() {
            signatures.append(.init(sig: try item.required("sig").string(), keyid: try item.optional("keyid")?.string() ?? ""))
        }
        let verifierBySig = try RekorDSSECheck.verify(payloadType: payloadType, payload: payload,
                                                          signatures: signatures, verifiers: verifiers)

        let logged: [JSONValue] = verifierBySig.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { sig in
            ["signature": .string(sig), "verifier": .string(RekorEncoding.base64(Array(verifierBySig[sig]!.canonicalPEM.utf8)))]
        }
        return [
            "apiVersion": .string(apiVersion),
            "kind": "dsse",
            "spec": [
                "envelopeHash": ["algorithm": "sha256", "value": .string(RekorEncoding.hex(RekorEncoding.sha256(envelopeText.utf8)))],
                "payloadHash": ["algorithm": "sha256", "value": .string(RekorEncoding.hex(RekorEncoding.sha256(payload)))],
                "signatures": .array(logged),
            ],
        ]
    }
}
