#include "COpenSSLShims.h"
#include <openssl/bn.h>
#include <stdint.h>
#include <string.h>

// The inverse of s modulo a curve's order n, as ECDSA verification needs it (w = s^-1 mod n).
// OpenSSL 3.0's BN_mod_inverse takes 13 µs for P-256 and 21 µs for P-384, about half of a
// verification under a prepared key; its assembly for P-256's order is internal. This computes it
// with Bernstein and Yang's divsteps ("Fast constant-time gcd computation and modular inversion",
// 2019), 62 at a time on the low 64 bits, then applied to the whole numbers, in variable time: s is
// public in a verification.
//
// It needs no trust: the caller gets an answer only after OpenSSL's own BN_mod_mul confirmed
// r * s == 1 (mod n), and otherwise (any input this code does not handle, or a bug) nothing, so it
// falls back to BN_mod_inverse. Every step is bounded: at most MAX_BATCHES batches, fixed arrays.
//
// Numbers are little-endian arrays of 62-bit limbs in int64_t: every limb below the top one in
// [0, 2^62), the top one signed. After k batches, f = (a*n + D*s) / 2^(62k) for an integer a, with
// D tracked exactly; at the end f = +-1 (gcd(s, n) = 1), so s^-1 = f * D * 2^(-62k) mod n.

#define LIMB_BITS 62
#define LIMB_MASK (UINT64_MAX >> 2)
#define FG_LIMBS 8         // f and g: 496 bits, room for a signed value of the modulus's size
#define MAX_MODULUS_BITS 400
// Bernstein and Yang bound the divsteps for d-bit inputs by (49d + 57) / 17: 1156 for 400 bits.
#define MAX_BATCHES 20     // 1240 divsteps
#define D_LIMBS (MAX_BATCHES + 2)

struct shim_order_inverse {
    BIGNUM *modulus;
    int64_t modulus_limbs[FG_LIMBS];
    BIGNUM *inverse_powers[MAX_BATCHES + 1];  // 2^(-62k) mod n for k = 0 ... MAX_BATCHES
};

/// The transition of one batch: f' = (u*f + v*g) / 2^62, g' = (q*f + r*g) / 2^62.
typedef struct { int64_t u, v, q, r; } transition;

void shim_order_inverse_free(shim_order_inverse *inverse) {
    if (inverse == NULL) return;
    BN_free(inverse->modulus);
    for (int k = 0; k <= MAX_BATCHES; k++) BN_free(inverse->inverse_powers[k]);
    OPENSSL_free(inverse);
}

/// The limbs of 0 <= `value` < 2^(62*count).
static int to_limbs(const BIGNUM *value, int64_t *limbs, int count) {
    uint64_t words[FG_LIMBS + 1] = { 0 };
    unsigned char bytes[sizeof words];
    if (count > FG_LIMBS || BN_is_negative(value) || BN_bn2lebinpad(value, bytes, (int)(8 * FG_LIMBS)) < 0) return 0;
    memset(bytes + 8 * FG_LIMBS, 0, sizeof bytes - 8 * FG_LIMBS);
    for (size_t i = 0; i < sizeof bytes; i++) words[i / 8] |= (uint64_t)bytes[i] << (8 * (i % 8));
    for (int i = 0; i < count; i++) {
        int bit = LIMB_BITS * i, word = bit / 64, shift = bit % 64;
        uint64_t limb = words[word] >> shift;
        if (shift > 64 - LIMB_BITS) limb |= words[word + 1] << (64 - shift);
        limbs[i] = (int64_t)(limb & LIMB_MASK);
    }
    return 1;
}

