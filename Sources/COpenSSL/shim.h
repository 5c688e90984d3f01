// The slice of OpenSSL 3 that Warden uses, as seen by Swift.
#ifndef C_OPENSSL_SHIM_H
#define C_OPENSSL_SHIM_H

// SHA1(): Redis identifies cached Lua scripts by the SHA-1 of their source (EVALSHA), so we
// compute it locally instead of asking the server. The one-shot SHA1() is not deprecated in 3.0.
#include <openssl/sha.h>

// CRYPTO_memcmp(): constant-time comparison for secrets (webhook tokens).
#include <openssl/crypto.h>

// X.509 and keys: a self-signed certificate for the webhook (setWebhook's `certificate`).
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

// EVP_RSA_gen is a macro over the variadic EVP_PKEY_Q_keygen.
static inline EVP_PKEY *COpenSSL_generateRSA(unsigned int bits) { return EVP_RSA_gen(bits); }

// BIO_get_mem_data is a macro over the variadic BIO_ctrl.
static inline long COpenSSL_memoryBIOContents(BIO *bio, char **data) { return BIO_get_mem_data(bio, data); }

#endif // C_OPENSSL_SHIM_H
