import BotAPI
import Dispatch
import Synchronization

/// `getChatAdministrators` for the role cache, called from a worker's own thread.
struct BotAPIAdminDirectory: AdminDirectory {
    let client: BotAPIClient
    /// A worker waits at most this long; the role lookup then goes on without the list.
    var timeout: DispatchTimeInterval = .seconds(5)

    func administrators(of chatID: Int64) -> [(userID: Int64, status: String)]? {
        let result = Mutex<[(userID: Int64, status: String)]?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            defer { done.signal() }
            guard let admins = try? await client.getChatAdministrators(chatID: chatID) else { return }
            result.withLock { $0 = admins.map { ($0.user.id, $0.status.rawValue) } }
        }
        guard done.wait(timeout: .now() + timeout) == .success else { return nil }
        return result.withLock { $0 }
    }
}