shim_order_inverse *shim_order_inverse_new(const BIGNUM *modulus) {
    if (!BN_is_odd(modulus) || BN_is_negative(modulus) || BN_num_bits(modulus) > MAX_MODULUS_BITS
        || BN_num_bits(modulus) < 2) return NULL;
    shim_order_inverse *inverse = OPENSSL_zalloc(sizeof *inverse);
    BN_CTX *ctx = BN_CTX_new();
    BIGNUM *step = BN_new();
    int ok = inverse != NULL && ctx != NULL && step != NULL
        && (inverse->modulus = BN_dup(modulus)) != NULL
        && to_limbs(modulus, inverse->modulus_limbs, FG_LIMBS)
        && BN_set_word(step, 0) && BN_set_bit(step, LIMB_BITS)
        && BN_mod_inverse(step, step, modulus, ctx) != NULL
        && (inverse->inverse_powers[0] = BN_new()) != NULL && BN_one(inverse->inverse_powers[0]);
    for (int k = 1; ok && k <= MAX_BATCHES; k++) {
        ok = (inverse->inverse_powers[k] = BN_new()) != NULL
            && BN_mod_mul(inverse->inverse_powers[k], inverse->inverse_powers[k - 1], step, modulus, ctx);
    }
    BN_free(step);
    BN_CTX_free(ctx);
    if (!ok) { shim_order_inverse_free(inverse); return NULL; }
    return inverse;
}

/// 62 divsteps on the low 64 bits of f (odd) and g, from `delta`; the matrix into `t`, the new delta returned.
/// A divstep: if delta > 0 and g is odd, (delta, f, g) = (1 - delta, g, (g - f) / 2); else if g is odd,
/// (1 + delta, f, (g + f) / 2); else (1 + delta, f, g / 2). The matrix rows follow 2^i * f and 2^i * g.
static int64_t divsteps(int64_t delta, uint64_t f, uint64_t g, transition *t) {
    // Unsigned, so that wrapping and shifting are defined; every value fits int64_t (|u| + |v| <= 2^62).
    uint64_t u = 1, v = 0, q = 0, r = 1;
    for (int i = 0; i < LIMB_BITS; i++) {
        uint64_t swap = -(uint64_t)(delta > 0 && (g & 1));
        // (f, g) = (g, -f), the rows likewise, delta = -delta.
        uint64_t x = (f ^ g) & swap; f ^= x; g ^= x; g = (g ^ swap) - swap;
        x = (u ^ q) & swap; u ^= x; q ^= x; q = (q ^ swap) - swap;
        x = (v ^ r) & swap; v ^= x; r ^= x; r = (r ^ swap) - swap;
        delta = swap ? -delta : delta;
        uint64_t odd = -(g & 1);
        g += f & odd; q += u & odd; r += v & odd;
        g >>= 1; u <<= 1; v <<= 1;
        delta += 1;
    }
    t->u = (int64_t)u; t->v = (int64_t)v; t->q = (int64_t)q; t->r = (int64_t)r;
    return delta;
}

/// The low 64 bits of a limb array, two's complement.
static uint64_t low_bits(const int64_t *limbs) { return (uint64_t)limbs[0] | ((uint64_t)limbs[1] << LIMB_BITS); }

/// f, g = (u*f + v*g) / 2^62, (q*f + r*g) / 2^62; 0 when a division would not be exact (a bug).
static int apply_to_fg(int64_t *f, int64_t *g, const transition *t) {
    __int128 cf = (__int128)t->u * f[0] + (__int128)t->v * g[0];
    __int128 cg = (__int128)t->q * f[0] + (__int128)t->r * g[0];
    if (((uint64_t)cf & LIMB_MASK) != 0 || ((uint64_t)cg & LIMB_MASK) != 0) return 0;
    cf >>= LIMB_BITS; cg >>= LIMB_BITS;
    for (int i = 1; i < FG_LIMBS; i++) {
        cf += (__int128)t->u * f[i] + (__int128)t->v * g[i];
        cg += (__int128)t->q * f[i] + (__int128)t->r * g[i];
        f[i - 1] = (int64_t)((uint64_t)cf & LIMB_MASK); g[i - 1] = (int64_t)((uint64_t)cg & LIMB_MASK);
        cf >>= LIMB_BITS; cg >>= LIMB_BITS;
    }
    f[FG_LIMBS - 1] = (int64_t)cf; g[FG_LIMBS - 1] = (int64_t)cg;
    return 1;
}

