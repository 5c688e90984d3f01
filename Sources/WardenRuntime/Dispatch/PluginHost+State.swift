import Logging
import LuaHost
import RedisStore
import WardenJSON

extension PluginHost {
    /// Plugins switched off in one chat (a Redis set); empty when Redis is absent or fails.
    func disabledPlugins(chatID: Int64) -> Set<String> {
        guard context.redis != nil else { return [] }
        let keys = disabledPluginKeys[chatID] ?? keysOfDisabledPlugins(chatID)
        let stamp = context.cacheStamp(of: keys)
        if let stamp, let known = disabledByChat.lookup(chatID, stamp: stamp) { return known }
        do {
            // Switched off here or everywhere (`/plugins disable NAME`): one round trip at most (none when
            // cached), and no cross-slot command, so the keys could live in a Redis Cluster.
            let replies = try context.send(keys.map { [Array("smembers".utf8), $0] })
            let disabled = Set(replies.flatMap { $0.array ?? [] }.compactMap(\.string))
            if let stamp { disabledByChat.keep(disabled, for: chatID, stamp: stamp) }
            return disabled
        } catch {
            logger.warning("cannot read disabled plugins", metadata: ["chat.id": "\(chatID)", "error": "\(error)"])
            return []
        }
    }

    private func keysOfDisabledPlugins(_ chatID: Int64) -> [[UInt8]] {
        let keys = [context.keys.disabledPlugins(chatID), context.keys.globallyDisabledPlugins].map { Array($0.utf8) }
        if disabledPluginKeys.count >= 10_000 { disabledPluginKeys.removeAll(keepingCapacity: true) }
        disabledPluginKeys[chatID] = keys
        return keys
    }

    /// Moves the chat's Redis state to its new supergroup id, before plugins see the service message.
    func migrateChat(from old: Int64, to new: Int64) {
        guard let redis = context.redis else { return }
        ChatMigration.run(from: old, to: new, keys: context.keys, redis: redis, logger: logger)
    }

    /// Keeps the Telegram admin cache fresh from `chat_member` updates.
    func recordAdminChange(_ update: JSONValue) {
        guard context.redis != nil, let chatID = update["chat"]?["id"]?.int,
            let member = update["new_chat_member"], let userID = member["user"]?["id"]?.int,
            let status = member["status"]?.string
        else { return }
        // A list fetched before this change must not overwrite it.
        context.roles.fetches?.forget(chatID)
        let key = context.keys.admins(chatID)
        let isAdmin = status == "creator" || status == "administrator"
        do {
            // Through the read cache, which keeps the admin list: a write makes it forget the list, so only a
            // change is written (a member muted or unmuted is a `chat_member` update too, and no change).
            let listed = try context.send([["hget", key, String(userID)]])[0].string
            var commands: [[String]] = []
            if isAdmin && listed != status {
                commands.append(["hset", key, String(userID), status])
            } else if !isAdmin && listed != nil {
                commands.append(["hdel", key, String(userID)])
            }
            // The bot itself left or was removed: the group is no longer one it manages.
            if userID == options.botID && (status == "left" || status == "kicked") {
                commands.append(["srem", context.keys.chats, String(chatID)])
            }
            for reply in try context.send(commands) { _ = try reply.checked() }
        } catch {
            logger.warning("cannot update admin cache", metadata: ["chat.id": "\(chatID)", "error": "\(error)"])
        }
    }

    /// A private message to every sudo user of the config (reload failures, plugin errors).
    func notifySudoUsers(_ text: String) {
        for user in options.config.sudoUsers {
            context.submit(
                method: "sendMessage",
                params: ["chat_id": .int(user), "text": .string(String(text.prefix(4000)))],
                plugin: "warden",
                callback: nil
            )
        }
    }

    /// Runs the callbacks of finished actions, in the order their results arrived. Last of every
    /// batch, cron pass and timer pass, so it also hands the plugin times to the metrics.
    public func drainCompletions() {
        runCallbacksOfFinishedActions()
        flushPluginTimes()
    }

    /// The callbacks alone: after each update of a batch (the metrics wait for the batch's end).
    func runCallbacksOfFinishedActions() {
        while !context.completions.isEmpty {
            for (id, result) in context.completions.takeAll() {
                guard let pending = context.pendingCallbacks.removeValue(forKey: id) else { continue }
                runCallback(pending, result: result)
            }
        }
    }

    /// Plugin calls and their time since the last flush, into the metrics: once a batch, not once a call
    /// (a locked histogram update per `pre_process` was a twentieth of the worker's time).
    private func flushPluginTimes() {
        guard let metrics = options.metrics else { return }
        phases.flush { plugin, calls, time in metrics.pluginCalls(plugin, count: calls, time: time) }
    }

    private func runCallback(_ pending: HostContext.PendingCallback, result: ActionResult) {
        defer { lua.release(pending.callback) }
        let previous = (context.currentUpdateID, context.currentChatID)
        context.currentUpdateID = pending.updateID
        context.currentChatID = pending.chatID
        defer { (context.currentUpdateID, context.currentChatID) = previous }
        counters.callbacks += 1
        let arguments: [LuaValue]
        switch result {
        case .success(let value): arguments = [true, LuaValue(json: value)]
        case .failure(let failure):
            arguments = [
                false,
                .table(
                    LuaTable([
                        "error_code": .integer(Int64(failure.errorCode)), "description": .string(failure.description),
                    ])
                ),
            ]
        }
        do {
            _ = try lua.call(pending.callback, arguments)
        } catch {
            var outcome = UpdateOutcome(updateID: pending.updateID, kind: "callback")
            report(error, plugin: pending.plugin, phase: "callback", outcome: &outcome)
        }
    }

    /// Whether action results are waiting for their callbacks.
    public var hasPendingCompletions: Bool { !context.completions.isEmpty }

    /// Called from any thread when a result is queued (the worker schedules a drain).
    public func setCompletionListener(_ listener: (@Sendable () -> Void)?) {
        context.completions.setListener(listener)
    }

    /// Runs each plugin's `cron()` whose interval has passed since its last run: every plugin's on the
    /// first worker, only those with `cron_per_shard` on the others.
    public func runCron(now: Double) {
        for plugin in plugins where plugin.cronPerShard || context.shard.isFirst {
            guard let cron = plugin.cron else { continue }
            if let last = lastCronRun[plugin.name], now - last < plugin.cronInterval { continue }
            lastCronRun[plugin.name] = now
            context.begin(updateID: nil, chatID: nil)
            var outcome = UpdateOutcome(updateID: nil, kind: "cron")
            if let result = call(plugin, cron, phase: "cron", msg: nil, outcome: &outcome) { lua.release(result) }
        }
        drainCompletions()
    }

    /// Runs the `after(seconds, fn)` timers due by `now`, in the order they fall due. A timer of a plugin
    /// that is no longer loaded is dropped.
    public func runTimers(now: Double) {
        for timer in context.timers.takeDue(now: now) {
            defer { lua.release(timer.callback) }
            guard let plugin = plugins.first(where: { $0.name == timer.plugin }) else { continue }
            context.begin(updateID: nil, chatID: timer.chatID)
            var outcome = UpdateOutcome(updateID: nil, kind: "timer")
            if let result = call(plugin, timer.callback, phase: "timer", msg: nil, outcome: &outcome) {
                lua.release(result)
            }
        }
        drainCompletions()
    }

    /// When the next timer falls due (seconds since 1970), if one is set.
    public var nextTimerDue: Double? { context.timers.nextDue }
}
