import BotAPI
import Foundation
import Logging

/// Registers the webhook with Telegram (secret token, connections, update kinds,
/// optionally a self-signed certificate) and builds the server for it.
enum WebhookSetup {
    static func prepare(
        url: String,
        dropPendingUpdates: Bool,
        config: WardenConfig,
        client: BotAPIClient,
        router: UpdateRouter,
        logger: Logger
    ) async throws -> WebhookServer {
        guard let parsed = URL(string: url), let host = parsed.host, ["https", "http"].contains(parsed.scheme ?? "")
        else {
            throw ConfigError(field: "webhook.url", "'\(url)' is not an http(s) URL")
        }
        let secret = config.webhookSecret?.exposedValue ?? randomSecret()
        var certificate: InputFile?
        if config.webhookSelfSignedCertificate {
            let generated = try SelfSignedCertificate.generate(commonName: host)
            try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
            let base = (config.dataDirectory as NSString).appendingPathComponent("webhook")
            try generated.certificatePEM.write(toFile: base + "-cert.pem", atomically: true, encoding: .utf8)
            try generated.privateKeyPEM.write(toFile: base + "-key.pem", atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: base + "-key.pem")
            logger.info("self-signed certificate written", metadata: ["path": "\(base)-cert.pem", "host": "\(host)"])
            certificate = InputFile(
                data: Array(generated.certificatePEM.utf8),
                filename: "webhook-cert.pem",
                contentType: "application/x-pem-file"
            )
        }
        _ = try await client.setWebhook(
            url: url,
            secretToken: secret,
            maxConnections: config.webhookMaxConnections,
            allowedUpdates: AllowedUpdates.all,
            dropPendingUpdates: dropPendingUpdates,
            certificate: certificate
        )
        logger.info(
            "webhook set",
            metadata: ["host": "\(host)", "listen": "\(config.webhookListenHost):\(config.webhookListenPort)"]
        )
        return WebhookServer(
            host: config.webhookListenHost,
            port: config.webhookListenPort,
            path: parsed.path.isEmpty ? "/" : parsed.path,
            secret: secret,
            router: router,
            logger: logger
        )
    }

    /// 48 characters from Telegram's allowed set, from the system's CSPRNG.
    static func randomSecret() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
        var generator = SystemRandomNumberGenerator()
        return String((0..<48).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
