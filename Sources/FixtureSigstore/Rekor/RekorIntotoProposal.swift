import SafeJSON

/// Rekor `intoto` v0.0.2: the proposed entry sigstore-js sends for npm 10 provenance and
/// the canonical body Rekor stores for it (PROTOCOLS §6.2, Rekor `pkg/types/intoto/v0.0.2`).
///
/// Proposal: `spec.content = {envelope: {payloadType, payload: b64(b64 payload),
/// signatures: [{sig: b64(b64 sig), publicKey: b64(PEM), keyid?}]}, hash, payloadHash}`.
/// Body: the same without `payload`; `hash` passed through, `payloadHash` recomputed,
/// signatures as proposed (an empty `keyid` dropped), base64 fields re-encoded.
enum RekorIntotoProposal {
    static let apiVersion = "0.0.2"

    static func canonicalBody(spec: RekorProposalField) throws(RekorError) -> JSONValue {
        let content = try spec.required("content")
        let envelope = try content.required("envelope")
        let hash = try content.required("hash")
        let hashValue = try hash.sha256Hash()
        let payloadType = try envelope.required("payloadType").nonEmptyString()
        guard let payloadField = try envelope.optional("payload") else {
            throw .badRequest("\(envelope.path).payload: missing envelope content")
        }
        let payloadText = String(decoding: try payloadField.base64(), as: UTF8.self)
        guard let payload = RekorEncoding.unbase64(payloadText), !payload.isEmpty else {
            throw .badRequest("\(payloadField.path): expected base64 of the base64-encoded payload")
        }

        var signatures: [RekorDSSECheck.Signature] = []
        var verifiers: [RekorVerifierKey] = []
        var logged: [JSONValue] = []
        for item in try envelope.required("signatures").array() {
            let sigBytes = try item.required("sig").base64()
            let keyBytes = try item.required("publicKey").base64()
            guard !sigBytes.isEmpty, !keyBytes.isEmpty else { throw .badRequest("\(item.path): missing signature or publicKey content") }
            let keyid = try item.optional("keyid")?.string() ?? ""
            signatures.append(.init(sig: String(decoding: sigBytes, as: UTF8.self), keyid: keyid))
            verifiers.append(try RekorVerifierKey(pem: keyBytes, what: "\(item.path).publicKey"))
            var entry: [String: JSONValue] = ["sig": .string(RekorEncoding.base64(sigBytes)), "publicKey": .string(RekorEncoding.base64(keyBytes))]
            if !keyid.isEmpty { entry["keyid"] = .string(keyid) }
            logged.append(.object(entry))
        }
        _ = try RekorDSSECheck.verify(payloadType: payloadType, payload: payload, signatures: signatures, verifiers: verifiers)

        return [
            "apiVersion": .string(apiVersion),
            "kind": "intoto",
            "spec": [
                "content": [
                    "envelope": ["payloadType": .string(payloadType), "signatures": .array(logged)],
                    "hash": ["algorithm": "sha256", "value": .string(hashValue)],
                    "payloadHash": ["algorithm": "sha256", "value": .string(RekorEncoding.hex(RekorEncoding.sha256(payload)))],
                ],
            ],
        ]
    }
}
