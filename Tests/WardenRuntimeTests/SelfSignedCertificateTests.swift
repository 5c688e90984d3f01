import Foundation
import Testing

@testable import WardenRuntime

@Suite struct SelfSignedCertificateTests {
    @Test func certificateIsForTheHostAndOpenSSLReadsIt() throws {
        let generated = try SelfSignedCertificate.generate(commonName: "bot.example.com")
        #expect(generated.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(generated.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("warden-cert-\(UUID().uuidString).pem")
        try generated.certificatePEM.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["x509", "-in", file.path, "-noout", "-subject"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let subject = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(subject.contains("CN = bot.example.com") || subject.contains("CN=bot.example.com"))
    }
}
