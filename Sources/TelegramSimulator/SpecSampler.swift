import BotAPISpec
import WardenJSON

/// Builds the smallest object of a reference type that still validates: required fields only, each with a
/// plausible value (fixed discriminators and enumerations honoured, unions as their first member).
///
/// Used for media in simulated messages and for results of methods the simulator does not model, so a
/// client that parses them never meets a shape Telegram would not send.
struct SpecSampler {
    let spec: BotAPISpec
    var serial = "1"

    func sample(_ type: SpecType, depth: Int = 0) -> JSONValue {
        switch type {
        case .integer: return 1
        case .float: return 1.0
        case .string: return "sample"
        case .boolean: return false
        case .true: return true
        case .array(let element): return depth > 3 ? [] : [sample(element, depth: depth + 1)]
        case .named(let name): return sampleObject(name, depth: depth)
        }
    }

    func sampleObject(_ name: String, depth: Int = 0, overrides: [String: JSONValue] = [:]) -> JSONValue {
        if name == "InputFile" { return "attach://file" }
        guard let type = spec.type(named: name), depth < 8 else { return .object([:]) }
        if let first = type.subtypes?.first { return sample(SpecType(parsing: first), depth: depth + 1) }
        var object: [String: JSONValue] = [:]
        for field in type.fields where field.isRequired {
            object[field.name] = value(for: field, depth: depth)
        }
        for (key, value) in overrides { object[key] = value }
        return .object(object)
    }

    private func value(for field: SpecField, depth: Int) -> JSONValue {
        if let constant = field.constant { return .string(constant) }
        if let first = field.allowedValues?.first { return .string(first) }
        switch field.name {
        case "file_id": return .string("sim-file-\(serial)")
        case "file_unique_id": return .string("sim-unique-\(serial)")
        case "width", "height", "length": return 512
        case "duration": return 3
        case "date": return 0
        default: break
        }
        guard let type = field.types.first else { return .null }
        if type == .array(.integer) || type == .array(.string) { return [] }
        return sample(type, depth: depth + 1)
    }
}
