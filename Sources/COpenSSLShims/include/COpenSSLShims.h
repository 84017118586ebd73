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
#endif
