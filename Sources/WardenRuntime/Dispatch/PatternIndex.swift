/// Finds the patterns that could match a text without trying every one.
///
/// Each literal prefix of an anchored pattern ends at a node of a byte trie.
/// A lookup walks the trie along the text's first bytes, so it costs the length
/// of the longest prefix plus the size of the result, however many command
/// patterns are loaded; patterns without prefixes are offered for every text
/// that holds the literal they require, if any (`@admin` for `(@admins?)%f[%W]`).
struct PatternIndex: Sendable {
    /// Trie edges keyed by `parent << 8 | byte`; node 0 is the root.
    private var edges: [Int: Int] = [:]
    /// Per node: ascending ordinals of the patterns with a prefix ending at the node or above it,
    /// precomputed so a lookup merges only two lists. Empty when no prefix ends at the node itself.
    private var reached: [[Int]] = [[]]
    /// Ordinals, ascending, of the patterns without prefixes, with the literal each requires.
    private var unindexed: [(ordinal: Int, required: [UInt8]?)] = []
    /// How many patterns sit in the trie.
    private(set) var indexedCount = 0
    /// How many patterns are outside the trie: offered for every text that holds their required literal.
    var unindexedCount: Int { unindexed.count }

    /// Indexes `patterns`; a pattern's ordinal is its position in the array.
    init(_ patterns: [LuaPattern]) {
        var parent = [0]
        var own: [[Int]] = [[]]
        for (ordinal, pattern) in patterns.enumerated() {
            guard let prefixes = pattern.literalPrefixes else {
                unindexed.append((ordinal, pattern.requiredLiteral))
                continue
            }
            indexedCount += 1
            for prefix in prefixes {
                var node = 0
                for byte in prefix {
                    let key = node << 8 | Int(byte)
                    if let child = edges[key] {
                        node = child
                    } else {
                        edges[key] = own.count
                        parent.append(node)
                        own.append([])
                        node = own.count - 1
                    }
                }
                if own[node].last != ordinal { own[node].append(ordinal) }
            }
        }
        // A node is created after its parent, so one forward pass sees every ancestor first.
        var nearest = [Int](repeating: 0, count: own.count)  // closest node at or above with a list (0: none)
        reached = [[Int]](repeating: [], count: own.count)
        for node in own.indices.dropFirst() {
            let above = nearest[parent[node]]
            if own[node].isEmpty {
                nearest[node] = above
            } else {
                nearest[node] = node
                reached[node] = Self.merge(reached[above], own[node])
            }
        }
    }

    /// Ordinals, ascending, of every pattern that could match `text`: the unindexed ones whose required
    /// literal it holds, and those with a prefix that starts `text`.
    func candidates(for text: [UInt8]) -> [Int] {
        var node = 0
        var deepest = 0
        for byte in text {
            guard let child = edges[node << 8 | Int(byte)] else { break }
            node = child
            if !reached[node].isEmpty { deepest = node }
        }
        let offered = unindexed.compactMap { pattern in
            pattern.required.map { Self.contains(text, $0) } == false ? nil : pattern.ordinal
        }
        return Self.merge(reached[deepest], offered)
    }

    /// Ordinals, ascending, of every pattern that could match the UTF-8 bytes of `text`.
    func candidates(for text: String) -> [Int] {
        candidates(for: Array(text.utf8))
    }

    /// Whether `literal` occurs in `text`. By hand rather than the standard library's `firstRange(of:)`
    /// (which `KeyspaceWatcher` uses for its one search a notification): on 70-byte texts that measured
    /// about 150 times slower, and this runs for every message.
    private static func contains(_ text: [UInt8], _ literal: [UInt8]) -> Bool {
        guard let first = literal.first else { return true }
        guard literal.count <= text.count else { return false }
        let lastStart = text.count - literal.count
        var start = 0
        while start <= lastStart, let found = text[start...lastStart].firstIndex(of: first) {
            if text[found..<found + literal.count].elementsEqual(literal) { return true }
            start = found + 1
        }
        return false
    }

    /// Merges two ascending lists, allocating only when both are non-empty.
    private static func merge(_ a: [Int], _ b: [Int]) -> [Int] {
        if a.isEmpty { return b }
        if b.isEmpty { return a }
        var merged: [Int] = []
        merged.reserveCapacity(a.count + b.count)
        var i = 0
        var j = 0
        while i < a.count, j < b.count {
            if a[i] < b[j] {
                merged.append(a[i])
                i += 1
            } else {
                if a[i] == b[j] { i += 1 }
                merged.append(b[j])
                j += 1
            }
        }
        merged += a[i...]
        merged += b[j...]
        return merged
    }
}
