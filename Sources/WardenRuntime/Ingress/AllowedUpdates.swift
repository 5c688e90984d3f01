/// The update kinds Warden asks Telegram for (explicitly: `chat_member` is not sent unless asked).
public enum AllowedUpdates {
    public static let all = [
        "message", "edited_message", "channel_post", "edited_channel_post", "callback_query", "chat_member",
        "my_chat_member", "chat_join_request", "message_reaction",
    ]
}
