#include "COpenSSLShims.h"
#include <pthread.h>

// X509_verify_cert with OpenSSL 3.0's own chain building, extension, trust, name-constraint and
// policy checks, and its `internal_verify` (signatures and validity times) restated below with
// one difference: a (subject, issuer) link whose signature the caller has already verified, given
// as the very X509 objects OpenSSL builds the chain from, is not verified again. Every other
// check of internal_verify (issuer key usage, issuer key decoding, validity at every depth,
// the verify callback) still runs for that link.

typedef struct {
    X509 *const *subjects;
    X509 *const *issuers;
    int count;
} known_links;

static int known_links_index = -1;
static pthread_once_t known_links_once = PTHREAD_ONCE_INIT;
static void allocate_known_links_index(void) { known_links_index = X509_STORE_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL); }

static int link_is_known(const known_links *known, const X509 *subject, const X509 *issuer) {
    if (known == NULL) return 0;
    for (int i = 0; i < known->count; i++)
        if (known->subjects[i] == subject && known->issuers[i] == issuer) return 1;
    return 0;
}

/// verify_cb_cert of x509_vfy.c: reports an error to the verify callback (0 aborts).
static int fail(X509_STORE_CTX *ctx, X509 *cert, int depth, int err) {
    X509_STORE_CTX_set_error_depth(ctx, depth);
    X509_STORE_CTX_set_current_cert(ctx, cert);
    X509_STORE_CTX_set_error(ctx, err);
    return X509_STORE_CTX_get_verify_cb(ctx)(0, ctx);
}

/// ossl_x509_check_cert_time of x509_vfy.c for depth >= 0.
static int check_cert_time(X509_STORE_CTX *ctx, X509 *x, int depth) {
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
    unsigned long flags = X509_VERIFY_PARAM_get_flags(param);
    time_t check = X509_VERIFY_PARAM_get_time(param), *ptime = NULL;
    if ((flags & X509_V_FLAG_USE_CHECK_TIME) != 0) ptime = &check;
    else if ((flags & X509_V_FLAG_NO_CHECK_TIME) != 0) return 1;
    int i = X509_cmp_time(X509_get0_notBefore(x), ptime);
    if (i == 0 && !fail(ctx, x, depth, X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD)) return 0;
    if (i > 0 && !fail(ctx, x, depth, X509_V_ERR_CERT_NOT_YET_VALID)) return 0;
    i = X509_cmp_time(X509_get0_notAfter(x), ptime);
    if (i == 0 && !fail(ctx, x, depth, X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD)) return 0;
    if (i < 0 && !fail(ctx, x, depth, X509_V_ERR_CERT_HAS_EXPIRED)) return 0;
    return 1;
}

/// ossl_x509_signing_allowed of v3_purp.c: the issuer's key usage must allow signing the subject.
static int signing_allowed(X509 *issuer, X509 *subject) {
    uint32_t usage = X509_get_key_usage(issuer);  // UINT32_MAX without a key usage extension
    if ((X509_get_extension_flags(subject) & EXFLAG_PROXY) != 0)
        return (usage & KU_DIGITAL_SIGNATURE) != 0 ? X509_V_OK : X509_V_ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE;
    return (usage & KU_KEY_CERT_SIGN) != 0 ? X509_V_OK : X509_V_ERR_KEYUSAGE_NO_CERTSIGN;
}

/// Signature (unless known) and key usage of one link; xs == xi for a self-signed anchor.
static int check_link(X509_STORE_CTX *ctx, X509 *xs, X509 *xi, int n) {
    int issuer_depth = n + (xs == xi ? 0 : 1);
    int ret = xs == xi && (X509_get_extension_flags(xi) & EXFLAG_CA) == 0 ? X509_V_OK : signing_allowed(xi, xs);
    if (ret != X509_V_OK && !fail(ctx, xi, issuer_depth, ret)) return 0;
    EVP_PKEY *pkey = X509_get0_pubkey(xi);
    if (pkey == NULL) return fail(ctx, xi, issuer_depth, X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY) != 0;
    const known_links *known = X509_STORE_CTX_get_ex_data(ctx, known_links_index);
    if (!link_is_known(known, xs, xi) && X509_verify(xs, pkey) <= 0 && !fail(ctx, xs, n, X509_V_ERR_CERT_SIGNATURE_FAILURE)) return 0;
    return 1;
}

/// internal_verify of OpenSSL 3.0's x509_vfy.c (no DANE), with known links skipped.
static int known_links_internal_verify(X509_STORE_CTX *ctx) {
    STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
    int n = sk_X509_num(chain) - 1;
    X509 *xi = sk_X509_value(chain, n), *xs;
    unsigned long flags = X509_VERIFY_PARAM_get_flags(X509_STORE_CTX_get0_param(ctx));
    int check_time_only = 0;
    if (X509_STORE_CTX_get_check_issued(ctx)(ctx, xi, xi)) {
        xs = xi;  // the typical case: the last certificate is self-issued
    } else if ((flags & X509_V_FLAG_PARTIAL_CHAIN) != 0) {
        xs = xi; check_time_only = 1;
    } else if (n <= 0) {
        if (!fail(ctx, xi, 0, X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE)) return 0;
        xs = xi; check_time_only = 1;
    } else {
        n--;
        X509_STORE_CTX_set_error_depth(ctx, n);
        xs = sk_X509_value(chain, n);
    }
    while (n >= 0) {
        // Self-signed: the signature is skipped unless asked for, as OpenSSL does.
        int self_signed_check = (flags & X509_V_FLAG_CHECK_SS_SIGNATURE) != 0 && (X509_get_extension_flags(xi) & EXFLAG_SS) != 0;
        if (!check_time_only && (xs != xi || self_signed_check) && !check_link(ctx, xs, xi, n)) return 0;
        check_time_only = 0;
        if (!check_cert_time(ctx, xs, n)) return 0;
        X509_STORE_CTX_set_current_cert(ctx, xs);
        X509_STORE_CTX_set_error_depth(ctx, n);
        if (!X509_STORE_CTX_get_verify_cb(ctx)(1, ctx)) return 0;
        if (--n >= 0) { xi = xs; xs = sk_X509_value(chain, n); }
    }
    return 1;
}

int shim_X509_verify_cert_known_links(X509_STORE_CTX *ctx, X509 *const *subjects, X509 *const *issuers, int count) {
    pthread_once(&known_links_once, allocate_known_links_index);
    if (known_links_index < 0) return -1;
    known_links known = { subjects, issuers, count };
    if (!X509_STORE_CTX_set_ex_data(ctx, known_links_index, &known)) return -1;
    X509_STORE_CTX_set_verify(ctx, known_links_internal_verify);
    int result = X509_verify_cert(ctx);
    X509_STORE_CTX_set_ex_data(ctx, known_links_index, NULL);
    return result;
}
