#ifndef COPENSSL_SHIMS_H
#define COPENSSL_SHIMS_H
#include <openssl/evp.h>
#endif
