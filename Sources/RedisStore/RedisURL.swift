/// Where and how to connect to Redis, parsed from a URL.
///
/// Accepted forms:
/// - `redis://[[user]:password@]host[:port][/db]` (port 6379 and db 0 by default; IPv6 hosts in brackets)
/// - `unix://[[user]:password@]/path/to/redis.sock[?db=N]`
///
/// `rediss://` (TLS) is rejected: hiredis 0.14 has no TLS support. User name and password are
/// percent-decoded. The password never appears in ``description``, in reflection, or in errors.
public struct RedisURL: Sendable, Hashable {
    /// The transport to use.
    public enum Endpoint: Sendable, Hashable {
        /// TCP to a host name or IP address.
        case tcp(host: String, port: Int)
        /// A Unix domain socket at an absolute path.
        case unix(path: String)
    }

    /// The TCP address or socket path.
    public var endpoint: Endpoint
    /// The ACL user name for `AUTH user password` (Redis 6+); nil means `AUTH password`.
    public var username: String?
    /// The password for `AUTH`; nil means no `AUTH` is sent.
    public var password: String?
    /// The logical database selected with `SELECT` after connecting.
    public var database: Int

    /// Creates a URL from its parts.
    public init(endpoint: Endpoint, username: String? = nil, password: String? = nil, database: Int = 0) {
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.database = database
    }

    /// Parses a `redis://` or `unix://` URL.
    public init(_ string: String) throws(RedisError) {
        guard let schemeEnd = string.firstRange(of: "://") else {
            throw .invalidURL("expected redis://host[:port][/db] or unix:///path/to/socket")
        }
        let scheme = string[..<schemeEnd.lowerBound].lowercased()
        let rest = string[schemeEnd.upperBound...]
        switch scheme {
        case "redis": self = try Self.parseTCP(rest)
        case "unix": self = try Self.parseUnix(rest)
        case "rediss":
            throw .invalidURL(
                "rediss:// (TLS) is not supported; use redis:// on a trusted network or a local TLS tunnel"
            )
        default:
            throw .invalidURL("unsupported scheme '\(scheme.prefix(16))'; expected redis:// or unix://")
        }
    }

    // Errors never quote the input: a password with an unescaped '/' or '@' would shift into
    // the host, port or path fields and leak through the message.
    private static func parseTCP(_ rest: Substring) throws(RedisError) -> RedisURL {
        if rest.contains("?") || rest.contains("#") {
            throw .invalidURL("redis:// URLs take no query or fragment; put the database in the path (/N)")
        }
        let (userinfo, afterUserinfo) = splitUserinfo(rest)
        let hostport = afterUserinfo.prefix { $0 != "/" }
        let path = afterUserinfo.dropFirst(hostport.count)
        let (username, password) = try parseUserinfo(userinfo)
        let (host, port) = try parseHostPort(hostport)
        var database = 0
        if path.count > 1 { database = try parseDatabase(path.dropFirst()) }
        return RedisURL(
            endpoint: .tcp(host: host, port: port),
            username: username,
            password: password,
            database: database
        )
    }

    private static func parseUnix(_ rest: Substring) throws(RedisError) -> RedisURL {
        if rest.contains("#") { throw .invalidURL("unix:// URLs take no fragment") }
        let (userinfo, afterUserinfo) = splitUserinfo(rest)
        let (username, password) = try parseUserinfo(userinfo)
        let path = afterUserinfo.prefix { $0 != "?" }
        guard path.first == "/", path.count > 1 else {
            throw .invalidURL("unix:// needs an absolute socket path, as in unix:///run/redis/redis.sock")
        }
        var database = 0
        let query = afterUserinfo.dropFirst(path.count + 1)
        for item in query.split(separator: "&") {
            guard item.hasPrefix("db=") else {
                throw .invalidURL(
                    "unknown query parameter '\(item.prefix { $0 != "=" }.prefix(32))'; only db=N is supported"
                )
            }
            database = try parseDatabase(item.dropFirst(3))
        }
        guard let decoded = percentDecoded(path) else { throw .invalidURL("malformed percent-escape in socket path") }
        return RedisURL(endpoint: .unix(path: decoded), username: username, password: password, database: database)
    }

    /// Splits at the last `@` before the path, so an unescaped `@` in a password still parses.
    private static func splitUserinfo(_ rest: Substring) -> (Substring?, Substring) {
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        guard let at = authority.lastIndex(of: "@") else { return (nil, rest) }
        return (rest[..<at], rest[rest.index(after: at)...])
    }

    private static func parseUserinfo(_ userinfo: Substring?) throws(RedisError) -> (String?, String?) {
        guard let userinfo else { return (nil, nil) }
        guard let colon = userinfo.firstIndex(of: ":") else {
            throw .invalidURL("credentials must be ':password@' or 'user:password@'")
        }
        guard let user = percentDecoded(userinfo[..<colon]),
            let password = percentDecoded(userinfo[userinfo.index(after: colon)...])
        else { throw .invalidURL("malformed percent-escape in credentials") }
        if password.isEmpty { throw .invalidURL("empty password in credentials") }
        return (user.isEmpty ? nil : user, password)
    }

    private static func parseHostPort(_ hostport: Substring) throws(RedisError) -> (String, Int) {
        var host: Substring
        var portText: Substring?
        if hostport.hasPrefix("[") {
            guard let close = hostport.firstIndex(of: "]") else { throw .invalidURL("unterminated IPv6 address") }
            host = hostport[hostport.index(after: hostport.startIndex)..<close]
            let after = hostport[hostport.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { throw .invalidURL("unexpected text after IPv6 address") }
                portText = after.dropFirst()
            }
        } else if let colon = hostport.lastIndex(of: ":") {
            host = hostport[..<colon]
            portText = hostport[hostport.index(after: colon)...]
        } else {
            host = hostport
        }
        guard !host.isEmpty else { throw .invalidURL("missing host") }
        var port = 6379
        if let portText {
            guard portText.count <= 5, portText.allSatisfy(\.isASCIIDigit), let value = Int(portText),
                (1...65535).contains(value)
            else { throw .invalidURL("port must be a number from 1 to 65535") }
            port = value
        }
        return (String(host), port)
    }

    private static func parseDatabase(_ text: Substring) throws(RedisError) -> Int {
        guard !text.isEmpty, text.count <= 9, text.allSatisfy(\.isASCIIDigit), let value = Int(text) else {
            throw .invalidURL("database must be a non-negative number")
        }
        return value
    }

    private static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        let decoded = String(decoding: bytes, as: UTF8.self)
        return decoded.utf8.elementsEqual(bytes) ? decoded : nil
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension RedisURL: CustomStringConvertible, CustomReflectable {
    /// The URL with the password replaced by `***`, safe for logs.
    public var description: String {
        var credentials = ""
        if password != nil { credentials = "\(username ?? ""):***@" }
        switch endpoint {
        case .tcp(let host, let port):
            let shownHost = host.contains(":") ? "[\(host)]" : host
            return "redis://\(credentials)\(shownHost):\(port)/\(database)"
        case .unix(let path):
            return "unix://\(credentials)\(path)?db=\(database)"
        }
    }

    /// Keeps the password out of `dump()` and debugger output.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "endpoint": endpoint, "username": username as Any, "password": password == nil ? "nil" : "***",
                "database": database,
            ]
        )
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
