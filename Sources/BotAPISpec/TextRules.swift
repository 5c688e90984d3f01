import WardenJSON

/// Ranges from descriptions, with Telegram's own wording for the limits bots hit most.
enum TextRules {
    static let emptyMessageText = SpecViolation(
        .outOfRange,
        path: "text",
        description: "Bad Request: message text is empty"
    )

    /// The message body fields whose violations Telegram words as "message text is empty / too long".
    static func isMessageText(method: String, field: String) -> Bool {
        (field == "text" && (method == "sendMessage" || method == "editMessageText"))
            || (field == "message_text" && method == "InputTextMessageContent")
    }

    static func check(
        _ limit: FieldLimit,
        value: JSONValue,
        field: SpecField,
        siblings: [String: JSONValue],
        path: String,
        owner: String
    ) -> SpecViolation? {
        let noun = path.contains(".") || path.contains("[") ? "field" : "parameter"
        switch limit.unit {
        case .characters, .charactersAfterEntities:
            guard var text = value.string else { return nil }
            if limit.unit == .charactersAfterEntities {
                if let mode = parseMode(for: field.name, in: siblings) {
                    switch FormattedText.parse(text, mode: mode) {
                    case .success(let parsed): text = parsed.text
                    case .failure(let error):
                        return SpecViolation(
                            .unparsableEntities,
                            path: path,
                            description: "Bad Request: can't parse entities: \(error.message)"
                        )
                    }
                }
                // Telegram strips surrounding whitespace before counting, so "  " is an empty message.
                text = text.trimmingWhitespace()
            }
            let count = Int64(text.utf16.count)
            if count >= limit.minimum && count <= limit.maximum { return nil }
            if isMessageText(method: owner, field: field.name) {
                return count < limit.minimum
                    ? SpecViolation(.outOfRange, path: path, description: "Bad Request: message text is empty")
                    : SpecViolation(.outOfRange, path: path, description: "Bad Request: message is too long")
            }
            if field.name == "caption" && count > limit.maximum {
                return SpecViolation(.outOfRange, path: path, description: "Bad Request: message caption is too long")
            }
            return outOfRange(path, noun, "must be \(limit.minimum)-\(limit.maximum) characters long")
        case .bytes:
            guard let text = value.string else { return nil }
            let count = Int64(text.utf8.count)
            if count >= limit.minimum && count <= limit.maximum { return nil }
            return outOfRange(path, noun, "must be \(limit.minimum)-\(limit.maximum) bytes long")
        case .items:
            guard let items = value.array else { return nil }
            let count = Int64(items.count)
            if count >= limit.minimum && count <= limit.maximum { return nil }
            return outOfRange(path, noun, "must contain \(limit.minimum)-\(limit.maximum) items")
        case .value:
            guard let number = value.double else { return nil }
            if number >= Double(limit.minimum) && number <= Double(limit.maximum) { return nil }
            return outOfRange(path, noun, "must be between \(limit.minimum) and \(limit.maximum)")
        }
    }

    /// `text` and `caption` use `parse_mode`; `explanation`, `question` and the like have their own.
    private static func parseMode(for field: String, in siblings: [String: JSONValue]) -> String? {
        if let own = siblings["\(field)_parse_mode"]?.string { return own }
        guard ["text", "caption", "message_text", "description"].contains(field) else { return nil }
        // Entities given explicitly replace parsing; Telegram ignores parse_mode then.
        if siblings["entities"] != nil || siblings["caption_entities"] != nil { return nil }
        return siblings["parse_mode"]?.string
    }

    private static func outOfRange(_ path: String, _ noun: String, _ rule: String) -> SpecViolation {
        SpecViolation(.outOfRange, path: path, description: "Bad Request: \(noun) \"\(path)\" \(rule)")
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
