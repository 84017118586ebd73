// EC_GROUP_precompute_mult and EC_POINTs_mul are deprecated in OpenSSL 3.0 but are its only way
// to multiply by a fixed point through a precomputed table.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "COpenSSLShims.h"
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/obj_mac.h>
#include <string.h>

// ECDSA verification under one key that verifies many signatures (a certificate authority's
// key over every leaf it issued, a log's key over every entry). OpenSSL 3.0 has no assembly for
// P-384 and computes u1*G + u2*Q with 384 shared doublings on every verification; for P-256 its
// assembly has a table for G only. Here both G and Q get OpenSSL's own fixed-base tables
// (EC_GROUP_precompute_mult, once per key), so each product takes a few doublings (P-384) or
// none (P-256). The arithmetic is OpenSSL's; the checks are those of ossl_ecdsa_verify and
// ossl_ecdsa_simple_verify_sig in OpenSSL 3.0 (DER only, 0 < r, s < n, the digest's leftmost
// bits, x(u1*G + u2*Q) mod n == r, compared in Jacobian coordinates). s^-1 mod n comes from
// OrderInverse.c, confirmed there by BN_mod_mul, else from BN_mod_inverse.

struct shim_ecdsa_fixed_key {
    EC_GROUP *by_generator;  // the curve, with the table of multiples of G
    EC_GROUP *by_key;        // the curve with the public key Q as its generator, with Q's table
    int curve;               // NID_secp384r1 or NID_X9_62_prime256v1
    shim_order_inverse *order_inverse;  // inverses modulo the order
};

void shim_ecdsa_fixed_key_free(shim_ecdsa_fixed_key *key) {
    if (key == NULL) return;
    EC_GROUP_free(key->by_generator);
    EC_GROUP_free(key->by_key);
    shim_order_inverse_free(key->order_inverse);
    OPENSSL_free(key);
}

/// The key's curve NID, or NID_undef for a key that is not EC.
static int curve_of(const EVP_PKEY *pkey) {
    char name[80];
    size_t length = 0;
    if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_EC) return NID_undef;
    if (!EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &length)) return NID_undef;
    int nid = OBJ_sn2nid(name);
    return nid != NID_undef ? nid : EC_curve_nist2nid(name);
}

shim_ecdsa_fixed_key *shim_ecdsa_fixed_key_new(const EVP_PKEY *pkey) {
    int curve = curve_of(pkey);
    if (curve != NID_secp384r1 && curve != NID_X9_62_prime256v1) return NULL;
    unsigned char point[160];
    size_t point_length = 0;
    if (!EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &point_length)) return NULL;
    shim_ecdsa_fixed_key *key = OPENSSL_zalloc(sizeof *key);
    BN_CTX *ctx = BN_CTX_new();
    EC_POINT *q = NULL;
    if (key != NULL) key->curve = curve;
    int ok = key != NULL && ctx != NULL
        && (key->by_generator = EC_GROUP_new_by_curve_name(curve)) != NULL
        && (key->by_key = EC_GROUP_new_by_curve_name(curve)) != NULL
        && (q = EC_POINT_new(key->by_key)) != NULL
        && EC_POINT_oct2point(key->by_key, q, point, point_length, ctx) == 1  // refuses a point off the curve
        && !EC_POINT_is_at_infinity(key->by_key, q)
        && EC_GROUP_set_generator(key->by_key, q, EC_GROUP_get0_order(key->by_generator),
                                  EC_GROUP_get0_cofactor(key->by_generator)) == 1
        // P-256's assembly has G's table built in (precomputing it again would take 20 ms).
        && (curve == NID_X9_62_prime256v1 || EC_GROUP_precompute_mult(key->by_generator, ctx) == 1)
        && EC_GROUP_precompute_mult(key->by_key, ctx) == 1
        && (key->order_inverse = shim_order_inverse_new(EC_GROUP_get0_order(key->by_generator))) != NULL;
    EC_POINT_free(q);
    BN_CTX_free(ctx);
    if (!ok) { shim_ecdsa_fixed_key_free(key); return NULL; }
    return key;
}

/// scalar * (the group's generator) through its table. P-384: a second term of zero keeps
/// OpenSSL 3.0's generic code off its constant-time ladder (taken for a lone scalar, which is
/// secret when signing), so the table is used; the scalars of a verification are public. P-256:
/// OpenSSL's assembly uses the table for a lone scalar, and a second term would not.
static int multiply_generator(const shim_ecdsa_fixed_key *key, const EC_GROUP *group, EC_POINT *result,
                              const BIGNUM *scalar, const BIGNUM *zero, BN_CTX *ctx) {
    if (key->curve == NID_X9_62_prime256v1) return EC_POINT_mul(group, result, scalar, NULL, NULL, ctx);
    const EC_POINT *points[1] = { EC_GROUP_get0_generator(group) };
    const BIGNUM *scalars[1] = { zero };
    return EC_POINTs_mul(group, result, scalar, 1, points, scalars, ctx);
}

