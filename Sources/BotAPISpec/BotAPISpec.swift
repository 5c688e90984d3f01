import Foundation
public import WardenJSON

/// The Telegram Bot API reference in machine-readable form: methods, types, and validation against them.
///
/// `pinned` is the copy bundled with Warden (Bot API 10.1, from `../shared/telegram-bot-api`); clients check
/// requests against it before sending and the Telegram simulator answers with it, so both agree on one contract.
public struct BotAPISpec: Sendable {
    /// The version number, e.g. "10.1" (the file says "Bot API 10.1").
    public let version: String
    /// The release date as the reference writes it.
    public let releaseDate: String
    /// Methods by their exact name.
    public let methods: [String: SpecMethod]
    /// Object types and unions by name.
    public let types: [String: SpecObjectType]
    /// Method names lowercased, because Telegram resolves method names case-insensitively.
    private let methodsByLowercasedName: [String: String]

    /// The bundled Bot API 10.1 reference, parsed once on first use.
    ///
    /// The file ships as a SwiftPM resource (`Bundle.module`); a build that lost its resource bundle stops here
    /// with a message rather than validating against nothing.
    public static let pinned: BotAPISpec = {
        guard let url = Bundle.module.url(forResource: "api", withExtension: "json", subdirectory: "Resources") else {
            fatalError("BotAPISpec: Resources/api.json is missing from the BotAPISpec resource bundle")
        }
        do {
            return try BotAPISpec(contentsOf: url.path)
        } catch {
            fatalError("BotAPISpec: the bundled api.json does not load: \(error)")
        }
    }()

    /// Loads a reference file in the shape of `../shared/telegram-bot-api/api.json`.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SpecLoadError("cannot read \(path)")
        }
        try self.init(json: try JSONValue(parsing: data, limits: JSONLimits(maxDepth: 64, maxBytes: 64 << 20)))
    }

    /// Builds the model from the parsed reference document.
    public init(json: JSONValue) throws {
        guard let versionText = json["version"]?.string else { throw SpecLoadError("no \"version\"") }
        version = versionText.hasPrefix("Bot API ") ? String(versionText.dropFirst("Bot API ".count)) : versionText
        releaseDate = json["release_date"]?.string ?? ""
        guard let methodObjects = json["methods"]?.object, let typeObjects = json["types"]?.object else {
            throw SpecLoadError("no \"methods\" or \"types\"")
        }
        var methods: [String: SpecMethod] = [:]
        for (name, method) in methodObjects {
            methods[name] = SpecMethod(
                name: name,
                fields: try Self.fields(of: method, owner: name),
                returns: method["returns"]?.array?.compactMap(\.string) ?? [],
                description: method["description"]?.array?.compactMap(\.string) ?? []
            )
        }
        var types: [String: SpecObjectType] = [:]
        for (name, type) in typeObjects {
            types[name] = SpecObjectType(
                name: name,
                fields: try Self.fields(of: type, owner: name),
                subtypes: type["subtypes"]?.array?.compactMap(\.string),
                description: type["description"]?.array?.compactMap(\.string) ?? []
            )
        }
        self.methods = methods
        self.types = types
        methodsByLowercasedName = Dictionary(
            methods.keys.map { ($0.lowercased(), $0) },
            uniquingKeysWith: { a, _ in a }
        )
    }

    /// The method with this name; like Telegram, the case of the name does not matter.
    public func method(named name: String) -> SpecMethod? {
        if let exact = methods[name] { return exact }
        return methodsByLowercasedName[name.lowercased()].flatMap { methods[$0] }
    }

    /// The object type or union with this exact name.
    public func type(named name: String) -> SpecObjectType? { types[name] }

    /// The field names of an object type in the reference's order, or nil for an unknown type.
    public func fieldNames(of type: String) -> [String]? { types[type]?.fields.map(\.name) }

    /// The parameter names of a method in the reference's order, or nil for an unknown method.
    public func parameterNames(of method: String) -> [String]? { self.method(named: method)?.fields.map(\.name) }

    private static func fields(of object: JSONValue, owner: String) throws -> [SpecField] {
        guard let list = object["fields"]?.array else { return [] }
        return try list.map { field in
            guard let name = field["name"]?.string, let typeNames = field["types"]?.array?.compactMap(\.string) else {
                throw SpecLoadError("a field of \(owner) has no name or types")
            }
            let description = field["description"]?.string ?? ""
            let types = typeNames.map(SpecType.init(parsing:))
            let isDiscriminator = ["type", "status", "source"].contains(name) && types == [.string]
            return SpecField(
                name: name,
                typeNames: typeNames,
                types: types,
                isRequired: field["required"]?.bool ?? false,
                description: description,
                limit: FieldLimit.parse(description: description, types: types),
                constant: isDiscriminator ? DescriptionText.constant(in: description) : nil,
                allowedValues: name == "type" && types == [.string] ? DescriptionText.enumeration(in: description) : nil
            )
        }
    }
}

/// Why a reference file could not be loaded.
public struct SpecLoadError: Error, CustomStringConvertible, Sendable {
    /// What was wrong with the file.
    public let description: String

    init(_ description: String) { self.description = description }
}
