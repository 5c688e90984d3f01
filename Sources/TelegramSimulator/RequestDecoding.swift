import BotAPISpec
import Foundation
import WardenJSON

/// Turns a Bot API request into typed parameters, accepting every encoding Telegram accepts: the query
/// string, `application/json`, `application/x-www-form-urlencoded` and `multipart/form-data`.
///
/// Form values are strings; like Telegram, they are read as the reference's declared type (numbers,
/// booleans, JSON-serialized objects and arrays), so validation then treats both encodings alike.
enum RequestDecoding {
    static func parameters(
        query: String?,
        contentType: String?,
        body: [UInt8],
        method: SpecMethod?
    ) throws(APIError) -> [String: JSONValue] {
        var strings: [(String, String)] = query.map(formPairs) ?? []
        var typed: [String: JSONValue] = [:]
        let type = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        let isBlank = body.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        if type == "application/json" && !isBlank {
            guard let object = (try? JSONValue(parsing: body))?.object else {
                throw .badRequest("can't parse JSON object")
            }
            typed = object
        } else if type == "application/x-www-form-urlencoded" {
            strings += formPairs(String(decoding: body, as: UTF8.self))
        } else if type == "multipart/form-data" {
            guard let boundary = boundary(in: contentType ?? "") else {
                throw .badRequest("can't parse multipart/form-data")
            }
            for part in Multipart.parts(body, boundary: boundary) {
                if part.filename != nil {
                    // An uploaded file stands for itself only when a parameter has its name; otherwise it is
                    // an attachment that media objects reference as "attach://<name>".
                    if method?.field(named: part.name) != nil { typed[part.name] = .string("attach://\(part.name)") }
                } else {
                    strings.append((part.name, String(decoding: part.data, as: UTF8.self)))
                }
            }
        }
        for (key, text) in strings where typed[key] == nil {
            typed[key] = coerce(text, to: method?.field(named: key)?.types ?? [.string])
        }
        return typed
    }

    /// A form string read as the first declared type it fits; JSON for objects and arrays; else the string.
    static func coerce(_ text: String, to types: [SpecType]) -> JSONValue {
        for type in types {
            switch type {
            case .integer: if let value = Int64(text) { return .int(value) }
            case .float:
                if let value = Int64(text) { return .int(value) }
                if let value = Double(text), value.isFinite { return .double(value) }
            case .boolean, .true:
                switch text.lowercased() {
                case "true", "1": return true
                case "false", "0": if type == .boolean { return false }
                default: break
                }
            case .array:
                if let value = try? JSONValue(parsing: text), value.array != nil { return value }
            case .named(let name) where name != "InputFile":
                if let value = try? JSONValue(parsing: text), value.object != nil { return value }
            default: break
            }
        }
        return .string(text)
    }

    /// `a=1&b=x+y%21` → [("a", "1"), ("b", "x y!")].
    static func formPairs(_ text: String) -> [(String, String)] {
        text.split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = parts.first.map(decodeComponent), !key.isEmpty else { return nil }
            return (key, parts.count > 1 ? decodeComponent(parts[1]) : "")
        }
    }

    private static func decodeComponent(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    private static func boundary(in contentType: String) -> String? {
        for parameter in contentType.split(separator: ";") {
            let trimmed = parameter.trimmingCharacters(in: .whitespaces)
            if trimmed.lowercased().hasPrefix("boundary=") {
                return String(trimmed.dropFirst("boundary=".count)).trimmingCharacters(
                    in: CharacterSet(charactersIn: "\"")
                )
            }
        }
        return nil
    }
}

/// A minimal multipart/form-data reader: enough for Bot API clients, never trusted beyond that.
enum Multipart {
    struct Part {
        let name: String
        let filename: String?
        let data: [UInt8]
    }

    static func parts(_ body: [UInt8], boundary: String) -> [Part] {
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [Part] = []
        var sections: [ArraySlice<UInt8>] = []
        var start: Int?
        var index = 0
        while index + delimiter.count <= body.count {
            if body[index..<(index + delimiter.count)].elementsEqual(delimiter) {
                if let start { sections.append(body[start..<index]) }
                index += delimiter.count
                start = index
            } else {
                index += 1
            }
        }
        for section in sections {
            var bytes = Array(section)
            if bytes.starts(with: [0x0D, 0x0A]) { bytes.removeFirst(2) }
            if bytes.count >= 2 && bytes.suffix(2) == [0x0D, 0x0A] { bytes.removeLast(2) }
            guard let split = headerEnd(bytes) else { continue }
            let headers = String(decoding: bytes[..<split], as: UTF8.self)
            guard let name = attribute("name", in: headers) else { continue }
            parts.append(
                Part(name: name, filename: attribute("filename", in: headers), data: Array(bytes[(split + 4)...]))
            )
        }
        return parts
    }

    private static func headerEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where bytes[index..<(index + 4)].elementsEqual([0x0D, 0x0A, 0x0D, 0x0A]) {
            return index
        }
        return nil
    }

    /// `name="photo"` from a Content-Disposition header.
    private static func attribute(_ key: String, in headers: String) -> String? {
        guard let range = headers.range(of: "; \(key)=\"") ?? headers.range(of: ";\(key)=\"") else { return nil }
        let rest = headers[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }
}
