extension JSONValue {
    /// Encodes this value as compact RFC 8259 JSON in UTF-8.
    ///
    /// Non-ASCII text is written as raw UTF-8; only `"`, `\` and control characters are escaped.
    /// Non-finite doubles, which JSON cannot express, are written as `null`. With `sortedKeys`,
    /// members are ordered by their UTF-8 bytes, giving output that is stable across runs.
    /// Recursion follows the value's depth; parsed values are bounded by `JSONLimits.maxDepth`.
    public func serialized(sortedKeys: Bool = false) -> [UInt8] {
        var writer = JSONWriter(sortedKeys: sortedKeys)
        writer.write(self)
        return writer.output
    }

    /// The compact JSON text of this value, members in dictionary order.
    public var jsonString: String {
        String(decoding: serialized(), as: UTF8.self)
    }
}

struct JSONWriter {
    let sortedKeys: Bool
    var output: [UInt8] = []

    init(sortedKeys: Bool) {
        self.sortedKeys = sortedKeys
        // Most bot API payloads are a few hundred bytes; skip the early regrowth steps.
        output.reserveCapacity(512)
    }

    mutating func write(_ value: JSONValue) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: flag ? "true".utf8 : "false".utf8)
        case .int(let integer): write(integer)
        case .double(let double): write(double)
        case .string(let string): write(string)
        case .array(let array):
            output.append(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(element)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            if sortedKeys {
                let keys = object.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                for (index, key) in keys.enumerated() {
                    writeMember(key, object[key].unsafelyUnwrapped, first: index == 0)
                }
            } else {
                var first = true
                for (key, member) in object {
                    writeMember(key, member, first: first)
                    first = false
                }
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private mutating func writeMember(_ key: String, _ value: JSONValue, first: Bool) {
        if !first { output.append(UInt8(ascii: ",")) }
        write(key)
        output.append(UInt8(ascii: ":"))
        write(value)
    }

    private mutating func write(_ integer: Int64) {
        if integer < 0 { output.append(UInt8(ascii: "-")) }
        // magnitude sidesteps the overflow of negating Int64.min.
        var remaining = integer.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            } while remaining != 0
            output.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    private mutating func write(_ double: Double) {
        guard double.isFinite else {
            output.append(contentsOf: "null".utf8)
            return
        }
        // description is the shortest text that round-trips and always carries '.' or an
        // exponent ("1.0", "1e+16"), so the value parses back as a double, not an int.
        output.append(contentsOf: double.description.utf8)
    }

    private mutating func write(_ string: String) {
        var string = string
        output.append(UInt8(ascii: "\""))
        string.withUTF8 { bytes in
            var runStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                writeEscape(byte)
                runStart = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        output.append(UInt8(ascii: "\""))
    }

    private mutating func writeEscape(_ byte: UInt8) {
        let short: UInt8
        switch byte {
        case UInt8(ascii: "\""): short = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): short = UInt8(ascii: "\\")
        case 0x08: short = UInt8(ascii: "b")
        case 0x0C: short = UInt8(ascii: "f")
        case 0x0A: short = UInt8(ascii: "n")
        case 0x0D: short = UInt8(ascii: "r")
        case 0x09: short = UInt8(ascii: "t")
        default:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            output.append(contentsOf: [
                UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                hex[Int(byte >> 4)], hex[Int(byte & 0xF)],
            ])
            return
        }
        output.append(UInt8(ascii: "\\"))
        output.append(short)
    }
}
