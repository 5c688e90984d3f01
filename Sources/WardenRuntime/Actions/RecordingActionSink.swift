import Synchronization
import WardenJSON

/// An in-process sink that records every action and answers it at once, as
/// Telegram would for a bot with every right. For tests and `warden run --stdin`.
public final class RecordingActionSink: ActionSink {
    private let state = Mutex<(actions: [BotAction], nextMessageID: Int64)>(([], 1_000_000))
    /// Called for each action as it arrives (printing, say).
    private let observer: (@Sendable (BotAction) -> Void)?

    public init(observer: (@Sendable (BotAction) -> Void)? = nil) {
        self.observer = observer
    }

    /// Every action so far, in order.
    public var actions: [BotAction] { state.withLock { $0.actions } }

    /// Forgets the recorded actions.
    public func reset() { state.withLock { $0.actions.removeAll() } }

    public func submit(_ action: BotAction, completion: (@Sendable (ActionResult) -> Void)?) {
        let messageID = state.withLock { recorded in
            recorded.actions.append(action)
            recorded.nextMessageID += 1
            return recorded.nextMessageID
        }
        observer?(action)
        completion?(.success(Self.result(for: action, messageID: messageID)))
    }

    /// A plausible `result`: a Message for sending methods, `true` otherwise.
    static func result(for action: BotAction, messageID: Int64) -> JSONValue {
        guard action.method.hasPrefix("send") || action.method.hasPrefix("edit") else { return .bool(true) }
        var message: [String: JSONValue] = [
            "message_id": .int(action.params["message_id"]?.int ?? messageID),
            "date": .int(0),
            "chat": .object(["id": action.params["chat_id"] ?? .null]),
        ]
        if let text = action.params["text"] { message["text"] = text }
        return .object(message)
    }
}
