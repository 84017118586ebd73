// EC_GROUP_precompute_mult, EC_POINTs_make_affine and EC_POINT_get_Jprojective_coordinates_GFp are
// deprecated in OpenSSL 3.0 but are its only ways to keep a table of a fixed point's multiples, to
// make many points affine with one inversion, and to compare a point's x without an inversion.
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
// assembly has a table for G only.
// - P-256: Q gets OpenSSL's own fixed-base table (EC_GROUP_precompute_mult, once per key), so
//   each product is a lookup-and-add through OpenSSL's assembly.
// - P-384: G and Q each get a table of signed 6-bit windows (comb_table below, about 5 ms and
//   0.4 MB each, once per key), and u1*G + u2*Q takes at most 130 additions of table points and 6
//   doublings with OpenSSL's EC_POINT_add and EC_POINT_dbl, and no field inversion (OpenSSL's own
//   tables cost one inversion per product, in EC_POINTs_make_affine): about 145 µs against 230 µs.
// The arithmetic is OpenSSL's; the checks are those of ossl_ecdsa_verify and
// ossl_ecdsa_simple_verify_sig in OpenSSL 3.0 (DER only, 0 < r, s < n, the digest's leftmost
// bits, x(u1*G + u2*Q) mod n == r, compared in Jacobian coordinates). s^-1 mod n comes from
// OrderInverse.c, confirmed there by BN_mod_mul, else from BN_mod_inverse.

#define COMB_WIDTH 6
#define COMB_ENTRIES (1 << (COMB_WIDTH - 1))
#define COMB_SPLIT 2
#define COMB_MAX_WINDOWS 80

/// Multiples of one point P for scalars of up to COMB_WIDTH * windows bits, in signed windows of
/// COMB_WIDTH bits. Window i = COMB_SPLIT * row + k reads row `row`, whose entry
/// points[row * COMB_ENTRIES + d - 1] is d * 2^(COMB_WIDTH * COMB_SPLIT * row) * P (affine, d = 1 ...
/// COMB_ENTRIES), and is shifted by k windows with the other scalars' (COMB_WIDTH doublings of the
/// sum per k): a table of 1/COMB_SPLIT the size for COMB_WIDTH * (COMB_SPLIT - 1) doublings.
typedef struct {
    int windows, rows;
    EC_POINT **points;
} comb_table;

static void comb_free(comb_table *table) {
    if (table == NULL) return;
    if (table->points != NULL)
        for (int i = 0; i < table->rows * COMB_ENTRIES; i++) EC_POINT_free(table->points[i]);
    OPENSSL_free(table->points);
    OPENSSL_free(table);
}

/// The table of `point` for scalars below the group's order (one window more for the last carry).
static comb_table *comb_new(const EC_GROUP *group, const EC_POINT *point, BN_CTX *ctx) {
    int windows = (BN_num_bits(EC_GROUP_get0_order(group)) + 1 + COMB_WIDTH - 1) / COMB_WIDTH;
    int rows = (windows + COMB_SPLIT - 1) / COMB_SPLIT;
    if (windows > COMB_MAX_WINDOWS) return NULL;
    comb_table *table = OPENSSL_zalloc(sizeof *table);
    EC_POINT *base = EC_POINT_dup(point, group);
    int ok = table != NULL && base != NULL
        && (table->points = OPENSSL_zalloc((size_t)rows * COMB_ENTRIES * sizeof *table->points)) != NULL;
    if (ok) { table->windows = windows; table->rows = rows; }
    for (int i = 0; ok && i < rows; i++) {
        EC_POINT **row = table->points + (size_t)i * COMB_ENTRIES;
        ok = (row[0] = EC_POINT_dup(base, group)) != NULL;
        for (int d = 1; ok && d < COMB_ENTRIES; d++)
            ok = (row[d] = EC_POINT_new(group)) != NULL && EC_POINT_add(group, row[d], row[d - 1], base, ctx) == 1;
        for (int bit = 0; ok && i + 1 < rows && bit < COMB_WIDTH * COMB_SPLIT; bit++)
            ok = EC_POINT_dbl(group, base, base, ctx) == 1;
    }
    ok = ok && EC_POINTs_make_affine(group, (size_t)rows * COMB_ENTRIES, table->points, ctx) == 1;
    EC_POINT_free(base);
    if (!ok) { comb_free(table); return NULL; }
    return table;
}

