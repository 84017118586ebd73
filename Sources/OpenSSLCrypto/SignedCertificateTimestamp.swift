internal import COpenSSL
public import FoundationEssentials

/// One RFC 6962 SCT embedded in a certificate (extension 1.3.6.1.4.1.11129.2.4.2).
public struct SignedCertificateTimestamp: Sendable, Equatable {
    public let version: UInt8
    /// SHA-256 of the CT log's DER SubjectPublicKeyInfo.
    public let logID: [UInt8]
    /// Milliseconds since the epoch.
    public let timestamp: UInt64
    public let extensions: [UInt8]
    public let hashAlgorithm: UInt8
    public let signatureAlgorithm: UInt8
    public let signature: [UInt8]

    /// The SCT time as a date.
    public var date: Date { Date(timeIntervalSince1970: TimeInterval(timestamp) / 1000) }

    /// Parses the extension's `extnValue`: a DER OCTET STRING holding the TLS `SignedCertificateTimestampList`.
    public static func parseList(extensionValue: [UInt8]) throws -> [SignedCertificateTimestamp] {
        var der = ByteReader(extensionValue)
        guard try der.u8() == 0x04 else { throw SCTParseError("expected a DER OCTET STRING around the SCT list") }
        let length = try der.derLength()
        var list = ByteReader(try der.bytes(length))
        guard der.isAtEnd else { throw SCTParseError("trailing bytes after the SCT list") }
        var body = ByteReader(try list.bytes(Int(try list.u16())))
        guard list.isAtEnd else { throw SCTParseError("SCT list length does not match its contents") }
        var result: [SignedCertificateTimestamp] = []
        while !body.isAtEnd {
            var sct = ByteReader(try body.bytes(Int(try body.u16())))
            let version = try sct.u8()
            let logID = try sct.bytes(32)
            var timestamp: UInt64 = 0
            for _ in 0..<8 { timestamp = timestamp << 8 | UInt64(try sct.u8()) }
            let extensions = try sct.bytes(Int(try sct.u16()))
            let hash = try sct.u8(), sigAlg = try sct.u8()
            let signature = try sct.bytes(Int(try sct.u16()))
            guard sct.isAtEnd else { throw SCTParseError("trailing bytes inside an SCT") }
            result.append(SignedCertificateTimestamp(version: version, logID: logID, timestamp: timestamp, extensions: extensions,
                                                     hashAlgorithm: hash, signatureAlgorithm: sigAlg, signature: signature))
        }
        return result
    }

    /// The RFC 6962 §3.2 `digitally-signed` input for a precertificate entry.
    public func signedData(issuerKeyHash: [UInt8], precertificateTBS tbs: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [version, 0]  // signature_type = certificate_timestamp
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: timestamp >> UInt64(shift))) }
        out += [0, 1]  // entry_type = precert_entry
        out += issuerKeyHash
        out += [UInt8(truncatingIfNeeded: tbs.count >> 16), UInt8(truncatingIfNeeded: tbs.count >> 8), UInt8(truncatingIfNeeded: tbs.count)]
        out += tbs
        out += [UInt8(truncatingIfNeeded: extensions.count >> 8), UInt8(truncatingIfNeeded: extensions.count)]
        out += extensions
        return out
    }

    /// Verifies the SCT signature with the CT log key over the precertificate built from `certificate` and its issuer.
    public func verify(certificate: Certificate, issuer: Certificate, logKey: PublicKey) throws -> Bool {
        guard version == 0 else { return false }
        guard hashAlgorithm == 4 else { return false }  // sha256 only, like every Sigstore CT log
        let issuerKeyHash = Digest.hash(.sha256, try issuer.subjectPublicKeyInfoDER())
        let data = signedData(issuerKeyHash: issuerKeyHash, precertificateTBS: try certificate.precertificateTBS())
        return logKey.verify(signature: signature, message: data, digest: .sha256)
    }
}

/// A malformed SCT list.
public struct SCTParseError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

// MARK: - Precertificate TBS

extension Certificate {
    /// The TBSCertificate without the embedded SCT extension: what the CT log signed. Cut from
    /// the certificate's own DER bytes; re-encoded by OpenSSL only for an unusual layout.
    public func precertificateTBS() throws -> [UInt8] {
        switch precertificateTBSAsEncoded {
        case .some(.some(let tbs)): return tbs
        case .some(.none): throw OpenSSLError.reason("precertificateTBS", "certificate has no embedded SCT extension")
        case .none: return try precertificateTBSReencoded()
        }
    }

    /// The TBSCertificate re-encoded by OpenSSL without the embedded SCT extension (the reference form).
    public func precertificateTBSReencoded() throws -> [UInt8] {
        guard let copy = X509_dup(x509) else { throw OpenSSLError("X509_dup") }
        defer { X509_free(copy) }
        guard let object = OBJ_txt2obj(OID.embeddedSCTList, 1) else { throw OpenSSLError("OBJ_txt2obj") }
        defer { ASN1_OBJECT_free(object) }
        let index = X509_get_ext_by_OBJ(copy, object, -1)
        guard index >= 0 else { throw OpenSSLError.reason("precertificateTBS", "certificate has no embedded SCT extension") }
        guard let removed = X509_delete_ext(copy, index) else { throw OpenSSLError("X509_delete_ext") }
        X509_EXTENSION_free(removed)
        var out: UnsafeMutablePointer<UInt8>? = nil
        let length = i2d_re_X509_tbs(copy, &out)
        guard length > 0, let out else { throw OpenSSLError("i2d_re_X509_tbs") }
        defer { shim_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: Int(length)))
    }
}
