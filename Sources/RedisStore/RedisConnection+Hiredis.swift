internal import CHiredis

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// The hiredis glue of RedisConnection: opening contexts, the wire exchange, error mapping.
extension RedisConnection {
    private static let sigpipeIgnored: Void = CHiredisShim_ignoreSIGPIPEIfDefault()

    /// Connects, applies the command timeout and runs the AUTH/SELECT handshake.
    func openContext() throws(RedisError) -> UnsafeMutablePointer<redisContext> {
        Self.sigpipeIgnored
        var savedErrno: Int32 = 0
        let micros = connectTimeout.wholeMicroseconds
        let opened: UnsafeMutablePointer<redisContext>?
        switch url.endpoint {
        case .tcp(let host, let port):
            // RedisURL's memberwise init does not validate, and Int32(port) would trap.
            guard let port = Int32(exactly: port), port > 0, port <= 65535 else {
                throw .invalidURL("port must be a number from 1 to 65535")
            }
            opened = CHiredisShim_connectTCP(host, port, micros, &savedErrno)
        case .unix(let path):
            opened = CHiredisShim_connectUnix(path, micros, &savedErrno)
        }
        guard let opened else { throw .connection(errno: ENOMEM, message: "cannot allocate a hiredis context") }
        do throws(RedisError) {
            if opened.pointee.err != 0 { throw connectError(opened, savedErrno: savedErrno) }
            _ = CHiredisShim_setCloseOnExec(opened)  // best effort: a failure only leaks the fd into children
            guard CHiredisShim_setTimeout(opened, commandTimeout.wholeMicroseconds) == REDIS_OK else {
                throw .connection(errno: 0, message: "cannot set the command timeout on \(url): \(errorString(opened))")
            }
            try handshake(opened)
        } catch {
            redisFree(opened)
            throw error
        }
        return opened
    }

    /// AUTH and SELECT go out as one pipeline, so a reconnect costs a single round trip.
    private func handshake(_ context: UnsafeMutablePointer<redisContext>) throws(RedisError) {
        var commands: [[[UInt8]]] = []
        if let password = url.password {
            commands.append(
                [Array("AUTH".utf8)] + (url.username.map { [Array($0.utf8)] } ?? []) + [Array(password.utf8)]
            )
        }
        if url.database != 0 {
            commands.append([Array("SELECT".utf8), Array(String(url.database).utf8)])
        }
        guard !commands.isEmpty else { return }
        let replies = try exchange(context, commands)
        if url.password != nil, case .error(let text) = replies[0] { throw .authentication(text) }
        if let last = replies.last, case .error(let text) = last { throw .server(text) }
    }

    /// Appends every command to hiredis' output buffer, then reads one reply per command, after the
    /// replies of `queued` commands appended earlier; the first read flushes the buffer, so the whole
    /// batch costs one round trip. Returns every reply read, the queued ones first.
    ///
    /// On error the context is out of step with the server and must be freed by the caller.
    func exchange(
        _ context: UnsafeMutablePointer<redisContext>,
        _ commands: [[[UInt8]]],
        after queued: Int = 0
    ) throws(RedisError) -> [RedisReply] {
        try append(context, commands)
        var replies: [RedisReply] = []
        replies.reserveCapacity(queued + commands.count)
        for _ in 0..<(queued + commands.count) {
            var reply: UnsafeMutablePointer<redisReply>?
            var savedErrno: Int32 = 0
            let status = CHiredisShim_getReply(context, &reply, &savedErrno)
            guard status == REDIS_OK, let reply else { throw ioError(context, savedErrno: savedErrno) }
            defer { freeReplyObject(reply) }
            replies.append(try RedisReply(copying: reply))
        }
        return replies
    }

    /// Appends commands to hiredis' output buffer, sending nothing yet.
    func append(_ context: UnsafeMutablePointer<redisContext>, _ commands: [[[UInt8]]]) throws(RedisError) {
        for command in commands {
            let status = Self.withArgv(command) { argc, argv, lengths in
                redisAppendCommandArgv(context, argc, argv, lengths)
            }
            guard status == REDIS_OK else { throw ioError(context, savedErrno: 0) }
        }
    }

