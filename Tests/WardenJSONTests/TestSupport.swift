import WardenJSON
import WardenTestSupport

/// Returns the parse error, or nil when the input parsed.
func parseFailure(_ bytes: [UInt8], limits: JSONLimits = .default) -> JSONError? {
    do {
        _ = try JSONValue(parsing: bytes, limits: limits)
        return nil
    } catch {
        return error
    }
}

func parseFailure(_ text: String, limits: JSONLimits = .default) -> JSONError? {
    parseFailure(Array(text.utf8), limits: limits)
}

/// A group message replying to a bot, shaped like a real Bot API update (about 600 bytes).
let telegramUpdate = #"""
    {"update_id":912345678,"message":{"message_id":4821,"from":{"id":123456789,"is_bot":false,\#
    "first_name":"Алиса","last_name":"Smith","username":"alice_s","language_code":"en"},\#
    "chat":{"id":-1001234567890123,"title":"Warden Test Group 🛡️","type":"supergroup"},\#
    "date":1732300000,"reply_to_message":{"message_id":4820,"from":{"id":987654321,"is_bot":true,\#
    "first_name":"Warden"},"chat":{"id":-1001234567890123,\#
    "type":"supergroup"},"date":1732299990,"text":"Welcome!"},\#
    "text":"/ban@warden_bot spammer \"repeat offender\" \\ see\nrules \ud83d\udeab","entities":\#
    [{"offset":0,"length":15,"type":"bot_command"},{"offset":16,"length":7,"type":"mention"}],"message_thread_id":null}}
    """#
