/// Redis glob patterns (`SCAN MATCH`, `KEYS`, `PSUBSCRIBE`).
public enum RedisGlob {
    /// `text` matched literally: `*`, `?`, `[`, `]` and `\` are glob syntax, so each is escaped.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if "*?[]\\".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
