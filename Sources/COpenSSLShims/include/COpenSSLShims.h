#ifndef COPENSSL_SHIMS_H
#define COPENSSL_SHIMS_H
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/crypto.h>

// One-line wrappers for OpenSSL macros that Swift cannot import.

STACK_OF(X509) *shim_sk_X509_new_null(void);
int shim_sk_X509_push(STACK_OF(X509) *stack, X509 *cert);
void shim_sk_X509_free(STACK_OF(X509) *stack);
int shim_sk_X509_num(const STACK_OF(X509) *stack);
X509 *shim_sk_X509_value(const STACK_OF(X509) *stack, int index);

int shim_sk_GENERAL_NAME_num(const GENERAL_NAMES *names);
GENERAL_NAME *shim_sk_GENERAL_NAME_value(const GENERAL_NAMES *names, int index);
void shim_GENERAL_NAMES_free(GENERAL_NAMES *names);

int shim_sk_ASN1_OBJECT_num(const EXTENDED_KEY_USAGE *eku);
ASN1_OBJECT *shim_sk_ASN1_OBJECT_value(const EXTENDED_KEY_USAGE *eku, int index);
void shim_EXTENDED_KEY_USAGE_free(EXTENDED_KEY_USAGE *eku);

void shim_OPENSSL_free(void *pointer);

/// X509_verify_cert, except that the signature of each link (subjects[i] issued by issuers[i], the
/// same X509 objects the chain is built from) is taken as verified; every other check still runs.
int shim_X509_verify_cert_known_links(X509_STORE_CTX *ctx, X509 *const *subjects, X509 *const *issuers, int count);

/// An ECDSA P-384 or P-256 public key with fixed-base tables for its point and the curve's generator,
/// for verifying many signatures under one key (RepeatedKeyECDSA.c); NULL for any other key.
typedef struct shim_ecdsa_fixed_key shim_ecdsa_fixed_key;
shim_ecdsa_fixed_key *shim_ecdsa_fixed_key_new(const EVP_PKEY *pkey);
void shim_ecdsa_fixed_key_free(shim_ecdsa_fixed_key *key);
/// 1 when `signature` (DER ECDSA-Sig-Value) verifies over `digest`, 0 when it does not, -1 on an internal error.
int shim_ecdsa_fixed_key_verify(const shim_ecdsa_fixed_key *key, const unsigned char *digest, size_t digest_length,
                                const unsigned char *signature, size_t signature_length);

/// The inverse modulo an odd modulus of at most 400 bits (a curve's order), in variable time, for
/// public values (OrderInverse.c); prepared once per modulus.
typedef struct shim_order_inverse shim_order_inverse;
shim_order_inverse *shim_order_inverse_new(const BIGNUM *modulus);
void shim_order_inverse_free(shim_order_inverse *inverse);
/// 1 with `result` = value^-1 mod modulus, confirmed by BN_mod_mul; 0 when it gives no answer (the
/// caller then uses BN_mod_inverse): value not in [1, modulus), not invertible, or beyond its bounds.
int shim_order_inverse_compute(BIGNUM *result, const BIGNUM *value, const shim_order_inverse *inverse, BN_CTX *ctx);
#endif
