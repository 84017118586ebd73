/// A DSSE envelope (`dsseEnvelope` in a bundle).
public struct DSSEEnvelope: Sendable, Equatable {
    /// One signature; `keyid` is "" when absent (keyless).
    public struct Signature: Sendable, Equatable {
        public let sig: [UInt8]
        public let keyid: String
    }

    public let payload: [UInt8]
    public let payloadType: String
    public let signatures: [Signature]

    public init(payload: [UInt8], payloadType: String, signatures: [Signature]) {
        self.payload = payload
        self.payloadType = payloadType
        self.signatures = signatures
    }

    /// Decodes and applies sigstore-js's shape rules: non-empty payload, exactly one non-empty signature.
    public init(json: JSONField) throws {
        payload = try json.required("payload").base64()
        payloadType = try json.required("payloadType").string()
        let list = try json.required("signatures")
        signatures = try list.array().map { item in
            Signature(sig: try item.required("sig").base64(), keyid: try item.optional("keyid")?.string() ?? "")
        }
        guard !payload.isEmpty else { throw SigstoreModelError(path: json.child("payload"), "expected a non-empty payload") }
        guard signatures.count == 1 else {
            throw SigstoreModelError(path: list.path, "expected exactly 1 signature, found \(signatures.count)")
        }
        guard !signatures[0].sig.isEmpty else { throw SigstoreModelError(path: list.path, "expected a non-empty signature") }
    }

    /// The one signature (guaranteed by decoding).
    public var signature: Signature { signatures[0] }

    /// DSSE v1 pre-authentication encoding: what the signature covers.
    public var pae: [UInt8] {
        Self.pae(payloadType: payloadType, payload: payload)
    }

    /// `"DSSEv1" SP len(type) SP type SP len(payload) SP payload`.
    public static func pae(payloadType: String, payload: [UInt8]) -> [UInt8] {
        let type = Array(payloadType.utf8)
        return Array("DSSEv1 \(type.count) ".utf8) + type + Array(" \(payload.count) ".utf8) + payload
    }
}

/// A message signature over an artifact digest (`messageSignature`).
public struct MessageSignature: Sendable, Equatable {
    /// The protobuf `HashAlgorithm` name (`SHA2_256`), or nil when no digest hint was given.
    public let digestAlgorithm: String?
    public let digest: [UInt8]?
    public let signature: [UInt8]

    public init(json: JSONField) throws {
        if let digest = try json.optional("messageDigest") {
            digestAlgorithm = try digest.required("algorithm").string()
            self.digest = try digest.required("digest").base64()
        } else {
            digestAlgorithm = nil
            digest = nil
        }
        signature = try json.required("signature").base64()
        guard !signature.isEmpty else { throw SigstoreModelError(path: json.child("signature"), "expected a non-empty signature") }
    }
}
