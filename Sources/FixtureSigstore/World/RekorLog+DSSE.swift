import Foundation
public import SafeJSON

extension RekorLog {
    /// Logs a DSSE envelope as a `dsse` 0.0.1 entry, exactly as sigstore-js proposes it
    /// (PROTOCOLS §6.1): the envelope as JSON text and the verifier (certificate or public key)
    /// as base64 PEM. In-process callers (the publisher, the registry) use this; HTTP clients
    /// send the same proposal to `POST /rekor/api/v1/log/entries`.
    public func logDSSE(envelope: JSONValue, verifierPEM: String) throws -> RekorLogEntry {
        let envelopeText = String(decoding: try envelope.serialized(), as: UTF8.self)
        let proposal: JSONValue = [
            "apiVersion": "0.0.1",
            "kind": "dsse",
            "spec": ["proposedContent": [
                "envelope": .string(envelopeText),
                "verifiers": [.string(Data(verifierPEM.utf8).base64EncodedString())],
            ]],
        ]
        return try append(proposedEntry: try proposal.serialized())
    }
}
