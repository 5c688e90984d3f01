internal import COpenSSL

/// A Lua script for `EVALSHA`, with its SHA-1 computed locally so that calling it normally
/// costs one round trip and no `SCRIPT LOAD` at startup.
public struct RedisScript: Sendable, Hashable {
    /// The Lua source.
    public let source: String
    /// The lowercase hex SHA-1 of ``source``, the name Redis' script cache knows it by.
    public let sha1: String

    /// Wraps Lua source and hashes it.
    public init(_ source: String) {
        self.source = source
        self.sha1 = Self.sha1Hex(Array(source.utf8))
    }

    /// The `EVALSHA` command for this script, e.g. for use in a pipeline.
    public func evalSHACommand(keys: [RedisKey], args: [[UInt8]]) -> [[UInt8]] {
        command("EVALSHA", sha1, keys: keys, args: args)
    }

    /// The `EVAL` command for this script; it also adds the script to the server's cache.
    public func evalCommand(keys: [RedisKey], args: [[UInt8]]) -> [[UInt8]] {
        command("EVAL", source, keys: keys, args: args)
    }

    private func command(_ verb: String, _ script: String, keys: [RedisKey], args: [[UInt8]]) -> [[UInt8]] {
        [Array(verb.utf8), Array(script.utf8), Array(String(keys.count).utf8)] + keys.map(\.bytes) + args
    }

    /// SHA-1 as lowercase hex, via OpenSSL.
    static func sha1Hex(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: Int(SHA_DIGEST_LENGTH))
        bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { output in
                _ = SHA1(input.baseAddress, input.count, output.baseAddress)
            }
        }
        let hexDigits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(digest.count * 2)
        for byte in digest {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}

extension RedisConnection {
    /// Runs a script with `EVALSHA`; if the server's script cache lacks it (`NOSCRIPT`, e.g. after
    /// a restart or `SCRIPT FLUSH`), runs it once more with `EVAL`, which also caches it.
    ///
    /// Like `send`, a script error comes back as ``RedisReply/error(_:)``; add `.checked()` to throw.
    public func evalScript(
        _ script: RedisScript,
        keys: [RedisKey] = [],
        args: [[UInt8]] = []
    ) throws(RedisError) -> RedisReply {
        let reply = try send(script.evalSHACommand(keys: keys, args: args))
        guard case .error(let text) = reply, RedisReply.errorCode(of: text) == "NOSCRIPT" else { return reply }
        return try send(script.evalCommand(keys: keys, args: args))
    }

    /// Runs a script with string arguments (UTF-8 encoded); see the byte-argument variant.
    public func evalScript(_ script: RedisScript, keys: [RedisKey], args: [String]) throws(RedisError) -> RedisReply {
        try evalScript(script, keys: keys, args: args.map { Array($0.utf8) })
    }
}
