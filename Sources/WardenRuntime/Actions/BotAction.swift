import Synchronization
public import WardenJSON

/// One Bot API call a plugin asked for, on its way to the outbox.
public struct BotAction: Sendable, Equatable {
    /// Unique within the process; ties the result back to the plugin's callback.
    public var id: UInt64
    /// The Bot API method, e.g. `sendMessage`.
    public var method: String
    /// The JSON parameters.
    public var params: [String: JSONValue]
    /// The plugin that asked (for logs, metrics and errors).
    public var plugin: String
    /// The update being handled when it was asked, if any (idempotency, tracing).
    public var updateID: Int64?
    /// Its entry in the action journal, while it waits there for its first attempt.
    public var journalField: String?

    public init(id: UInt64, method: String, params: [String: JSONValue], plugin: String, updateID: Int64?) {
        self.id = id
        self.method = method
        self.params = params
        self.plugin = plugin
        self.updateID = updateID
    }

    /// The chat the action concerns, when its parameters name one.
    public var chatID: JSONValue? { params["chat_id"] }

    private static let lastID = Atomic<UInt64>(0)

    /// A fresh action id, unique within the process.
    public static func nextID() -> UInt64 {
        lastID.add(1, ordering: .relaxed).newValue
    }
}

/// What became of an action: Telegram's `result`, or its error.
public enum ActionResult: Sendable, Equatable {
    case success(JSONValue)
    case failure(ActionFailure)
}

/// A refused or failed action as plugins see it: `(false, {error_code=…, description=…})`.
public struct ActionFailure: Error, Sendable, Equatable {
    public var errorCode: Int
    public var description: String

    public init(errorCode: Int, description: String) {
        self.errorCode = errorCode
        self.description = description
    }
}

/// Where plugin actions go: the outbox in production, a recorder in tests.
public protocol ActionSink: Sendable {
    /// Takes an action; `completion`, when given, is called once with its result, from any thread.
    func submit(_ action: BotAction, completion: (@Sendable (ActionResult) -> Void)?)
}
