import Foundation
import RedisStore
import TelegramSimulator
import WardenJSON

extension SpecPlayer {
    mutating func expect(_ key: String, _ step: JSONValue) async throws {
        switch key {
        case "expect":
            if let count = step["count"]?.int {
                try await settle()
                let matching = try calls(matching: step)
                if matching.count != count {
                    throw SpecError("expected \(count) matching call(s), saw \(matching.count)\(seen(step))")
                }
            } else {
                try await expectCall(step)
            }
        case "expect_no":
            try await settle()
            if let call = try calls(matching: step).first {
                throw SpecError("a matching call was made:\n  \(Self.show(call))")
            }
        case "expect_member":
            let user = try world.id(try Self.string(step, "expect_member"))
            let chat = try world.id(try Self.string(step, "chat"))
            var wanted = step.object ?? [:]
            for field in ["expect_member", "chat", "timeout"] { wanted[field] = nil }
            try await eventually("member \(user) in \(chat) to match \(JSONValue.object(wanted).text)") {
                let member = try await telegram.control.request("GET", "chats/\(chat)/members/\(user)")
                return Self.difference(world.resolve(.object(wanted)), member) == nil ? nil : member.text
            }
        case "expect_gone", "expect_visible":
            let label = try Self.string(step, key)
            let chat = try world.chat(ofMessage: label)
            let id = try world.id(label)
            let wantVisible = key == "expect_visible"
            if wantVisible { try await settle() }
            try await eventually("message \(label) to be \(wantVisible ? "visible" : "deleted")") {
                let messages = try await telegram.control.request("GET", "chats/\(chat)/messages").array ?? []
                let visible = messages.contains { $0["message_id"]?.int == id }
                return visible == wantVisible ? nil : (visible ? "still visible" : "deleted")
            }
        case "expect_redis":
            let command = (step["expect_redis"]?.array ?? []).map { Self.text(world.resolve($0)) }
            guard !command.isEmpty else { throw SpecError("expect_redis needs a command list") }
            let wanted = step["is_nil"]?.bool == true ? JSONValue.null : world.resolve(step["equals"] ?? .null)
            try await eventually("\(command.joined(separator: " ")) to equal \(wanted.text)") {
                let reply = Self.json(try telegram.connection.call(command.map { Array($0.utf8) }), shapedLike: wanted)
                return Self.difference(wanted, reply) == nil ? nil : reply.text
            }
        case "expect_redis_unchanged":
            try await expectUnchanged(try Self.string(step, key))
        case "expect_answer":
            let query = try world.query(try Self.string(step, "expect_answer"))
            let text = step["text"]?.string
            try await eventually("the button press to be answered\(text.map { " with \"\($0)\"" } ?? "")") {
                let state = try await telegram.control.request("GET", "callbacks/\(query)")
                guard state["answered"]?.bool == true else { return "not answered" }
                if let text, !(state["answer"]?["text"]?.string ?? "").contains(text) { return state["answer"]?.text }
                return nil
            }
        default:
            throw SpecError("unknown expectation \(key)")
        }
    }

    /// Waits for the first unused call that matches, marks it used, and labels the message it made.
    private mutating func expectCall(_ step: JSONValue) async throws {
        let wait: Duration = step["timeout"]?.double.map { .milliseconds(Int($0 * 1000)) } ?? timeout
        let deadline = ContinuousClock.now + wait
        while true {
            try await refresh()
            if let call = try calls(matching: step).first(where: { !consumed.contains($0["seq"]?.int ?? 0) }) {
                consumed.insert(call["seq"]?.int ?? 0)
                if let label = step["as"]?.string {
                    let result = call["response"]?["result"]
                    guard let id = result?["message_id"]?.int, let chat = result?["chat"]?["id"]?.int else {
                        throw SpecError("`as`: the call did not create a message")
                    }
                    world.label(message: id, in: chat, as: label)
                }
                return
            }
            if ContinuousClock.now >= deadline { throw SpecError("no matching call\(seen(step))") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Calls of the step's method matching its `params`, `text` and `ok`.
    private func calls(matching step: JSONValue) throws -> [JSONValue] {
        let method = (step["expect"] ?? step["expect_no"])?.string?.lowercased() ?? ""
        let params = step["params"].map(world.resolve)
        let text = step["text"].map(world.resolve)?.string
        // A message labelled with `as` must exist: only accepted calls can match.
        let ok = step["ok"]?.bool ?? (step["as"] != nil ? true : nil)
        return calls.filter { call in
            guard call["method"]?.string?.lowercased() == method else { return false }
            if let params, Self.difference(params, call["params"] ?? .null) != nil { return false }
            if let text, !(call["params"]?["text"]?.string ?? "").contains(text) { return false }
            if let ok, (call["status"]?.int == 200) != ok { return false }
            return true
        }
    }

    /// What calls of that method there were, with the first difference of each, for a failure message.
    private func seen(_ step: JSONValue) -> String {
        let method = (step["expect"] ?? step["expect_no"])?.string?.lowercased() ?? ""
        let sameMethod = calls.filter { $0["method"]?.string?.lowercased() == method }
        guard !sameMethod.isEmpty else {
            let methods = Set(calls.compactMap { $0["method"]?.string }).sorted()
            return
                "; no \(method) call was made (calls made: \(methods.isEmpty ? "none" : methods.joined(separator: ", ")))"
        }
        let wanted = step["params"].map(world.resolve)
        let text = step["text"].map(world.resolve)?.string
        let lines = sameMethod.suffix(8).map { call in
            var why = wanted.flatMap { Self.difference($0, call["params"] ?? .null) } ?? ""
            let text = text.flatMap { (call["params"]?["text"]?.string ?? "").contains($0) ? nil : $0 }
            if why.isEmpty, let text { why = "text does not contain \"\(Self.clipped(text))\"" }
            if why.isEmpty, consumed.contains(call["seq"]?.int ?? 0) { why = "already matched by an earlier step" }
            return "  \(Self.show(call))\(why.isEmpty ? "" : "\n    → \(why)")"
        }
        return "; \(method) calls seen:\n" + lines.joined(separator: "\n")
    }

    // MARK: Waiting

    /// Fetches calls recorded since the last look (getUpdates left out).
    mutating func refresh() async throws {
        let fresh = try await telegram.control.request("GET", "calls?since=\(lastSeq)").array ?? []
        for call in fresh {
            lastSeq = max(lastSeq, call["seq"]?.int ?? 0)
            if call["method"]?.string?.lowercased() != "getupdates" { calls.append(call) }
        }
    }

    /// Waits until the bot has taken every update sent so far (the simulator's queue is empty, which the
    /// poller confirms only after the batch was handled), its outbox is empty, and no new call came for
    /// half a second (callbacks may act again).
    mutating func settle() async throws {
        if settled { return }
        let deadline = ContinuousClock.now + .seconds(20)
        while try await telegram.control.state()["updates_queued"]?.int ?? 0 > 0 {
            if ContinuousClock.now >= deadline { throw SpecError("the bot did not take its updates within 20 s") }
            try await Task.sleep(for: .milliseconds(50))
        }
        await outboxIdle()
        try await refresh()
        var count = -1
        while count != calls.count {
            count = calls.count
            try await Task.sleep(for: .milliseconds(500))
            try await refresh()
            if ContinuousClock.now >= deadline { break }
        }
        settled = true
    }

    /// Retries `check` (nil = satisfied, else what it saw) until the case's timeout.
    private func eventually(_ what: String, _ check: () async throws -> String?) async throws {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while true {
            guard let observed = try await check() else { return }
            last = observed
            if ContinuousClock.now >= deadline { throw SpecError("expected \(what); saw \(last)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    // MARK: Comparing

    /// nil when `actual` has everything `expected` has (objects recursively, extra fields ignored;
    /// lists item by item); else the first difference. Scalars compare by their text, so 1, "1" and true agree.
    static func difference(_ expected: JSONValue, _ actual: JSONValue, at path: String = "") -> String? {
        switch (expected, actual) {
        case (.object(let wanted), .object(let got)):
            for (key, value) in wanted.sorted(by: { $0.key < $1.key }) {
                let child = path.isEmpty ? key : "\(path).\(key)"
                if value.isNull {
                    if let extra = got[key], !extra.isNull { return "\(child): expected no value, got \(extra.text)" }
                    continue
                }
                guard let other = got[key] else { return "\(child): missing (expected \(value.text))" }
                if let why = difference(value, other, at: child) { return why }
            }
            return nil
        case (.array(let wanted), .array(let got)):
            guard wanted.count == got.count else {
                return
                    "\(path.isEmpty ? "list" : path): expected \(wanted.count) items, got \(got.count) (\(actual.text))"
            }
            for (index, pair) in zip(wanted, got).enumerated() {
                if let why = difference(pair.0, pair.1, at: "\(path)[\(index + 1)]") { return why }
            }
            return nil
        case (.object, _), (.array, _):
            return "\(path.isEmpty ? "value" : path): expected \(expected.text), got \(actual.text)"
        default:
            if scalar(expected) == scalar(actual) { return nil }
            return "\(path.isEmpty ? "value" : path): expected \(expected.text), got \(actual.text)"
        }
    }

    private static func scalar(_ value: JSONValue) -> String {
        switch value {
        case .bool(let flag): return flag ? "1" : "0"
        case .double(let number) where number.rounded() == number && abs(number) < 1e15: return String(Int64(number))
        default: return text(value)
        }
    }

    /// A Redis reply as JSON; a flat array becomes an object when the expectation is one (HGETALL).
    static func json(_ reply: RedisReply, shapedLike wanted: JSONValue) -> JSONValue {
        switch reply {
        case .status(let text), .error(let text): return .string(text)
        case .integer(let number): return .int(number)
        case .bulk(let bytes): return .string(String(decoding: bytes, as: UTF8.self))
        case .null: return .null
        case .array(let items):
            let values = items.map { json($0, shapedLike: .null) }
            guard case .object = wanted, values.count % 2 == 0 else { return .array(values) }
            var object: [String: JSONValue] = [:]
            for index in stride(from: 0, to: values.count, by: 2) { object[text(values[index])] = values[index + 1] }
            return .object(object)
        }
    }

    static func show(_ call: JSONValue) -> String {
        let status = call["status"]?.int ?? 0
        let outcome = status == 200 ? "" : " → \(status) \(call["response"]?["description"]?.string ?? "")"
        return "\(call["method"]?.string ?? "?") \(clipped(call["params"]?.text ?? "{}"))\(outcome)"
    }

    /// Long texts (a 5000-character reason, say) cut for failure messages.
    static func clipped(_ text: String, _ limit: Int = 400) -> String {
        text.count <= limit ? text : "\(text.prefix(limit))… (\(text.count) characters)"
    }
}

extension JSONValue {
    /// Compact JSON with sorted keys, for messages.
    var text: String { String(decoding: serialized(sortedKeys: true), as: UTF8.self) }
}
