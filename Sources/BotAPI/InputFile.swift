import Foundation

/// A file to upload with a Bot API call (multipart/form-data).
public struct InputFile: Sendable, Equatable {
    public var data: [UInt8]
    public var filename: String
    public var contentType: String

    public init(data: [UInt8], filename: String, contentType: String = "application/octet-stream") {
        self.data = data
        self.filename = filename
        self.contentType = contentType
    }
}

/// Encodes parameters and files as multipart/form-data (RFC 7578), as Telegram accepts for uploads.
public struct MultipartForm: Sendable {
    public let boundary: String

    public init(boundary: String = MultipartForm.randomBoundary()) {
        self.boundary = boundary
    }

    public var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    /// Text fields first (in the given order), then files.
    public func encode(fields: [(name: String, value: String)], files: [(name: String, file: InputFile)]) -> [UInt8] {
        var body: [UInt8] = []
        func append(_ text: String) { body.append(contentsOf: Array(text.utf8)) }
        for (name, value) in fields {
            append("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(Self.escaped(name))\"\r\n\r\n")
            append(value)
            append("\r\n")
        }
        for (name, file) in files {
            append("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(Self.escaped(name))\"; ")
            append("filename=\"\(Self.escaped(file.filename))\"\r\nContent-Type: \(file.contentType)\r\n\r\n")
            body.append(contentsOf: file.data)
            append("\r\n")
        }
        append("--\(boundary)--\r\n")
        return body
    }

    /// Quotes and line breaks cannot appear inside a quoted header value.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\"", with: "%22").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    public static func randomBoundary() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return "warden-" + String((0..<24).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