    /// Lays all arguments out in one buffer so the argv pointers handed to hiredis stay valid
    /// for the whole call and never escape it.
    private static func withArgv<R>(
        _ args: [[UInt8]],
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> R
    ) -> R {
        var storage: [UInt8] = []
        storage.reserveCapacity(args.reduce(1) { $0 + $1.count })
        var lengths: [Int] = []
        lengths.reserveCapacity(args.count)
        for arg in args {
            storage.append(contentsOf: arg)
            lengths.append(arg.count)
        }
        storage.append(0)  // keeps the base address non-nil when every argument is empty
        return storage.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                var argv: [UnsafePointer<CChar>?] = []
                argv.reserveCapacity(lengths.count)
                var offset = 0
                for length in lengths {
                    argv.append(chars.baseAddress! + offset)
                    offset += length
                }
                return argv.withUnsafeMutableBufferPointer { argvBuffer in
                    lengths.withUnsafeBufferPointer { lengthBuffer in
                        body(Int32(lengths.count), argvBuffer.baseAddress!, lengthBuffer.baseAddress!)
                    }
                }
            }
        }
    }

    private func connectError(_ context: UnsafeMutablePointer<redisContext>, savedErrno: Int32) -> RedisError {
        if savedErrno == ETIMEDOUT {
            return .timeout("connecting to \(url) took longer than \(connectTimeout.wholeMilliseconds) ms")
        }
        return .connection(errno: savedErrno, message: "cannot connect to \(url): \(errorString(context))")
    }

    func ioError(_ context: UnsafeMutablePointer<redisContext>, savedErrno: Int32) -> RedisError {
        let message = errorString(context)
        switch context.pointee.err {
        case REDIS_ERR_IO where savedErrno == EAGAIN || savedErrno == EWOULDBLOCK || savedErrno == ETIMEDOUT:
            // SO_RCVTIMEO/SO_SNDTIMEO expired: the reply may still arrive, so the context is dropped.
            return .timeout("no reply from \(url) within \(commandTimeout.wholeMilliseconds) ms")
        case REDIS_ERR_EOF:
            return .connection(errno: 0, message: "\(url) closed the connection")
        case REDIS_ERR_PROTOCOL:
            return .protocolError("\(url): \(message)")
        case REDIS_ERR_OOM:
            return .connection(errno: ENOMEM, message: "out of memory talking to \(url)")
        default:
            return .connection(errno: savedErrno, message: "\(url): \(message)")
        }
    }

    private func errorString(_ context: UnsafeMutablePointer<redisContext>) -> String {
        String(cString: CHiredisShim_errstr(context))
    }
}

extension RedisReply {
    /// Copies a hiredis reply tree into Swift values; the caller still owns and frees `reply`.
    init(copying reply: UnsafePointer<redisReply>) throws(RedisError) {
        let node = reply.pointee
        switch node.type {
        case REDIS_REPLY_STATUS: self = .status(String(decoding: Self.bytes(node), as: UTF8.self))
        case REDIS_REPLY_ERROR: self = .error(String(decoding: Self.bytes(node), as: UTF8.self))
        case REDIS_REPLY_INTEGER: self = .integer(Int64(node.integer))
        case REDIS_REPLY_STRING: self = .bulk(Array(Self.bytes(node)))
        case REDIS_REPLY_NIL: self = .null
        case REDIS_REPLY_ARRAY:
            var elements: [RedisReply] = []
            elements.reserveCapacity(node.elements)
            for index in 0..<node.elements {
                guard let child = node.element?[index] else {
                    throw .protocolError("hiredis returned a null array element")
                }
                elements.append(try RedisReply(copying: child))
            }
            self = .array(elements)
        default:
            throw .protocolError("unsupported reply type \(node.type)")
        }
    }

    private static func bytes(_ node: redisReply) -> UnsafeRawBufferPointer {
        guard let str = node.str, node.len > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: str, count: node.len)
    }
}

extension Duration {
    var wholeMicroseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }

    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }
}
