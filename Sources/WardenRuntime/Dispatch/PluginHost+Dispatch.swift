import BotAPI
import Foundation
import Logging
import LuaHost
import RedisStore
public import WardenJSON

/// How one update went, for tests, logs and the ingress (which confirms it).
public struct UpdateOutcome: Sendable, Equatable {
    public var updateID: Int64?
    /// `message`, `callback_query`, …, or `invalid`.
    public var kind: String
    /// Why nothing more happened, if something stopped it.
    public var stopped: StopReason?
    /// Plugins whose `run` or `on` handler ran.
    public var handledBy: [String] = []
    /// Plugins that raised an error while handling it.
    public var failedPlugins: [String] = []

    public enum StopReason: String, Sendable {
        case fromBot = "from the bot itself"
        case droppedByPreProcess = "dropped by pre_process"
        case old = "old message: commands not run"
        case otherBot = "command for another bot"
        case malformed = "malformed update"
        case alreadyHandled = "already handled (redelivered after a restart)"
    }
}

extension PluginHost {
    /// Dispatches one update: validity, every `pre_process` in order, then each
    /// plugin's first matching pattern (`message`), or the `on` handlers (other kinds).
    public func handle(update: JSONValue) -> UpdateOutcome {
        handle(batch: [update])[0]
    }

    /// Dispatches a batch of updates in order. The ledger costs two round trips for the whole batch: one
    /// to learn which were handled already (a redelivery after a crash, and to note the users and groups the
    /// batch shows), one to mark them all handled and journal their actions, which go to the sink only
    /// then, so a crash can neither lose nor repeat them.
    ///
    /// Redis is the bot's memory, so a batch is not handled without it: while the connection is down the
    /// worker waits, and a batch during which Redis failed is handled again once it is back, its actions
    /// of the first pass dropped unsent (plugins could not read their settings or write their state).
    /// - Parameter freshAbove: update ids above this cannot have been handled before (see `UpdateLedger.handled`).
    public func handle(batch updates: [JSONValue], freshAbove: Int64? = nil) -> [UpdateOutcome] {
        var ids: [Int64] = []
        var groups: Set<Int64> = []
        var users: [SeenUser] = []
        // Grown one update at a time, the arrays reached sizes whose allocation makes glibc consolidate
        // its free blocks: 2.8% of a worker's samples in `warden bench` while Lua's small blocks still
        // came from glibc (no difference measured since).
        ids.reserveCapacity(updates.count)
        users.reserveCapacity(updates.count * 2)
        let incoming = updates.map(IncomingUpdate.init(update:))
        for case let update? in incoming {
            ids.append(update.id)
            if let group = update.group { groups.insert(group) }
            update.appendUsers(to: &users)
        }
        // A batch that keeps failing with Redis up (a plugin's command that always times out) must not stall
        // the bot: after a few passes it is kept as it went, if the ledger can be written.
        var attempt = 0
        while true {
            attempt += 1
            waitForRedis()
            let failures = context.redis?.failures ?? 0
            let started = (ContinuousClock.now, lua.bytesAllocated)
            defer { tally(PhaseTallies.HostPhase.total.rawValue, since: started) }
            // A pass after a Redis failure may have recorded part of the batch: it looks every id up.
            let done = timed(.ledger) {
                ledger.handled(among: ids, groups: groups, users: users, freshAbove: attempt == 1 ? freshAbove : nil)
            }
            timed(.readAhead) { readAhead(groups: groups) }
            var entries: [UpdateLedger.Entry] = []
            entries.reserveCapacity(updates.count)
            let outcomes = zip(updates, incoming).map { update, incoming in
                handleOne(update, incoming, alreadyHandled: done, entries: &entries)
            }
            let held = entries.flatMap(\.actions)
            let failedMidway = (context.redis?.failures ?? 0) != failures && attempt < 3
            guard !failedMidway, let toSend = timed(.ledger, { ledger.record(entries) }) else {
                for callback in context.discard(held) { lua.release(callback) }
                logger.warning(
                    "Redis failed during a batch: it is handled again once Redis answers",
                    metadata: ["updates": "\(updates.count)", "actions.dropped": "\(held.count)"]
                )
                continue
            }
            for item in toSend { sink.submit(item.action, completion: item.completion) }
            drainCompletions()  // a sink that answers at once (tests, `--stdin`) runs the callbacks now
            return outcomes
        }
    }

