import BotAPI

/// `getChatAdministrators` for the role cache (through `AdminListFetches`, off the workers' threads).
struct BotAPIAdminDirectory: AdminDirectory {
    let client: BotAPIClient

    func administrators(of chatID: Int64) async -> [(userID: Int64, status: String)]? {
        guard let admins = try? await client.getChatAdministrators(chatID: chatID) else { return nil }
        return admins.map { ($0.user.id, $0.status.rawValue) }
    }
}
