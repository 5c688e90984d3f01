import Logging
import RedisStore

/// Which updates were already handled, so one redelivered after a crash (its
/// offset not yet stored) is not acted on twice. A sorted set scored by update
/// id; the poller trims it below the stored offset, so it stays one batch long.
struct UpdateLedger {
    let key: String
    let redis: RedisConnection?
    let logger: Logger

    func contains(_ updateID: Int64) -> Bool {
        guard let redis else { return false }
        do {
            return try !redis.call("ZSCORE", key, String(updateID)).isNull
        } catch {
            // Without Redis, handling twice is better than not at all.
            logger.warning("update ledger unreadable", metadata: ["update.id": "\(updateID)", "error": "\(error)"])
            return false
        }
    }

    func record(_ updateID: Int64) {
        guard let redis else { return }
        do {
            _ = try redis.call("ZADD", key, String(updateID), String(updateID))
        } catch {
            logger.warning("update ledger not written", metadata: ["update.id": "\(updateID)", "error": "\(error)"])
        }
    }
}
