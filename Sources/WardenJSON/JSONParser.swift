extension JSONValue {
    /// Parses exactly one RFC 8259 JSON document from UTF-8 bytes; whitespace around it is allowed.
    public init(parsing bytes: some Collection<UInt8>, limits: JSONLimits = .default) throws(JSONError) {
        // The closure APIs only rethrow untyped errors, so the typed error travels inside a Result.
        let contiguous = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONError) in try JSONParser.parse(buffer, limits: limits) }
        }
        if let contiguous {
            self = try contiguous.get()
            return
        }
        let count = bytes.count
        guard count <= limits.maxBytes else { throw JSONParser.tooLarge(count, limits) }
        let copy = Array(bytes)
        self = try copy.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONError) in try JSONParser.parse(buffer, limits: limits) }
        }.get()
    }

    /// Parses exactly one JSON document from the UTF-8 form of `text`.
    public init(parsing text: String, limits: JSONLimits = .default) throws(JSONError) {
        var text = text
        self = try text.withUTF8 { buffer in
            Result { () throws(JSONError) in try JSONParser.parse(buffer, limits: limits) }
        }.get()
    }
}

/// Single-pass parser over a borrowed buffer.
///
/// Every read is guarded by an explicit `position < end` test: in release builds
/// `UnsafeBufferPointer` does not bounds-check, so the logic itself must.
struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let end: Int
    let limits: JSONLimits
    var position = 0
    /// Reused across escaped strings so that each one does not allocate its own buffer.
    var scratch: [UInt8] = []

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, limits: JSONLimits) throws(JSONError) -> JSONValue {
        guard bytes.count <= limits.maxBytes else { throw tooLarge(bytes.count, limits) }
        var parser = JSONParser(bytes: bytes, end: bytes.count, limits: limits)
        // RFC 8259 permits ignoring a byte order mark; some tools still write one.
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { parser.position = 3 }
        parser.skipWhitespace()
        guard parser.position < parser.end else { throw JSONError(.emptyInput, "empty input", at: parser.position) }
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.position < parser.end {
            let found = JSONError.describe(byte: bytes[parser.position])
            throw JSONError(.trailingData, "unexpected character \(found) after the value", at: parser.position)
        }
        return value
    }

    static func tooLarge(_ count: Int, _ limits: JSONLimits) -> JSONError {
        JSONError(.tooLarge, "input of \(count) bytes exceeds the limit of \(limits.maxBytes)", at: limits.maxBytes)
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < end {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    func unexpected(_ context: String? = nil) -> JSONError {
        guard position < end else { return JSONError(.unexpectedEnd, "unexpected end of input", at: position) }
        let found = JSONError.describe(byte: bytes[position])
        guard let context else { return JSONError(.unexpectedCharacter, "unexpected character \(found)", at: position) }
        return JSONError(.unexpectedCharacter, "expected \(context), found \(found)", at: position)
    }

    /// Parses one value of any shape.
    ///
    /// Open containers live on explicit heap stacks rather than the call stack, so no input (and
    /// no caller-chosen `maxDepth`) can overflow the thread's stack. Children of every open
    /// container share one flat buffer; each container is built once, at its exact size, when it
    /// closes, which avoids the repeated regrowth and rehashing of appending in place.
    mutating func parseValue() throws(JSONError) -> JSONValue {
        var frames: [(isObject: Bool, start: Int)] = []
        var elements: [JSONValue] = []
        var members: [(key: String, value: JSONValue)] = []
        var keys: [String] = []
        while true {
            skipWhitespace()
            guard position < end else { throw unexpected() }
            var value: JSONValue
            switch bytes[position] {
            case UInt8(ascii: "\""):
                value = .string(try parseString())
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = try parseNumber()
            case UInt8(ascii: "{"):
                try checkDepth(frames.count)
                position += 1
                skipWhitespace()
                if position < end && bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    value = .object([:])
                } else {
                    frames.append((true, members.count))
                    keys.append(try parseKey())
                    continue
                }
            case UInt8(ascii: "["):
                try checkDepth(frames.count)
                position += 1
                skipWhitespace()
                if position < end && bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    value = .array([])
                } else {
                    frames.append((false, elements.count))
                    continue
                }
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                value = .bool(false)
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                value = .null
            default: throw unexpected()
            }
            // Hand the finished value to its parent; keep closing parents until one wants more.
            while let frame = frames.last {
                skipWhitespace()
                guard position < end else { throw unexpected() }
                let byte = bytes[position]
                if frame.isObject {
                    members.append((keys.removeLast(), value))
                    if byte == UInt8(ascii: ",") {
                        position += 1
                        skipWhitespace()
                        keys.append(try parseKey())
                        break
                    }
                    guard byte == UInt8(ascii: "}") else { throw unexpected("',' or '}' in object") }
                    position += 1
                    frames.removeLast()
                    var object = [String: JSONValue](minimumCapacity: members.count - frame.start)
                    // Later duplicates overwrite earlier ones: last key wins.
                    for index in frame.start..<members.count { object[members[index].key] = members[index].value }
                    members.removeSubrange(frame.start...)
                    value = .object(object)
                } else {
                    elements.append(value)
                    if byte == UInt8(ascii: ",") {
                        position += 1
                        break
                    }
                    guard byte == UInt8(ascii: "]") else { throw unexpected("',' or ']' in array") }
                    position += 1
                    frames.removeLast()
                    value = .array(Array(elements[frame.start...]))
                    elements.removeSubrange(frame.start...)
                }
            }
            if frames.isEmpty { return value }
        }
    }

    func checkDepth(_ open: Int) throws(JSONError) {
        guard open < limits.maxDepth else {
            throw JSONError(.tooDeep, "nesting deeper than \(limits.maxDepth)", at: position)
        }
    }

    /// Parses `"key"` and the following colon, leaving the position at the member's value.
    mutating func parseKey() throws(JSONError) -> String {
        guard position < end, bytes[position] == UInt8(ascii: "\"") else {
            throw unexpected("'\"' to begin an object key")
        }
        let key = try parseString()
        skipWhitespace()
        guard position < end, bytes[position] == UInt8(ascii: ":") else { throw unexpected("':' after object key") }
        position += 1
        return key
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        // Our literals are ASCII, so StaticString always stores them as a UTF-8 pointer.
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for byte in expected {
            // Points at the first byte that differs, or reports the end when input ran out.
            guard position < end, bytes[position] == byte else { throw unexpected() }
            position += 1
        }
    }
}
