extension JSONParser {
    /// Parses a number with RFC 8259's grammar: integers stay exact, everything else becomes a double.
    mutating func parseNumber() throws(JSONError) -> JSONValue {
        let start = position
        let negative = bytes[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        let digitsStart = position
        guard position < end, isDigit(bytes[position]) else { throw invalidNumber("expected a digit") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < end && isDigit(bytes[position]) { throw invalidNumber("leading zero") }
        } else {
            skipDigits()
        }
        let digitsEnd = position
        var isInteger = true
        if position < end && bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < end, isDigit(bytes[position]) else { throw invalidNumber("expected a digit after '.'") }
            skipDigits()
            isInteger = false
        }
        if position < end && (bytes[position] | 0x20) == UInt8(ascii: "e") {
            position += 1
            if position < end && (bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")) {
                position += 1
            }
            guard position < end, isDigit(bytes[position]) else {
                throw invalidNumber("expected a digit in the exponent")
            }
            skipDigits()
            isInteger = false
        }
        if isInteger, let exact = integer(digitsStart..<digitsEnd, negative: negative) { return .int(exact) }
        // The standard library's conversion rounds correctly; hand-rolled decimal scaling would not.
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let double = Double(text), double.isFinite else {
            throw JSONError(.numberOutOfRange, "number out of range for a double", at: start)
        }
        return .double(double)
    }

    @inline(__always)
    func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    @inline(__always)
    mutating func skipDigits() {
        while position < end && isDigit(bytes[position]) { position += 1 }
    }

    /// The exact Int64 for a digit run, or nil when it does not fit.
    @inline(__always)
    func integer(_ digits: Range<Int>, negative: Bool) -> Int64? {
        // Eighteen decimal digits stay below 10^18 < 2^63, so no overflow checks are needed.
        if digits.count <= 18 {
            var value: Int64 = 0
            for index in digits { value = value &* 10 &+ Int64(bytes[index] &- UInt8(ascii: "0")) }
            return negative ? -value : value
        }
        // Accumulating toward the sign keeps Int64.min representable.
        var value: Int64 = 0
        for index in digits {
            let digit = Int64(bytes[index] &- UInt8(ascii: "0"))
            let (scaled, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) =
                negative
                ? scaled.subtractingReportingOverflow(digit) : scaled.addingReportingOverflow(digit)
            if overflowA || overflowB { return nil }
            value = next
        }
        return value
    }

    func invalidNumber(_ detail: String) -> JSONError {
        JSONError(.invalidNumber, "invalid number: \(detail)", at: position)
    }
}