/// The digest as an integer: its leftmost bits, as many as the order has.
static int digest_integer(BIGNUM *e, const unsigned char *digest, size_t length, const BIGNUM *order) {
    size_t bits = (size_t)BN_num_bits(order);
    if (8 * length > bits) length = (bits + 7) / 8;
    if (BN_bin2bn(digest, (int)length, e) == NULL) return 0;
    return 8 * length <= bits || BN_rshift(e, e, 8 - (int)(bits & 7));
}

/// Whether the affine x of `point` (not infinity), reduced modulo n, is `r`. With Jacobian
/// (X, Y, Z), x = X / Z^2 mod p, and as n <= p < 2n, x mod n == r means x == r or x == r + n < p:
/// X == r * Z^2 or X == (r + n) * Z^2 (mod p), which spares the field inversion. 1, 0, or -1 on an error.
static int x_matches(const EC_GROUP *group, const EC_POINT *point, const BIGNUM *r, BIGNUM *scratch, BN_CTX *ctx) {
    BN_CTX_start(ctx);
    BIGNUM *p = BN_CTX_get(ctx), *X = BN_CTX_get(ctx), *Z = BN_CTX_get(ctx), *zz = BN_CTX_get(ctx);
    int result = -1;
    if (zz == NULL || !EC_GROUP_get_curve(group, p, NULL, NULL, ctx)
        || !EC_POINT_get_Jprojective_coordinates_GFp(group, point, X, NULL, Z, ctx)
        || !BN_mod_sqr(zz, Z, p, ctx) || !BN_mod_mul(scratch, r, zz, p, ctx)) goto done;
    if (BN_cmp(scratch, X) == 0) { result = 1; goto done; }
    result = 0;
    if (!BN_add(scratch, r, EC_GROUP_get0_order(group))) { result = -1; goto done; }
    if (BN_cmp(scratch, p) < 0) {
        if (!BN_mod_mul(scratch, scratch, zz, p, ctx)) { result = -1; goto done; }
        result = BN_cmp(scratch, X) == 0;
    }
done:
    BN_CTX_end(ctx);
    return result;
}

/// 1 when the values of a well-formed signature verify, 0 when they do not, -1 on an internal error.
static int verify_values(const shim_ecdsa_fixed_key *key, const unsigned char *digest, size_t digest_length,
                         const BIGNUM *r, const BIGNUM *s, BN_CTX *ctx) {
    const BIGNUM *order = EC_GROUP_get0_order(key->by_generator);
    if (BN_is_zero(r) || BN_is_negative(r) || BN_ucmp(r, order) >= 0) return 0;
    if (BN_is_zero(s) || BN_is_negative(s) || BN_ucmp(s, order) >= 0) return 0;
    BN_CTX_start(ctx);
    BIGNUM *e = BN_CTX_get(ctx), *w = BN_CTX_get(ctx), *u1 = BN_CTX_get(ctx), *u2 = BN_CTX_get(ctx);
    BIGNUM *x = BN_CTX_get(ctx), *zero = BN_CTX_get(ctx);
    EC_POINT *sum = EC_POINT_new(key->by_generator), *by_key = EC_POINT_new(key->by_key);
    int result = -1;
    if (zero == NULL || sum == NULL || by_key == NULL) goto done;
    BN_zero(zero);
    if (!digest_integer(e, digest, digest_length, order)
        || !(shim_order_inverse_compute(w, s, key->order_inverse, ctx) || BN_mod_inverse(w, s, order, ctx) != NULL)
        || !BN_mod_mul(u1, e, w, order, ctx) || !BN_mod_mul(u2, r, w, order, ctx)
        || !multiply_generator(key, key->by_generator, sum, u1, zero, ctx)
        || !multiply_generator(key, key->by_key, by_key, u2, zero, ctx)
        || !EC_POINT_add(key->by_generator, sum, sum, by_key, ctx)) goto done;
    if (EC_POINT_is_at_infinity(key->by_generator, sum)) { result = 0; goto done; }
    result = x_matches(key->by_generator, sum, r, x, ctx);
done:
    EC_POINT_free(sum);
    EC_POINT_free(by_key);
    BN_CTX_end(ctx);
    return result;
}

int shim_ecdsa_fixed_key_verify(const shim_ecdsa_fixed_key *key, const unsigned char *digest, size_t digest_length,
                                const unsigned char *signature, size_t signature_length) {
    if (key == NULL || signature_length > 1024) return -1;
    const unsigned char *cursor = signature;
    ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &cursor, (long)signature_length);
    if (sig == NULL) return 0;
    // DER only, nothing after it: re-encoded, it must be the very bytes given.
    unsigned char *der = NULL;
    int der_length = i2d_ECDSA_SIG(sig, &der);
    int result = 0;
    if (der_length > 0 && (size_t)der_length == signature_length && memcmp(signature, der, signature_length) == 0) {
        BN_CTX *ctx = BN_CTX_new();
        result = ctx == NULL ? -1 : verify_values(key, digest, digest_length, ECDSA_SIG_get0_r(sig), ECDSA_SIG_get0_s(sig), ctx);
        BN_CTX_free(ctx);
    }
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
    return result;
}
