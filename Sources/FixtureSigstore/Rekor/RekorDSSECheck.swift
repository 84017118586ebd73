/// Verifies a DSSE envelope the way Rekor does before logging it (go-securesystemslib `dsse.Verify`):
/// every signature must verify over PAE(payloadType, payload) with one of the proposed verifiers.
struct RekorDSSECheck {
    /// One envelope signature: its text as carried in the envelope and its `keyid`.
    struct Signature {
        let sig: String
        let keyid: String
    }

    /// `"DSSEv1" SP len(type) SP type SP len(payload) SP payload` (PROTOCOLS §4.5).
    static func pae(payloadType: String, payload: [UInt8]) -> [UInt8] {
        let type = Array(payloadType.utf8)
        return Array("DSSEv1 \(type.count) ".utf8) + type + Array(" \(payload.count) ".utf8) + payload
    }

    /// Returns, for each signature text, the verifier that verified it; throws 400 naming the
    /// first signature no verifier accepts.
    static func verify(payloadType: String, payload: [UInt8], signatures: [Signature],
                       verifiers: [RekorVerifierKey]) throws(RekorError) -> [String: RekorVerifierKey] {
        guard !signatures.isEmpty else { throw .badRequest("DSSE envelope: expected at least one signature, found none") }
        guard !payload.isEmpty else { throw .badRequest("DSSE envelope: expected a non-empty payload") }
        let message = pae(payloadType: payloadType, payload: payload)
        var verifierBySig: [String: RekorVerifierKey] = [:]
        for (index, signature) in signatures.enumerated() {
            guard let raw = RekorEncoding.unbase64Lenient(signature.sig), !raw.isEmpty else {
                throw .badRequest("DSSE envelope: signatures[\(index)].sig is not base64")
            }
            guard let verifier = verifiers.first(where: { $0.isValidSignature(raw, for: message) }) else {
                throw .badRequest("DSSE envelope: signatures[\(index)] (keyid \"\(signature.keyid)\") does not verify over the PAE with any of the \(verifiers.count) proposed verifier(s); all signatures must have a key that verifies it")
            }
            verifierBySig[signature.sig] = verifier
        }
        return verifierBySig
    }
}