    /// Reads the cached keys of the batch's groups (and the global ones) that the read cache does not know yet
    /// in one round trip, instead of one round trip each when a plugin first asks. Once read ahead, a group's
    /// keys are left to the cache (a write drops one; the next read takes it whole again). The same round trip
    /// asks whether those groups have a cached admin list, and starts fetching the missing ones in the
    /// background, so a command's role lookup rarely waits for Telegram. A failure is left to the reads that
    /// follow.
    private func readAhead(groups: Set<Int64>) {
        guard let redis = context.redis else { return }
        writeFetchedAdminLists(on: redis)
        guard !groups.isEmpty else { return }
        let cache = context.readCache
        let clears = cache?.clears ?? 0
        if groupsReadAhead.clears != clears || groupsReadAhead.groups.count > 100_000 {
            groupsReadAhead = (clears, [])
        }
        // Not `subtracting`: it walks its argument, all the groups read ahead (up to 100,000), for each batch.
        let unread = Array(groups.filter { !groupsReadAhead.groups.contains($0) })
        guard !unread.isEmpty else { return }
        let fetches = context.roles.fetches
        let alongside =
            fetches == nil ? [] : unread.map { ["EXISTS", context.keys.adminsFetched($0)].map { Array($0.utf8) } }
        let checked: [RedisReply]
        do {
            if let cache, cache.isLive {
                let global = RedisReadCache.globalKinds.map { context.keys.schema.global($0).rawValue }
                let chats = unread.flatMap { chat in RedisReadCache.chatKinds.map { context.keys.chat(chat, $0) } }
                checked = try cache.readAhead((global + chats).map { Array($0.utf8) }, alongside: alongside, on: redis)
            } else {
                checked = alongside.isEmpty ? [] : try redis.pipeline(alongside)
            }
        } catch {
            return
        }
        // Noted while the cache is not live too: going live clears it, and a clear starts the groups over.
        groupsReadAhead.groups.formUnion(unread)
        for (chat, exists) in zip(unread, checked) where exists.int == 0 { fetches?.start(chat) }
    }

    /// Admin lists fetched in the background go to the cache with the next round trip, and the waiting
    /// fetches the pace allows start.
    private func writeFetchedAdminLists(on redis: RedisConnection) {
        guard let fetches = context.roles.fetches else { return }
        fetches.resume()
        let now = context.clock()
        let commands = fetches.takeFetched().flatMap { context.roles.cacheCommands($0.chatID, $0.admins, now: now) }
        guard !commands.isEmpty else { return }
        do {
            try redis.queueForNextRoundTrip(commands)
            // They go out before any read this worker makes, so the cache may forget the old lists now.
            for argv in commands { context.readCache?.noteWrite(argv) }
        } catch {
            logger.warning("admin lists not cached", metadata: ["error": "\(error)"])
        }
    }

    /// Blocks the worker while its Redis connection is down, retrying with backoff, so no update is handled
    /// (and none confirmed) without the bot's memory. No round trip while the connection is up.
    func waitForRedis() {
        guard let redis = context.redis, !redis.isConnected else { return }
        var delay = 0.05
        var since: ContinuousClock.Instant?
        while (try? redis.call("PING")) == nil {
            if since == nil {
                since = .now
                logger.warning("Redis unreachable: the worker waits for it before handling more updates")
            }
            Thread.sleep(forTimeInterval: delay)
            delay = min(delay * 2, 2)
        }
        if let since {
            logger.notice("Redis is back", metadata: ["waited": "\(ContinuousClock.now - since)"])
        }
    }