/// d, e = u*d + v*e, q*d + r*e, exactly: one limb longer.
static int apply_to_de(int64_t *d, int64_t *e, int *length, const transition *t) {
    if (*length >= D_LIMBS) return 0;
    __int128 cd = 0, ce = 0;
    for (int i = 0; i < *length; i++) {
        cd += (__int128)t->u * d[i] + (__int128)t->v * e[i];
        ce += (__int128)t->q * d[i] + (__int128)t->r * e[i];
        d[i] = (int64_t)((uint64_t)cd & LIMB_MASK); e[i] = (int64_t)((uint64_t)ce & LIMB_MASK);
        cd >>= LIMB_BITS; ce >>= LIMB_BITS;
    }
    d[*length] = (int64_t)cd; e[*length] = (int64_t)ce;
    *length += 1;
    return 1;
}

static int is_zero(const int64_t *limbs, int count) {
    for (int i = 0; i < count; i++) if (limbs[i] != 0) return 0;
    return 1;
}

/// 1 or -1 when the limbs are that value, else 0.
static int unit_sign(const int64_t *limbs, int count) {
    if (limbs[0] == 1 && is_zero(limbs + 1, count - 1)) return 1;
    for (int i = 0; i < count - 1; i++) if ((uint64_t)limbs[i] != LIMB_MASK) return 0;
    return limbs[count - 1] == -1 ? -1 : 0;
}

/// The BIGNUM of a signed limb array, into `out`.
static int limbs_to_bn(const int64_t *limbs, int count, BIGNUM *out) {
    // The magnitude (the limbs, or their negation renormalised), then the sign.
    int64_t magnitude[D_LIMBS];
    int negative = limbs[count - 1] < 0;
    int64_t carry = 0;
    for (int i = 0; i < count; i++) {
        int64_t value = negative ? carry - limbs[i] : limbs[i];
        magnitude[i] = i < count - 1 ? (int64_t)((uint64_t)value & LIMB_MASK) : value;
        carry = value >> LIMB_BITS;
    }
    if (magnitude[count - 1] < 0 || magnitude[count - 1] > (int64_t)LIMB_MASK) return 0;
    uint64_t words[D_LIMBS + 1] = { 0 };
    for (int i = 0; i < count; i++) {
        int bit = LIMB_BITS * i, word = bit / 64, shift = bit % 64;
        words[word] |= (uint64_t)magnitude[i] << shift;
        if (shift > 64 - LIMB_BITS) words[word + 1] |= (uint64_t)magnitude[i] >> (64 - shift);
    }
    unsigned char bytes[sizeof words];
    for (size_t i = 0; i < sizeof bytes; i++) bytes[i] = (unsigned char)(words[i / 8] >> (8 * (i % 8)));
    if (BN_lebin2bn(bytes, (int)sizeof bytes, out) == NULL) return 0;
    BN_set_negative(out, negative);
    return 1;
}

int shim_order_inverse_compute(BIGNUM *result, const BIGNUM *value, const shim_order_inverse *inverse, BN_CTX *ctx) {
    if (inverse == NULL || BN_is_zero(value) || BN_is_negative(value) || BN_cmp(value, inverse->modulus) >= 0) return 0;
    int64_t f[FG_LIMBS], g[FG_LIMBS], d[D_LIMBS] = { 0 }, e[D_LIMBS] = { 1 };
    memcpy(f, inverse->modulus_limbs, sizeof f);
    if (!to_limbs(value, g, FG_LIMBS)) return 0;
    int length = 1, batches = 0;
    int64_t delta = 1;
    do {
        if (batches == MAX_BATCHES) return 0;
        transition t;
        delta = divsteps(delta, low_bits(f), low_bits(g), &t);
        if (!apply_to_fg(f, g, &t) || !apply_to_de(d, e, &length, &t)) return 0;
        batches++;
    } while (!is_zero(g, FG_LIMBS));
    int sign = unit_sign(f, FG_LIMBS);
    if (sign == 0) return 0;  // gcd(value, modulus) != 1
    BN_CTX_start(ctx);
    BIGNUM *coefficient = BN_CTX_get(ctx), *check = BN_CTX_get(ctx);
    int ok = check != NULL && limbs_to_bn(d, length, coefficient);
    if (ok && sign < 0) BN_set_negative(coefficient, !BN_is_negative(coefficient));
    ok = ok && BN_mod_mul(result, coefficient, inverse->inverse_powers[batches], inverse->modulus, ctx)
        && BN_mod_mul(check, result, value, inverse->modulus, ctx) && BN_is_one(check);
    BN_CTX_end(ctx);
    return ok;
}
