import COpenSSL

/// A self-signed certificate for the webhook's host, made with OpenSSL, for
/// `setWebhook(certificate:)` and for the TLS terminator in front of Warden.
public struct SelfSignedCertificate: Sendable {
    public let certificatePEM: String
    public let privateKeyPEM: String

    /// Why a certificate could not be made (OpenSSL's own error, if it gave one).
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Makes a 2048-bit RSA key and a certificate for `commonName` (the webhook URL's host), valid `days` days.
    public static func generate(commonName: String, days: Int = 3650) throws(Failure) -> SelfSignedCertificate {
        guard let key = COpenSSL_generateRSA(2048) else { throw Failure(description: "RSA key generation failed") }
        defer { EVP_PKEY_free(key) }
        guard let certificate = X509_new() else { throw Failure(description: "X509_new failed") }
        defer { X509_free(certificate) }
        guard X509_set_version(certificate, 2) == 1,  // X.509 v3
            ASN1_INTEGER_set(X509_get_serialNumber(certificate), Int.random(in: 1...Int(Int32.max))) == 1,
            X509_gmtime_adj(X509_getm_notBefore(certificate), 0) != nil,
            X509_gmtime_adj(X509_getm_notAfter(certificate), days * 86_400) != nil,
            X509_set_pubkey(certificate, key) == 1,
            let name = X509_get_subject_name(certificate),
            X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, commonName, -1, -1, 0) == 1,
            X509_set_issuer_name(certificate, name) == 1,
            X509_sign(certificate, key, EVP_sha256()) > 0
        else { throw Failure(description: "building the certificate for \(commonName) failed") }
        let certificatePEM = try pem { PEM_write_bio_X509($0, certificate) }
        let keyPEM = try pem { PEM_write_bio_PrivateKey($0, key, nil, nil, 0, nil, nil) }
        return SelfSignedCertificate(certificatePEM: certificatePEM, privateKeyPEM: keyPEM)
    }

    private static func pem(_ write: (OpaquePointer) -> Int32) throws(Failure) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw Failure(description: "BIO_new failed") }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { throw Failure(description: "PEM encoding failed") }
        var data: UnsafeMutablePointer<CChar>?
        let length = COpenSSL_memoryBIOContents(bio, &data)
        guard let data, length > 0 else { throw Failure(description: "PEM encoding gave nothing") }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    }
}
