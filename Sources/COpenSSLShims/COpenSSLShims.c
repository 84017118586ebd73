#include "COpenSSLShims.h"

STACK_OF(X509) *shim_sk_X509_new_null(void) { return sk_X509_new_null(); }
int shim_sk_X509_push(STACK_OF(X509) *stack, X509 *cert) { return sk_X509_push(stack, cert); }
void shim_sk_X509_free(STACK_OF(X509) *stack) { sk_X509_free(stack); }
int shim_sk_X509_num(const STACK_OF(X509) *stack) { return sk_X509_num(stack); }
X509 *shim_sk_X509_value(const STACK_OF(X509) *stack, int index) { return sk_X509_value(stack, index); }

int shim_sk_GENERAL_NAME_num(const GENERAL_NAMES *names) { return sk_GENERAL_NAME_num(names); }
GENERAL_NAME *shim_sk_GENERAL_NAME_value(const GENERAL_NAMES *names, int index) { return sk_GENERAL_NAME_value(names, index); }
void shim_GENERAL_NAMES_free(GENERAL_NAMES *names) { GENERAL_NAMES_free(names); }

int shim_sk_ASN1_OBJECT_num(const EXTENDED_KEY_USAGE *eku) { return sk_ASN1_OBJECT_num(eku); }
ASN1_OBJECT *shim_sk_ASN1_OBJECT_value(const EXTENDED_KEY_USAGE *eku, int index) { return sk_ASN1_OBJECT_value(eku, index); }
void shim_EXTENDED_KEY_USAGE_free(EXTENDED_KEY_USAGE *eku) { EXTENDED_KEY_USAGE_free(eku); }

void shim_OPENSSL_free(void *pointer) { OPENSSL_free(pointer); }
