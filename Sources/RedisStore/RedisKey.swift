/// A Redis key produced by a ``RedisKeySchema``.
///
/// There is deliberately no public initializer from arbitrary text: keys go through the schema,
/// which applies the prefix, the hash tag and the escaping of caller-supplied parts.
public struct RedisKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The key as sent to Redis.
    public let rawValue: String

    init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The key's UTF-8 bytes, ready to be a command argument.
    public var bytes: [UInt8] { Array(rawValue.utf8) }

    public var description: String { rawValue }

    public static func < (lhs: RedisKey, rhs: RedisKey) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The part of the key that Redis Cluster hashes: the text between the first `{` and the next
    /// `}` when that is non-empty; nil when the whole key is hashed.
    public var hashTag: String? {
        Self.hashTagBytes(Array(rawValue.utf8)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The Redis Cluster slot (0..<16384) of this key: CRC16/XMODEM of the hash tag or key, as in
    /// `CLUSTER KEYSLOT`. Keys of one chat share a slot, so multi-key scripts over them are legal.
    public var hashSlot: Int {
        let bytes = Array(rawValue.utf8)
        return Int(Self.crc16(Self.hashTagBytes(bytes) ?? bytes[...]) % 16384)
    }

    private static func hashTagBytes(_ bytes: [UInt8]) -> ArraySlice<UInt8>? {
        guard let open = bytes.firstIndex(of: UInt8(ascii: "{")),
            let close = bytes[(open + 1)...].firstIndex(of: UInt8(ascii: "}")),
            close > open + 1
        else { return nil }
        return bytes[(open + 1)..<close]
    }

    /// CRC16/XMODEM (polynomial 0x1021, initial 0), the checksum Redis Cluster uses for slots.
    static func crc16(_ bytes: ArraySlice<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc ^= UInt16(byte) << 8
            for _ in 0..<8 {
                crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1
            }
        }
        return crc
    }
}
