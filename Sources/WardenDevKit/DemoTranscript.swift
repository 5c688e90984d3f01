import Foundation
import TelegramSimulator
import WardenJSON

/// Names for ids, and one readable line per scenario event.
struct Narrator: Sendable {
    private let names: [Int64: String]

    init(world: SpecWorld, definition: WorldDefinition) {
        var names: [Int64: String] = [:]
        for user in definition.users {
            if let id = try? world.id(user.name) { names[id] = user.body["first_name"]?.string ?? user.name }
        }
        for chat in definition.chats {
            if let id = try? world.id(chat.name) { names[id] = chat.title ?? chat.name }
        }
        names[PrivateTelegram.botID] = "the bot"
        self.names = names
    }

    func name(_ id: Int64?) -> String {
        guard let id else { return "?" }
        return names[id] ?? String(id)
    }

    /// "Olga in Demo Group: /lock links", "Zed joined Demo Group", … (nil for steps not worth a line).
    func event(_ step: JSONValue, world: SpecWorld) -> String? {
        if SpecPlayer.expectations.contains(where: { step[$0] != nil }) { return nil }
        func named(_ key: String) -> String { step[key]?.string.flatMap { try? world.id($0) }.map(name) ?? "?" }
        let chat = named("chat")
        if let user = step["join"]?.string {
            return "\(name(try? world.id(user))) joined \(chat)"
        } else if let user = step["leave"]?.string {
            return "\(name(try? world.id(user))) left \(chat)"
        } else if let user = step["join_request"]?.string {
            return "\(name(try? world.id(user))) asked to join \(chat)"
        } else if let data = step["press"]?.string {
            return "\(named("from")) pressed the button “\(data)”"
        } else if step["text"] != nil || step["kind"] != nil {
            let content =
                step["text"]?.string ?? step["caption"]?.string.map { "[\(step["kind"]?.string ?? "media")] \($0)" }
                ?? "[\(step["kind"]?.string ?? "message")]"
            let forwarded = step["forward_from_chat"] != nil || step["forward_from_user"] != nil ? " (forwarded)" : ""
            let reply = step["reply_to"] != nil ? " (in reply)" : ""
            return "\(named("from")) in \(chat)\(reply)\(forwarded): \(content.prefix(120))"
        } else if let seconds = step["wait"]?.double {
            return "… \(seconds) s later"
        }
        return nil
    }
}

/// Follows the Bot API calls the bot makes and tells them as they happen; returns them all when cancelled.
struct BotTranscript: Sendable {
    let control: SimulatorControl
    let narrator: Narrator
    let print: @Sendable (String) -> Void

    func follow() async -> [JSONValue] {
        var seen: [JSONValue] = []
        var last: Int64 = 0
        while true {
            let cancelled = Task.isCancelled
            if let fresh = try? await control.calls(since: Int(last)) {
                let calls = fresh.filter { $0["method"]?.string?.lowercased() != "getupdates" }
                last = max(last, fresh.compactMap { $0["seq"]?.int }.max() ?? last)
                tell(calls)
                seen += calls
            }
            if cancelled { return seen }
            try? await Task.sleep(for: .milliseconds(250))
        }
    }

    /// Messages the bot sent, one line each; other actions summed up per chat for this moment.
    private func tell(_ calls: [JSONValue]) {
        var deleted: [Int64: Int] = [:]
        for call in calls {
            let params = call["params"] ?? [:]
            let chat = narrator.name(params["chat_id"]?.int)
            let refused =
                call["status"]?.int == 200 ? "" : " → refused: \(call["response"]?["description"]?.string ?? "?")"
            switch call["method"]?.string ?? "" {
            case "deleteMessage", "deleteMessages":
                if refused.isEmpty {
                    deleted[params["chat_id"]?.int ?? 0, default: 0] += params["message_ids"]?.array?.count ?? 1
                } else {
                    print("  🤖 could not delete in \(chat)\(refused)")
                }
            case "sendMessage":
                let text = (params["text"]?.string ?? "").replacingOccurrences(of: "\n", with: "\n       ")
                print("  🤖 → \(chat): \(text)\(refused)")
            case "banChatMember": print("  🤖 bans \(narrator.name(params["user_id"]?.int)) in \(chat)\(refused)")
            case "unbanChatMember":
                print("  🤖 lifts the ban of \(narrator.name(params["user_id"]?.int)) in \(chat)\(refused)")
            case "restrictChatMember":
                let muted = params["permissions"]?["can_send_messages"] == false
                let what = muted ? "restricts" : "lifts the restrictions of"
                print("  🤖 \(what) \(narrator.name(params["user_id"]?.int)) in \(chat)\(refused)")
            case "answerCallbackQuery": print("  🤖 answers a button press: \(params["text"]?.string ?? "")\(refused)")
            case let method: print("  🤖 \(method) in \(chat)\(refused)")
            }
        }
        for (chat, count) in deleted.sorted(by: { $0.key < $1.key }) {
            print("  🤖 deletes \(count) message\(count == 1 ? "" : "s") in \(narrator.name(chat))")
        }
    }
}
