/// Who may do what, lowest to highest. `approved` users skip automated checks;
/// `mod` is a bot-level moderator; `admin`/`owner` come from Telegram; `sudo` from config.
public enum Role: Int, Comparable, Sendable, CaseIterable, CustomStringConvertible {
    case member, approved, mod, admin, owner, sudo

    /// The names plugins use in `min_role` (and `role_of` returns).
    public var description: String {
        switch self {
        case .member: "member"
        case .approved: "approved"
        case .mod: "mod"
        case .admin: "admin"
        case .owner: "owner"
        case .sudo: "sudo"
        }
    }

    public init?(name: String) {
        guard let role = Role.allCases.first(where: { $0.description == name }) else { return nil }
        self = role
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rawValue < rhs.rawValue }
}
