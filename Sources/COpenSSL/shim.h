// The slice of OpenSSL 3 that Warden uses, as seen by Swift.
#ifndef C_OPENSSL_SHIM_H
#define C_OPENSSL_SHIM_H

// SHA1(): Redis identifies cached Lua scripts by the SHA-1 of their source (EVALSHA), so we
// compute it locally instead of asking the server. The one-shot SHA1() is not deprecated in 3.0.
#include <openssl/sha.h>

// CRYPTO_memcmp(): constant-time comparison for secrets (webhook tokens).
#include <openssl/crypto.h>

// No wrappers yet: both functions are plain C and import into Swift as they are.

#endif // C_OPENSSL_SHIM_H
