public import WardenJSON

extension BotAPISpec {
    /// Checks a request the way Telegram would before acting on it; nil when it is well-formed.
    ///
    /// In order: the method exists, required parameters are present, no parameter is unknown, every value
    /// has a declared type (objects recursively, unions by any member), then the ranges written in
    /// descriptions and Markdown/HTML entity parsing. `null` counts as absent.
    public func validate(method name: String, params: [String: JSONValue]) -> SpecViolation? {
        guard let method = method(named: name) else { return .unknownMethod }
        let present = params.filter { !$0.value.isNull }
        for field in method.fields where field.isRequired && present[field.name] == nil {
            if field.name == "text" && TextRules.isMessageText(method: method.name, field: field.name) {
                return TextRules.emptyMessageText
            }
            return .missing(field.name, topLevel: true)
        }
        for key in present.keys.sorted() where method.field(named: key) == nil {
            return .unknown(key, topLevel: true)
        }
        return checkFields(method.fields, in: present, path: "", owner: method.name)
    }

    /// Checks a value against an object type or union, e.g. an `Update` a test injects or a `Message` a
    /// server returns; nil when it conforms.
    public func validate(_ value: JSONValue, asType typeName: String) -> SpecViolation? {
        check(value, against: [SpecType(parsing: typeName)], path: "")
    }

    /// Checks a value against a list of declared types (any may match), reporting problems under `path`.
    public func validate(_ value: JSONValue, as types: [SpecType], path: String) -> SpecViolation? {
        check(value, against: types, path: path)
    }

    private enum Match {
        case matched
        /// The JSON kind differs (a string where an object was declared); another alternative may fit.
        case kindMismatch
        /// The kind fits but something inside does not; this is the more useful error to report.
        case nested(SpecViolation)
    }

    private func check(_ value: JSONValue, against types: [SpecType], path: String) -> SpecViolation? {
        var firstNested: SpecViolation?
        for type in types {
            switch match(value, type, path: path) {
            case .matched: return nil
            case .kindMismatch: continue
            case .nested(let violation): if firstNested == nil { firstNested = violation }
            }
        }
        return firstNested ?? .wrongType(path, expected: types)
    }

    private func match(_ value: JSONValue, _ type: SpecType, path: String) -> Match {
        switch (type, value) {
        case (.integer, .int), (.float, .int), (.float, .double), (.string, .string), (.boolean, .bool),
            (.true, .bool(true)):
            return .matched
        case (.array(let element), .array(let items)):
            for (index, item) in items.enumerated() {
                if let violation = check(item, against: [element], path: "\(path)[\(index)]") {
                    return .nested(violation)
                }
            }
            return .matched
        case (.named(let name), _):
            return matchNamed(value, name, path: path)
        default:
            return .kindMismatch
        }
    }

    private func matchNamed(_ value: JSONValue, _ name: String, path: String) -> Match {
        // Files travel as a file_id, an HTTP URL or "attach://<part>" naming a multipart upload.
        if name == "InputFile" { return value.string != nil ? .matched : .kindMismatch }
        guard let type = types[name] else { return .kindMismatch }
        if let subtypes = type.subtypes { return matchUnion(value, subtypes, path: path) }
        guard case .object(let object) = value else { return .kindMismatch }
        return checkObject(object, type, path: path).map(Match.nested) ?? .matched
    }

    private func matchUnion(_ value: JSONValue, _ subtypes: [String], path: String) -> Match {
        var discriminated: SpecViolation?
        var firstNested: SpecViolation?
        var kindMatched = false
        for subtype in subtypes {
            switch match(value, SpecType(parsing: subtype), path: path) {
            case .matched: return .matched
            case .kindMismatch: continue
            case .nested(let violation):
                kindMatched = true
                if firstNested == nil { firstNested = violation }
                if discriminated == nil, discriminatorMatches(value, subtype) { discriminated = violation }
            }
        }
        guard kindMatched else { return .kindMismatch }
        if let discriminated { return .nested(discriminated) }
        if let violation = unknownDiscriminator(value, subtypes, path: path) { return .nested(violation) }
        return .nested(firstNested ?? .wrongType(path, expected: subtypes.map(SpecType.init(parsing:))))
    }

    /// Whether the object's `type`/`status`/`source` names this union member.
    private func discriminatorMatches(_ value: JSONValue, _ subtype: String) -> Bool {
        guard let fields = types[subtype]?.fields else { return false }
        for field in fields {
            if let constant = field.constant, value[field.name]?.string == constant { return true }
        }
        return false
    }

    /// "field "scope.type" must be one of …" when the discriminator names no member of the union.
    private func unknownDiscriminator(_ value: JSONValue, _ subtypes: [String], path: String) -> SpecViolation? {
        var key: String?
        var allowed: [String] = []
        for subtype in subtypes {
            guard let field = types[subtype]?.fields.first(where: { $0.constant != nil }), let constant = field.constant
            else { continue }
            key = field.name
            if !allowed.contains(constant) { allowed.append(constant) }
        }
        guard let key, value[key] != nil else { return nil }
        let list = allowed.map { "\"\($0)\"" }.joined(separator: ", ")
        let fieldPath = join(path, key)
        return SpecViolation(
            .wrongValue,
            path: fieldPath,
            description: "Bad Request: field \"\(fieldPath)\" must be one of \(list)"
        )
    }

    private func checkObject(_ object: [String: JSONValue], _ type: SpecObjectType, path: String) -> SpecViolation? {
        let present = object.filter { !$0.value.isNull }
        for field in type.fields where field.isRequired && present[field.name] == nil {
            return .missing(join(path, field.name), topLevel: false)
        }
        for key in present.keys.sorted() where type.field(named: key) == nil {
            return .unknown(join(path, key), topLevel: false)
        }
        return checkFields(type.fields, in: present, path: path, owner: type.name)
    }

    /// Types, fixed values and ranges of the present fields, in the reference's order.
    private func checkFields(
        _ fields: [SpecField],
        in object: [String: JSONValue],
        path: String,
        owner: String
    ) -> SpecViolation? {
        for field in fields {
            guard let value = object[field.name] else { continue }
            let fieldPath = join(path, field.name)
            if let violation = check(value, against: field.types, path: fieldPath) { return violation }
            if let violation = checkValue(value, field, path: fieldPath) { return violation }
            if let limit = field.limit,
                let violation = TextRules.check(
                    limit,
                    value: value,
                    field: field,
                    siblings: object,
                    path: fieldPath,
                    owner: owner
                )
            {
                return violation
            }
        }
        return nil
    }

    private func checkValue(_ value: JSONValue, _ field: SpecField, path: String) -> SpecViolation? {
        guard let string = value.string else { return nil }
        if field.name == "parse_mode" || field.name.hasSuffix("_parse_mode"), !string.isEmpty,
            !FormattedText.isSupported(mode: string)
        {
            return SpecViolation(.wrongValue, path: path, description: "Bad Request: unsupported parse_mode")
        }
        if let constant = field.constant, string != constant {
            return SpecViolation(
                .wrongValue,
                path: path,
                description: "Bad Request: field \"\(path)\" must be \"\(constant)\""
            )
        }
        if let allowed = field.allowedValues, !allowed.contains(string) {
            let list = allowed.map { "\"\($0)\"" }.joined(separator: ", ")
            return SpecViolation(
                .wrongValue,
                path: path,
                description: "Bad Request: field \"\(path)\" must be one of \(list)"
            )
        }
        return nil
    }

    private func join(_ path: String, _ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }
}
