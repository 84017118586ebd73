internal import COpenSSL
internal import COpenSSLShims
public import FoundationEssentials

/// An RFC 3161 `TimeStampResp` owned by an OpenSSL `TS_RESP`.
///
/// `verify` checks the token's CMS signature, that it stamps `data`, and that the
/// signer chains (with the timeStamping purpose) to the given root at the token's own time.
public final class RFC3161Timestamp: @unchecked Sendable {
    let response: OpaquePointer

    deinit { TS_RESP_free(response) }

    /// Parses a DER `TimeStampResp`; a status other than granted (0) or grantedWithMods (1) is an error.
    public init(der: [UInt8]) throws {
        let parsed = parseWholeDER(der, { d2i_TS_RESP(nil, $0, $1) }, free: { TS_RESP_free($0) })
        guard let parsed else { throw OpenSSLError("d2i_TS_RESP: expected a DER TimeStampResp of \(der.count) bytes") }
        response = parsed
        guard let info = TS_RESP_get_status_info(parsed), let status = TS_STATUS_INFO_get0_status(info),
              (0...1).contains(ASN1_INTEGER_get(status)) else {
            throw OpenSSLError.reason("RFC3161Timestamp", "expected a granted timestamp response")
        }
        guard TS_RESP_get_tst_info(parsed) != nil else { throw OpenSSLError.reason("RFC3161Timestamp", "response carries no token") }
    }

    /// The token's genTime.
    public var time: Date {
        guard let info = TS_RESP_get_tst_info(response), let time = TS_TST_INFO_get_time(info) else { return .distantPast }
        return Certificate.date(time)
    }

    /// Verifies signature, imprint over `data`, and the signer chain `[tsa leaf, …, root]` at the token's time.
    public func verify(data: [UInt8], chain: [Certificate]) throws {
        guard let root = chain.last else { throw OpenSSLError.reason("TS_RESP_verify_response", "no TSA certificate chain") }
        guard let context = TS_VERIFY_CTX_new() else { throw OpenSSLError("TS_VERIFY_CTX_new") }
        defer { TS_VERIFY_CTX_free(context) }  // frees the store, certificate stack and data BIO it owns
        _ = TS_VERIFY_CTX_set_flags(context, Int32(TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_DATA))

        guard let bio = BIO_new(BIO_s_mem()) else { throw OpenSSLError("BIO_new") }
        _ = TS_VERIFY_CTX_set_data(context, bio)
        if !data.isEmpty { guard BIO_write(bio, data, Int32(data.count)) == Int32(data.count) else { throw OpenSSLError("BIO_write") } }

        guard let store = X509_STORE_new() else { throw OpenSSLError("X509_STORE_new") }
        _ = TS_VERIFY_CTX_set_store(context, store)
        guard X509_STORE_add_cert(store, root.x509) == 1 else { throw OpenSSLError("X509_STORE_add_cert") }
        guard let param = X509_STORE_get0_param(store) else { throw OpenSSLError("X509_STORE_get0_param") }
        X509_VERIFY_PARAM_set_time(param, time_t(time.timeIntervalSince1970.rounded(.down)))

        guard let certs = shim_sk_X509_new_null() else { throw OpenSSLError("sk_X509_new_null") }
        _ = TS_VERIFY_CTX_set_certs(context, certs)
        for cert in chain.dropLast() {
            guard X509_up_ref(cert.x509) == 1 else { throw OpenSSLError("X509_up_ref") }
            guard shim_sk_X509_push(certs, cert.x509) > 0 else { X509_free(cert.x509); throw OpenSSLError("sk_X509_push") }
        }
        guard TS_RESP_verify_response(context, response) == 1 else { throw OpenSSLError("TS_RESP_verify_response") }
        try requireSigner(chain[0])
    }

    /// OpenSSL takes the signer from the token's own certificates when it is not among the
    /// given ones, so any timeStamping certificate under the same root would pass: the signer
    /// must be the authority's own leaf (as sigstore-go and sigstore-python pin it).
    private func requireSigner(_ leaf: Certificate) throws {
        guard let token = TS_RESP_get_token(response), let candidates = shim_sk_X509_new_null() else {
            throw OpenSSLError.reason("RFC3161Timestamp", "response carries no token")
        }
        defer { shim_sk_X509_free(candidates) }  // borrows `leaf`, frees only the stack
        guard shim_sk_X509_push(candidates, leaf.x509) > 0 else { throw OpenSSLError("sk_X509_push") }
        let signers = PKCS7_get0_signers(token, candidates, Int32(PKCS7_NOINTERN))
        defer { if let signers { shim_sk_X509_free(signers) } }
        guard let signers, shim_sk_X509_num(signers) == 1, X509_cmp(shim_sk_X509_value(signers, 0), leaf.x509) == 0 else {
            ERR_clear_error()
            throw OpenSSLError.reason("RFC3161Timestamp", "the token is signed by another certificate than the authority's leaf (\(leaf.subject))")
        }
    }
}