/// The scalar (>= 0) in `windows` signed digits from -(COMB_ENTRIES - 1) to COMB_ENTRIES, least
/// significant first; 0 when it does not fit.
static int comb_digits(const BIGNUM *scalar, int windows, int *digits) {
    if (BN_is_negative(scalar) || BN_num_bits(scalar) > COMB_WIDTH * windows) return 0;
    int carry = 0;
    for (int i = 0; i < windows; i++) {
        int digit = carry;
        for (int bit = 0; bit < COMB_WIDTH; bit++) digit += BN_is_bit_set(scalar, COMB_WIDTH * i + bit) << bit;
        carry = digit > COMB_ENTRIES;
        digits[i] = carry ? digit - (1 << COMB_WIDTH) : digit;
    }
    return carry == 0;
}

/// sum = scalars[0] * P0 + scalars[1] * P1 through their tables (of one group): one addition per
/// nonzero digit, COMB_WIDTH doublings per shift. 0 on an error, or when a scalar does not fit.
static int comb_multiply(const EC_GROUP *group, EC_POINT *sum, const comb_table *const tables[2],
                         const BIGNUM *const scalars[2], EC_POINT *scratch, BN_CTX *ctx) {
    int digits[2][COMB_MAX_WINDOWS];
    for (int t = 0; t < 2; t++)
        if (!comb_digits(scalars[t], tables[t]->windows, digits[t])) return 0;
    if (!EC_POINT_set_to_infinity(group, sum)) return 0;
    for (int k = COMB_SPLIT - 1; k >= 0; k--) {
        for (int bit = 0; k < COMB_SPLIT - 1 && bit < COMB_WIDTH; bit++)
            if (!EC_POINT_dbl(group, sum, sum, ctx)) return 0;
        for (int t = 0; t < 2; t++) {
            for (int i = k; i < tables[t]->windows; i += COMB_SPLIT) {
                int digit = digits[t][i];
                if (digit == 0) continue;
                size_t entry = (size_t)(i / COMB_SPLIT) * COMB_ENTRIES + (size_t)(digit < 0 ? -digit : digit) - 1;
                const EC_POINT *point = tables[t]->points[entry];
                if (digit < 0) {
                    if (!EC_POINT_copy(scratch, point) || !EC_POINT_invert(group, scratch, ctx)) return 0;
                    point = scratch;
                }
                if (!EC_POINT_add(group, sum, sum, point, ctx)) return 0;
            }
        }
    }
    return 1;
}

struct shim_ecdsa_fixed_key {
    EC_GROUP *group;         // the curve (P-256: with OpenSSL's built-in table of multiples of G)
    EC_GROUP *by_key;        // P-256: the curve with the public key Q as its generator, with Q's table
    comb_table *generator_table, *key_table;  // P-384: the tables of G and of Q
    shim_order_inverse *order_inverse;  // inverses modulo the order
};