    private func handleOne(
        _ update: JSONValue,
        _ incoming: IncomingUpdate?,
        alreadyHandled: Set<Int64>,
        entries: inout [UpdateLedger.Entry]
    ) -> UpdateOutcome {
        counters.updates += 1
        defer { options.metrics?.updateReceived(kind: incoming?.kind ?? "invalid") }
        guard let incoming else {
            logger.warning("update refused", metadata: ["reason": "no update_id or no content"])
            return UpdateOutcome(updateID: update["update_id"]?.int, kind: "invalid", stopped: .malformed)
        }
        let (updateID, kind, payload) = (incoming.id, incoming.kind, incoming.payload)
        let chatID = Update.chatID(ofContent: payload)
        if alreadyHandled.contains(updateID) {
            return UpdateOutcome(updateID: updateID, kind: kind, stopped: .alreadyHandled)
        }
        // Its actions wait until the update is journaled as handled, so a crash can neither lose nor repeat them.
        context.begin(updateID: updateID, chatID: chatID, holdActions: true)
        defer {
            runCallbacksOfFinishedActions()
            entries.append(.init(updateID: updateID, actions: context.takeHeldActions()))
        }
        var outcome = UpdateOutcome(updateID: updateID, kind: kind)
        if kind == "chat_member" || kind == "my_chat_member" { recordAdminChange(payload) }
        guard kind == "message" else {
            runHandlers(kind: kind, payload: payload, outcome: &outcome)
            return outcome
        }
        guard case .object(let message) = payload, let chatID = message["chat"]?["id"]?.int else {
            logger.warning(
                "update refused",
                metadata: ["update.id": "\(updateID)", "reason": "message without chat.id"]
            )
            outcome.stopped = .malformed
            return outcome
        }
        dispatch(message: message, chatID: chatID, updateID: updateID, outcome: &outcome)
        return outcome
    }

    private func dispatch(
        message: [String: JSONValue],
        chatID: Int64,
        updateID: Int64?,
        outcome: inout UpdateOutcome
    ) {
        counters.messages += 1
        let senderID = message["from"]?["id"]?.int
        if let senderID, senderID == options.botID, options.botID != 0 {
            outcome.stopped = .fromBot
            return
        }
        let facts = MessageFacts(message: .object(message), botUsername: options.botUsername)
        let date = Double(message["date"]?.int ?? Int64(options.startedAt))
        let isOld = date + Double(options.config.oldUpdateAge) < options.startedAt
        if let newChatID = message["migrate_to_chat_id"]?.int { migrateChat(from: chatID, to: newChatID) }
        let disabled = disabledPlugins(chatID: chatID)
        var msg = timed(.messageTable) {
            LuaMessage.push(message, facts: facts, updateID: updateID, isOld: isOld, metatable: messageMeta, on: lua)
            return lua.popToRef()
        }
        defer { lua.release(msg) }

        for plugin in plugins where plugin.preProcess != nil && !disabled.contains(plugin.name) {
            guard
                let result = call(
                    plugin,
                    plugin.preProcess!,
                    phase: "pre_process",
                    msg: msg,
                    outcome: &outcome,
                    followingTheLastPhase: true
                )
            else { continue }
            // Returning the message (or a replacement table) continues; nil or false drops it for everyone.
            if !lua.isTruthy(result) {
                lua.release(result)
                counters.dropped += 1
                outcome.stopped = .droppedByPreProcess
                return
            }
            if lua.isTable(result) {
                lua.release(msg)
                msg = result
            } else {
                lua.release(result)
            }
        }
        if isOld {
            outcome.stopped = .old
            return
        }
        if facts.addressedElsewhere {
            outcome.stopped = .otherBot
            return
        }
        timed(.patternsAndRun, followingTheLastPhase: true) {
            matchPatterns(
                text: Array(facts.matchText.utf8),
                msg: msg,
                message: message,
                disabled: disabled,
                outcome: &outcome
            )
        }
    }

