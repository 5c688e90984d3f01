public import WardenJSON

/// What the core derives from a Bot API `Message` before plugins see it.
///
/// Pure and cheap: computed once per message, then pushed into the Lua `msg`
/// table as `kind`, `service_action`, `command`, `args` and the yagop aliases.
public struct MessageFacts: Sendable, Equatable {
    /// text, photo, video, sticker, animation, document, audio, voice, video_note, contact,
    /// location, venue, poll, dice, game, story, …, service, or unknown.
    public var kind: String
    /// For service messages: join, leave, title, photo, photo_deleted, created, migrate, pin, …
    public var serviceAction: String?
    /// For service messages: the tg-cli action type yagop plugins expect (chat_add_user, …).
    public var compatAction: String?
    /// The command without its prefix or `@botname`, lowercased (`ban` for "/Ban@WardenBot 42").
    public var command: String?
    /// Everything after the command, trimmed ("" when nothing follows).
    public var args: String?
    /// A command addressed to another bot (`/ban@OtherBot`): patterns are not tried.
    public var addressedElsewhere: Bool
    /// What patterns are matched against: the text or caption with our `@botname`
    /// removed from a leading command, `!!tgservice <action>` for service messages,
    /// `[<kind>]` for media without a caption.
    public var matchText: String

    /// Derives the facts of a message.
    /// - Parameters:
    ///   - message: the Bot API `Message` object.
    ///   - botUsername: the bot's username (without `@`), to recognise `/cmd@botname`.
    public init(message: JSONValue, botUsername: String?) {
        kind = Self.kind(of: message)
        addressedElsewhere = false
        if kind == "service" {
            let (action, compat) = Self.serviceAction(of: message)
            serviceAction = action
            compatAction = compat
            matchText = "!!tgservice " + compat
            return
        }
        let body = message["text"]?.string ?? message["caption"]?.string
        guard let body else {
            matchText = "[\(kind)]"
            return
        }
        matchText = body
        guard let parsed = CommandParser.parse(body) else { return }
        if let target = parsed.botName, target.lowercased() != botUsername?.lowercased() {
            addressedElsewhere = true
            return
        }
        command = parsed.name.lowercased()
        args = parsed.arguments
        matchText = parsed.textWithoutBotName
    }

    /// Content fields in the order that decides the kind (animation messages carry a document too;
    /// venues carry a location).
    static let contentKinds = [
        "text", "animation", "photo", "video", "sticker", "video_note", "voice", "audio", "document", "venue",
        "location", "contact", "poll", "dice", "game", "story", "paid_media", "live_photo", "checklist", "invoice",
        "giveaway",
    ]

    static func kind(of message: JSONValue) -> String {
        for kind in contentKinds where message[kind] != nil { return kind }
        if serviceFields.contains(where: { message[$0.field] != nil }) { return "service" }
        return "unknown"
    }

    /// Service fields: the Warden action name and the tg-cli action type.
    static let serviceFields: [(field: String, action: String, compat: String)] = [
        ("new_chat_members", "join", "chat_add_user"),
        ("left_chat_member", "leave", "chat_del_user"),
        ("new_chat_title", "title", "chat_rename"),
        ("new_chat_photo", "photo", "chat_change_photo"),
        ("delete_chat_photo", "photo_deleted", "chat_delete_photo"),
        ("group_chat_created", "created", "chat_created"),
        ("supergroup_chat_created", "created", "chat_created"),
        ("channel_chat_created", "created", "chat_created"),
        ("migrate_to_chat_id", "migrate", "migrated_to"),
        ("migrate_from_chat_id", "migrate", "migrated_from"),
        ("pinned_message", "pin", "chat_pin_message"),
        ("message_auto_delete_timer_changed", "auto_delete_timer", "chat_auto_delete_timer"),
        ("video_chat_scheduled", "video_chat", "chat_video_chat"),
        ("video_chat_started", "video_chat", "chat_video_chat"),
        ("video_chat_ended", "video_chat", "chat_video_chat"),
        ("video_chat_participants_invited", "video_chat", "chat_video_chat"),
        ("forum_topic_created", "topic", "chat_topic"),
        ("forum_topic_edited", "topic", "chat_topic"),
        ("forum_topic_closed", "topic", "chat_topic"),
        ("forum_topic_reopened", "topic", "chat_topic"),
        ("general_forum_topic_hidden", "topic", "chat_topic"),
        ("general_forum_topic_unhidden", "topic", "chat_topic"),
        ("boost_added", "boost", "chat_boost"),
        ("chat_background_set", "background", "chat_background"),
        ("chat_owner_left", "owner_left", "chat_owner_left"),
        ("chat_owner_changed", "owner_changed", "chat_owner_changed"),
        ("write_access_allowed", "write_access", "chat_write_access"),
        ("proximity_alert_triggered", "proximity_alert", "chat_proximity_alert"),
        ("users_shared", "shared", "chat_shared"),
        ("chat_shared", "shared", "chat_shared"),
        ("connected_website", "connected_website", "chat_connected_website"),
        ("successful_payment", "payment", "chat_payment"),
        ("refunded_payment", "payment", "chat_payment"),
        ("gift", "gift", "chat_gift"),
        ("unique_gift", "gift", "chat_gift"),
        ("giveaway_created", "giveaway", "chat_giveaway"),
        ("giveaway_winners", "giveaway", "chat_giveaway"),
        ("giveaway_completed", "giveaway", "chat_giveaway"),
        ("web_app_data", "web_app_data", "chat_web_app_data"),
    ]

    static func serviceAction(of message: JSONValue) -> (action: String, compat: String) {
        guard let entry = serviceFields.first(where: { message[$0.field] != nil }) else { return ("other", "other") }
        if entry.field == "new_chat_members",
            let members = message["new_chat_members"]?.array, members.count == 1,
            members[0]["id"]?.int == message["from"]?["id"]?.int
        {
            return (entry.action, "chat_add_user_link")  // joined by themselves (link or public group)
        }
        return (entry.action, entry.compat)
    }
}