void shim_ecdsa_fixed_key_free(shim_ecdsa_fixed_key *key) {
    if (key == NULL) return;
    EC_GROUP_free(key->group);
    EC_GROUP_free(key->by_key);
    comb_free(key->generator_table);
    comb_free(key->key_table);
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

/// P-256: Q's own group, with Q as its generator and OpenSSL's table of its multiples.
static EC_GROUP *group_by_key(int curve, const EC_GROUP *group, const EC_POINT *q, BN_CTX *ctx) {
    EC_GROUP *by_key = EC_GROUP_new_by_curve_name(curve);
    EC_POINT *generator = by_key == NULL ? NULL : EC_POINT_new(by_key);
    int ok = generator != NULL && EC_POINT_copy(generator, q) == 1
        && EC_GROUP_set_generator(by_key, generator, EC_GROUP_get0_order(group), EC_GROUP_get0_cofactor(group)) == 1
        && EC_GROUP_precompute_mult(by_key, ctx) == 1;
    EC_POINT_free(generator);
    if (!ok) { EC_GROUP_free(by_key); return NULL; }
    return by_key;
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
    int ok = key != NULL && ctx != NULL
        && (key->group = EC_GROUP_new_by_curve_name(curve)) != NULL
        && (q = EC_POINT_new(key->group)) != NULL
        && EC_POINT_oct2point(key->group, q, point, point_length, ctx) == 1  // refuses a point off the curve
        && !EC_POINT_is_at_infinity(key->group, q)
        // P-256's assembly has G's table built in (precomputing it again would take 20 ms).
        && (curve == NID_X9_62_prime256v1
                ? (key->by_key = group_by_key(curve, key->group, q, ctx)) != NULL
                : (key->generator_table = comb_new(key->group, EC_GROUP_get0_generator(key->group), ctx)) != NULL
                      && (key->key_table = comb_new(key->group, q, ctx)) != NULL)
        && (key->order_inverse = shim_order_inverse_new(EC_GROUP_get0_order(key->group))) != NULL;
    EC_POINT_free(q);
    BN_CTX_free(ctx);
    if (!ok) { shim_ecdsa_fixed_key_free(key); return NULL; }
    return key;
}

/// u1*G + u2*Q. P-256: OpenSSL's assembly uses each group's table for a lone scalar. P-384: the
/// two comb tables.
static int multiply(const shim_ecdsa_fixed_key *key, EC_POINT *sum, const BIGNUM *u1, const BIGNUM *u2, BN_CTX *ctx) {
    EC_POINT *scratch = EC_POINT_new(key->by_key != NULL ? key->by_key : key->group);
    int ok = scratch != NULL;
    if (ok && key->by_key != NULL) {
        ok = EC_POINT_mul(key->group, sum, u1, NULL, NULL, ctx) == 1
            && EC_POINT_mul(key->by_key, scratch, u2, NULL, NULL, ctx) == 1
            && EC_POINT_add(key->group, sum, sum, scratch, ctx) == 1;
    } else if (ok) {
        const comb_table *const tables[2] = { key->generator_table, key->key_table };
        const BIGNUM *const scalars[2] = { u1, u2 };
        ok = comb_multiply(key->group, sum, tables, scalars, scratch, ctx);
    }
    EC_POINT_free(scratch);
    return ok;
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
    const BIGNUM *order = EC_GROUP_get0_order(key->group);
    if (BN_is_zero(r) || BN_is_negative(r) || BN_ucmp(r, order) >= 0) return 0;
    if (BN_is_zero(s) || BN_is_negative(s) || BN_ucmp(s, order) >= 0) return 0;
    BN_CTX_start(ctx);
    BIGNUM *e = BN_CTX_get(ctx), *w = BN_CTX_get(ctx), *u1 = BN_CTX_get(ctx), *u2 = BN_CTX_get(ctx);
    BIGNUM *x = BN_CTX_get(ctx);
    EC_POINT *sum = EC_POINT_new(key->group);
    int result = -1;
    if (x == NULL || sum == NULL) goto done;
    if (!digest_integer(e, digest, digest_length, order)
        || !(shim_order_inverse_compute(w, s, key->order_inverse, ctx) || BN_mod_inverse(w, s, order, ctx) != NULL)
        || !BN_mod_mul(u1, e, w, order, ctx) || !BN_mod_mul(u2, r, w, order, ctx)
        || !multiply(key, sum, u1, u2, ctx)) goto done;
    if (EC_POINT_is_at_infinity(key->group, sum)) { result = 0; goto done; }
    result = x_matches(key->group, sum, r, x, ctx);
done:
    EC_POINT_free(sum);
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
