import Foundation
import WardenJSON

/// How `bench`, `faults` and `soak` speak: progress lines on standard error, the figures on standard
/// output, as a table or as one JSON object.
enum FiguresOutput {
    static let progress: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data(("· " + line + "\n").utf8))
    }

    static func emit(_ value: JSONValue, table: String, json: Bool) {
        print(json ? String(decoding: value.serialized(sortedKeys: true), as: UTF8.self) : table)
    }
}
