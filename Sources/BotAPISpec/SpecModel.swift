/// One parameter of a method or one field of an object type, as the reference lists it.
public struct SpecField: Sendable, Hashable {
    /// The wire name, e.g. `chat_id`.
    public let name: String
    /// The declared types as written, e.g. `["Integer", "String"]` or `["Array of MessageEntity"]`.
    public let typeNames: [String]
    /// The declared types, parsed.
    public let types: [SpecType]
    /// Whether the field must be present.
    public let isRequired: Bool
    /// The reference's description, where limits such as "1-4096 characters" are written.
    public let description: String
    /// A range written in the description ("0-200 characters", "1-100 identifiers"), if any.
    public let limit: FieldLimit?
    /// The only value a discriminator such as `type` may take ("always \"creator\"", "must be default").
    public let constant: String?
    /// The values a `type` field may take when the description enumerates them.
    public let allowedValues: [String]?
}

/// A declared type: a scalar, an object type by name, or an array of either.
public indirect enum SpecType: Sendable, Hashable, CustomStringConvertible {
    /// A JSON integer.
    case integer
    /// A JSON number.
    case float
    /// A JSON string.
    case string
    /// `true` or `false`.
    case boolean
    /// Only `true`.
    case `true`
    /// An array whose elements match the wrapped type.
    case array(SpecType)
    /// An object type (or union) defined in the reference, e.g. `ReplyParameters`.
    case named(String)

    /// Parses "Integer", "Array of Array of InlineKeyboardButton" and the like.
    public init(parsing text: String) {
        let arrayPrefix = "Array of "
        if text.hasPrefix(arrayPrefix) {
            self = .array(SpecType(parsing: String(text.dropFirst(arrayPrefix.count))))
            return
        }
        switch text {
        case "Integer", "Int": self = .integer
        case "Float", "Float number": self = .float
        case "String": self = .string
        case "Boolean": self = .boolean
        case "True": self = .true
        default: self = .named(text)
        }
    }

    /// The reference's spelling, e.g. "Array of Integer".
    public var description: String {
        switch self {
        case .integer: "Integer"
        case .float: "Float"
        case .string: "String"
        case .boolean: "Boolean"
        case .true: "True"
        case .array(let element): "Array of \(element)"
        case .named(let name): name
        }
    }
}

/// A Bot API method: its parameters and what it returns.
public struct SpecMethod: Sendable, Hashable {
    /// The method name with the reference's casing, e.g. `sendMessage`.
    public let name: String
    /// Parameters in the reference's order.
    public let fields: [SpecField]
    /// The declared result types, e.g. `["Message", "True"]`.
    public let returns: [String]
    /// The reference's description paragraphs.
    public let description: [String]

    /// The parameter named `name`, if the method has one.
    public func field(named name: String) -> SpecField? { fields.first { $0.name == name } }
}

/// An object type or a union of object types.
public struct SpecObjectType: Sendable, Hashable {
    /// The type name, e.g. `Message`.
    public let name: String
    /// Fields in the reference's order; empty for unions and for empty objects such as `CallbackGame`.
    public let fields: [SpecField]
    /// For unions such as `ChatMember`: the member types (a few unions also list `String` or arrays).
    public let subtypes: [String]?
    /// The reference's description paragraphs.
    public let description: [String]

    /// The field named `name`, if the type has one.
    public func field(named name: String) -> SpecField? { fields.first { $0.name == name } }
}