    /// Adds the time `work` took, and what it allocated in Lua, to the worker's figures under `phase`.
    /// - Parameter followingTheLastPhase: the phase starts where the last one tallied ended (nothing else ran
    ///   in between).
    func timed<T>(_ phase: PhaseTallies.HostPhase, followingTheLastPhase: Bool = false, _ work: () -> T) -> T {
        let started = tallyStart(followingTheLastPhase)
        defer { tally(phase.rawValue, since: started) }
        return work()
    }

    private func tallyStart(_ followingTheLastPhase: Bool) -> (ContinuousClock.Instant, UInt64) {
        if followingTheLastPhase, let last = lastTallied { return last }
        return (ContinuousClock.now, lua.bytesAllocated)
    }

    /// Adds the time and Lua allocation since `started` to a slot's figures; a plugin call's also goes to the
    /// metrics (when there are metrics) with the next flush.
    private func tally(_ slot: Int, since started: (ContinuousClock.Instant, UInt64), pluginCall: Bool = false) {
        let now = (at: ContinuousClock.now, luaBytes: lua.bytesAllocated)
        lastTallied = now
        phases.add(
            slot,
            now.at - started.0,
            luaBytes: now.luaBytes - started.1,
            forMetrics: pluginCall && options.metrics != nil
        )
    }

    private func matchPatterns(
        text: [UInt8],
        msg: LuaRef,
        message: [String: JSONValue],
        disabled: Set<String>,
        outcome: inout UpdateOutcome
    ) {
        var matchedPlugin = -1
        for ordinal in index.candidates(for: text) {
            let owner = patternOwners[ordinal]
            guard owner.plugin != matchedPlugin else { continue }
            let plugin = plugins[owner.plugin]
            guard !disabled.contains(plugin.name), let run = plugin.run else { continue }
            counters.patternAttempts += 1
            let captures: [LuaValue]
            do {
                captures = try lua.call(stringMatch, [.string(text), .string(plugin.patterns[owner.pattern].bytes)])
            } catch {
                report(error, plugin: plugin.name, phase: "pattern", outcome: &outcome)
                continue
            }
            guard let first = captures.first, !first.isNil else { continue }
            matchedPlugin = owner.plugin
            guard allowed(plugin, message: message) else {
                logger.debug("command refused: role too low", metadata: ["plugin.name": "\(plugin.name)"])
                continue
            }
            counters.runs += 1
            outcome.handledBy.append(plugin.name)
            let matches = LuaValue.table(LuaTable(array: captures))
            guard let result = call(plugin, run, phase: "run", msg: msg, extra: matches, outcome: &outcome) else {
                continue
            }
            replyIfText(result, plugin: plugin.name, message: message)
        }
    }

    /// Runs `on[kind]` of every plugin that has it, in order.
    private func runHandlers(kind: String, payload: JSONValue, outcome: inout UpdateOutcome) {
        let handlers = plugins.compactMap { plugin in plugin.handlers[kind].map { (plugin, $0) } }
        guard !handlers.isEmpty else { return }
        let isMessage = payload["message_id"] != nil && payload["chat"] != nil
        if isMessage, case .object(let message) = payload {
            let facts = MessageFacts(message: payload, botUsername: options.botUsername)
            LuaMessage.push(
                message,
                facts: facts,
                updateID: context.currentUpdateID,
                isOld: false,
                metatable: messageMeta,
                on: lua
            )
        } else {
            lua.push(json: payload)
        }
        let object = lua.popToRef()
        defer { lua.release(object) }
        let disabled = context.currentChatID.map(disabledPlugins(chatID:)) ?? []
        for (plugin, handler) in handlers where !disabled.contains(plugin.name) {
            outcome.handledBy.append(plugin.name)
            guard let result = call(plugin, handler, phase: "on.\(kind)", msg: object, outcome: &outcome) else {
                continue
            }
            if isMessage, case .object(let message) = payload {
                replyIfText(result, plugin: plugin.name, message: message)
            } else {
                lua.release(result)
            }
        }
    }

