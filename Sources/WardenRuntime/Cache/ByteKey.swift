/// Bytes as a set member or dictionary key. `[UInt8]` hashes itself one byte at a time, through the generic
/// `Hashable` witness; the read cache and the command checks look keys up on nearly every plugin read, so
/// this hashes them in one pass.
struct ByteKey: Hashable, Sendable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    init(_ text: String) { bytes = Array(text.utf8) }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
