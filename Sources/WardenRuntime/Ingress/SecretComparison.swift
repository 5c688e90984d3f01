import COpenSSL

/// Compares a presented secret with the expected one in time independent of
/// where they differ (OpenSSL's CRYPTO_memcmp), so the secret cannot be guessed byte by byte.
enum SecretComparison {
    static func matches(_ presented: String?, _ expected: String) -> Bool {
        guard let presented else { return false }
        let given = Array(presented.utf8)
        let wanted = Array(expected.utf8)
        // The length is not secret (Telegram allows 1-256 characters); the content is.
        guard given.count == wanted.count else { return false }
        return given.withUnsafeBytes { a in
            wanted.withUnsafeBytes { b in CRYPTO_memcmp(a.baseAddress, b.baseAddress, a.count) == 0 }
        }
    }
}
