internal import COpenSSL
internal import COpenSSLShims
public import FoundationEssentials

/// An X.509 certificate owned by an OpenSSL `X509`, parsed from DER or PEM.
///
/// Read-only after parsing; accessors return Swift values copied out of OpenSSL.
public final class Certificate: @unchecked Sendable {
    let x509: OpaquePointer
    /// The exact DER bytes the certificate was parsed from.
    public let derBytes: [UInt8]
    /// The library context the certificate, and so its subject key, was decoded in
    /// (`DecoderContexts`); nil for the default context.
    let libraryContext: OpaquePointer?

    init(owning x509: OpaquePointer, der: [UInt8], libraryContext: OpaquePointer?) {
        self.x509 = x509
        self.derBytes = der
        self.libraryContext = libraryContext
    }

    deinit { X509_free(x509) }

    // MARK: - Parsing

    /// Parses one DER certificate; trailing bytes are an error.
    ///
    /// The same parse as `d2i_X509`, in a library context of the parsing thread's own
    /// (`DecoderContexts`): the subject key is decoded there, so threads do not queue on the
    /// default context's locks.
    public convenience init(der: [UInt8]) throws {
        let (cert, context) = DecoderContexts.withContext { context in
            (parseWholeDER(der, { ASN1_item_d2i_ex(nil, $0, $1, X509_it(), context, nil) }, free: { X509_free($0) }), context)
        }
        guard let cert else { throw OpenSSLError("d2i_X509: expected one DER certificate of \(der.count) bytes") }
        self.init(owning: cert, der: der, libraryContext: context)
    }

    /// Parses every `-----BEGIN CERTIFICATE-----` block in `pem`, in order; none is an error.
    public static func parsePEM(_ pem: String) throws -> [Certificate] {
        var result: [Certificate] = []
        try BIOReader.withMemoryBIO(Array(pem.utf8)) { bio in
            while let cert = PEM_read_bio_X509(bio, nil, nil, nil) {
                result.append(try Certificate(der: Certificate.encode(cert)))
                X509_free(cert)
            }
        }
        ERR_clear_error()  // the loop ends on a "no start line" error
        guard !result.isEmpty else { throw OpenSSLError("PEM_read_bio_X509: expected at least one PEM certificate") }
        return result
    }

    static func encode(_ cert: OpaquePointer) throws -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>? = nil
        let length = i2d_X509(cert, &out)
        guard length > 0, let out else { throw OpenSSLError("i2d_X509") }
        defer { shim_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: Int(length)))
    }

    // MARK: - Names and validity

    /// The subject as a one-line string (`/O=sigstore.dev/CN=sigstore-intermediate`).
    public var subject: String { Self.oneline(X509_get_subject_name(x509)) }
    /// The issuer as a one-line string.
    public var issuer: String { Self.oneline(X509_get_issuer_name(x509)) }

    static func oneline(_ name: OpaquePointer?) -> String {
        guard let name, let text = X509_NAME_oneline(name, nil, 0) else { return "" }
        defer { shim_free(text) }
        return String(cString: text)
    }

    /// Start of the validity period (inclusive).
    public var notBefore: Date { Self.date(X509_get0_notBefore(x509)) }
    /// End of the validity period (inclusive).
    public var notAfter: Date { Self.date(X509_get0_notAfter(x509)) }

    static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date {
        var parts = tm()
        guard let time, ASN1_TIME_to_tm(time, &parts) == 1 else { return .distantPast }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }

    /// Whether `date` lies in `[notBefore, notAfter]`.
    public func isValid(at date: Date) -> Bool { notBefore <= date && date <= notAfter }

    // MARK: - Keys and signatures

    /// The subject public key.
    public func publicKey() throws -> PublicKey {
        guard let key = X509_get_pubkey(x509) else { throw OpenSSLError("X509_get_pubkey: unsupported subject key") }
        return PublicKey(owning: key, libraryContext: libraryContext)
    }

    /// The DER `SubjectPublicKeyInfo` (what SCT issuer key hashes and log ids are computed over),
    /// as encoded in the certificate; re-encoded from the parsed key only for an unusual layout.
    public func subjectPublicKeyInfoDER() throws -> [UInt8] { try encodedSubjectPublicKeyInfo ?? publicKey().spkiDER }

    /// The DER `TBSCertificate` as it appears in the certificate.
    public func tbsDER() throws -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>? = nil
        let length = i2d_re_X509_tbs(x509, &out)
        guard length > 0, let out else { throw OpenSSLError("i2d_re_X509_tbs") }
        defer { shim_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: Int(length)))
    }

    /// Whether `issuer`'s key verifies this certificate's signature.
    public func isSigned(by issuer: Certificate) -> Bool {
        guard let key = X509_get0_pubkey(issuer.x509) else { ERR_clear_error(); return false }
        defer { ERR_clear_error() }
        return X509_verify(x509, key) == 1
    }

    /// Self-issued (subject == issuer) and self-signed.
    public var isSelfSigned: Bool {
        X509_NAME_cmp(X509_get_subject_name(x509), X509_get_issuer_name(x509)) == 0 && isSigned(by: self)
    }
}