    /// Calls a plugin function protected; nil (after reporting) when it raised.
    func call(
        _ plugin: Plugin,
        _ function: LuaRef,
        phase: String,
        msg: LuaRef?,
        extra: LuaValue? = nil,
        outcome: inout UpdateOutcome,
        followingTheLastPhase: Bool = false
    ) -> LuaRef? {
        let slot = phases.slot(of: plugin, phase: phase)
        let started = tallyStart(followingTheLastPhase)
        defer { tally(slot, since: started, pluginCall: true) }
        do {
            return try lua.callReturningRef(function) { state in
                guard let msg else { return 0 }
                state.pushRef(msg)
                guard let extra else { return 1 }
                state.push(extra)
                return 2
            }
        } catch {
            report(error, plugin: plugin.name, phase: phase, outcome: &outcome)
            return nil
        }
    }

    func report(_ error: LuaError, plugin: String, phase: String, outcome: inout UpdateOutcome) {
        counters.pluginErrors[plugin, default: 0] += 1
        options.metrics?.pluginError(plugin)
        outcome.failedPlugins.append(plugin)
        logger.error(
            "plugin error",
            metadata: [
                "plugin.name": "\(plugin)", "plugin.phase": "\(phase)", "error.kind": "\(error.kind.rawValue)",
                "error": "\(error.message)", "traceback": "\(error.traceback ?? "")",
            ]
        )
        if error.kind == .memory { lua.collectGarbage() }
        noticeSudoUsers(plugin: plugin, problem: "\(phase): \(error.message)")
    }

    /// yagop: a string returned by `run` is sent as a reply in the chat; one too long for a message goes
    /// as several (at most ``ReplyChunks/maximumParts``), in order, the first of them the reply.
    private func replyIfText(_ result: LuaRef, plugin: String, message: [String: JSONValue]) {
        defer { lua.release(result) }
        guard lua.typeName(of: result) == "string", case .success(let value) = lua.value(of: result),
            let text = value.stringValue, !text.isEmpty, let chatID = message["chat"]?["id"]
        else { return }
        // Past the parameter cap the reply goes whole, to be refused and reported like any oversized action.
        var parts = text.utf8.count > HostContext.maximumParameterBytes ? [text] : ReplyChunks.split(text)
        if parts.count > ReplyChunks.maximumParts {
            logger.warning(
                "reply cut: too long for \(ReplyChunks.maximumParts) messages",
                metadata: ["plugin.name": "\(plugin)", "messages.dropped": "\(parts.count - ReplyChunks.maximumParts)"]
            )
            parts = Array(parts.prefix(ReplyChunks.maximumParts))
        }
        for (position, chunk) in parts.enumerated() {
            var params: [String: JSONValue] = ["chat_id": chatID, "text": .string(chunk)]
            if position == 0, let messageID = message["message_id"] {
                params["reply_parameters"] = .object(["message_id": messageID, "allow_sending_without_reply": true])
            }
            context.submit(method: "sendMessage", params: params, plugin: plugin, callback: nil)
        }
    }

    private func allowed(_ plugin: Plugin, message: [String: JSONValue]) -> Bool {
        guard plugin.minRole > .member else { return true }
        guard let chatID = message["chat"]?["id"]?.int, let userID = message["from"]?["id"]?.int else { return false }
        let role = context.role(chatID: chatID, userID: userID, senderChatID: message["sender_chat"]?["id"]?.int)
        return role >= plugin.minRole
    }
}
