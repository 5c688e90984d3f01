/// Finds the patterns that could match a text without trying them all.
///
/// Anchored patterns with a literal start sit in a byte trie under that start;
/// looking a text up walks the trie along its first bytes. So a plain message
/// costs the length of the longest prefix plus the unanchored patterns, however
/// many commands are loaded.
struct PatternIndex: Sendable {
    private struct Node: Sendable {
        var children: [UInt8: Int] = [:]
        /// Patterns one of whose prefixes ends here.
        var patterns: [Int] = []
    }

    private var nodes = [Node()]
    /// Patterns without a literal prefix: tried on every text.
    private var unindexed: [Int] = []

    /// Indexes patterns; ordinals are their positions in `patterns`.
    init(_ patterns: [LuaPattern]) {
        for (ordinal, pattern) in patterns.enumerated() {
            guard let prefixes = pattern.literalPrefixes else {
                unindexed.append(ordinal)
                continue
            }
            for prefix in prefixes { insert(prefix, ordinal) }
        }
    }

    private mutating func insert(_ prefix: [UInt8], _ ordinal: Int) {
        var node = 0
        for byte in prefix {
            if let next = nodes[node].children[byte] {
                node = next
            } else {
                nodes.append(Node())
                nodes[node].children[byte] = nodes.count - 1
                node = nodes.count - 1
            }
        }
        if nodes[node].patterns.last != ordinal { nodes[node].patterns.append(ordinal) }
    }

    var unindexedCount: Int { unindexed.count }
    var indexedNodeCount: Int { nodes.count - 1 }

    /// Ordinals, ascending, of every pattern that could match `text`.
    func candidates<Bytes: Collection<UInt8>>(for text: Bytes) -> [Int] {
        var found: [Int] = []
        var node = 0
        for byte in text {
            guard let next = nodes[node].children[byte] else { break }
            node = next
            found.append(contentsOf: nodes[node].patterns)
        }
        if found.isEmpty { return unindexed }
        found.append(contentsOf: unindexed)
        found.sort()
        var unique: [Int] = []
        unique.reserveCapacity(found.count)
        for ordinal in found where unique.last != ordinal { unique.append(ordinal) }
        return unique
    }
}
