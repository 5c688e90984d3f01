import Foundation
public import WardenJSON

/// Typed models from `JSONValue`s already parsed.
///
/// Goes through Foundation's decoder on the value's JSON text: typed views are
/// read rarely (the hot path reads `raw`), and Foundation keeps 64-bit integers exact.
public enum JSONModelDecoding {
    public static func decode<Model: Decodable>(_ type: Model.Type, from value: JSONValue) throws -> Model {
        try JSONDecoder().decode(Model.self, from: Data(value.serialized()))
    }

    /// A model as a JSON value (for request parameters).
    public static func encode<Model: Encodable>(_ model: Model) throws -> JSONValue {
        try JSONValue(parsing: Array(JSONEncoder().encode(model)))
    }
}
