/// An error raised while loading or running Lua code, naming where it came from.
///
/// ```swift
/// do { try state.call(function) } catch { log.error("\(error)") }  // "plugins/echo.lua:3: boom"
/// ```
public struct LuaError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, as a small closed set (safe as a metric label).
    public enum Kind: String, Sendable {
        /// The chunk does not compile.
        case syntax
        /// A runtime error raised by Lua code or a host function.
        case runtime
        /// The instruction budget ran out: runaway code was stopped.
        case budget
        /// The memory cap of the state was reached.
        case memory
        /// The error handler itself failed.
        case handler
        /// The host could not read or convert a value.
        case conversion
    }

    public var kind: Kind
    /// The Lua message, usually starting with `chunk:line:`.
    public var message: String
    /// The stack traceback, when Lua gave one.
    public var traceback: String?

    public init(kind: Kind, message: String, traceback: String? = nil) {
        self.kind = kind
        self.message = message
        self.traceback = traceback
    }

    public var description: String { message }

    /// Short and constant: usable as a metric label or log key.
    public var shortDescription: String { kind.rawValue }
}
