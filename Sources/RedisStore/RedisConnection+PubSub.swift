internal import CHiredis

/// A message a pattern subscription received (`pmessage`).
public struct RedisPatternMessage: Sendable, Equatable {
    /// The pattern that matched.
    public var pattern: String
    /// The channel it was published on; for keyspace notifications, `__keyspace@DB__:<key>`.
    public var channel: [UInt8]
    /// For keyspace notifications, the event (`hset`, `del`, `expired`, …).
    public var payload: [UInt8]
}

// Pub/sub on a connection of its own: once subscribed, a connection only receives.
extension RedisConnection {
    /// Subscribes to channel patterns (`PSUBSCRIBE`) and waits for each confirmation. From then on the
    /// connection is a subscriber: read with ``nextMessage(timeout:)``, send nothing else. If it breaks,
    /// ``nextMessage(timeout:)`` throws, and a new `psubscribe` reconnects and subscribes again, so the
    /// caller knows every gap: messages published while it was down are lost.
    public func psubscribe(_ patterns: [String]) throws(RedisError) {
        precondition(!patterns.isEmpty, "psubscribe needs a pattern")
        dropContext()  // a fresh context: no replies of an earlier subscription left in the reader
        let context = try liveContext()
        do throws(RedisError) {
            let replies = try exchange(context, patterns.map { [Array("PSUBSCRIBE".utf8), Array($0.utf8)] })
            for reply in replies {
                guard reply.array?.first?.string == "psubscribe" else {
                    throw .protocolError("unexpected answer to PSUBSCRIBE: \(reply)")
                }
            }
        } catch {
            dropContext()
            throw error
        }
    }

    /// The next message of the subscription, or nil if none arrived within `timeout`.
    /// Throws when the connection broke (or was never subscribed); it is then closed.
    public func nextMessage(timeout: Duration) throws(RedisError) -> RedisPatternMessage? {
        guard let context else { throw .connection(errno: 0, message: "\(url): not subscribed") }
        var reply: UnsafeMutablePointer<redisReply>?
        var savedErrno: Int32 = 0
        let millis = Int32(clamping: max(0, timeout.wholeMilliseconds))
        let status = CHiredisShim_pollReply(context, &reply, millis, &savedErrno)
        guard status >= 0 else {
            let error = context.pointee.err != 0 ? ioError(context, savedErrno: savedErrno) : .closed
            dropContext()
            throw error
        }
        guard let reply else { return nil }
        defer { freeReplyObject(reply) }
        let copied: RedisReply
        do throws(RedisError) {
            copied = try RedisReply(copying: reply)
        } catch {
            dropContext()
            throw error
        }
        guard let parts = copied.array, parts.count == 4, parts[0].string == "pmessage",
            let pattern = parts[1].string, let channel = parts[2].bytes, let payload = parts[3].bytes
        else { return nil }  // a late subscribe confirmation or a pong: not a message
        return RedisPatternMessage(pattern: pattern, channel: channel, payload: payload)
    }
}
