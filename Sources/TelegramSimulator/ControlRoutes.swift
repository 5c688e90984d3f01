import Hummingbird
import WardenJSON

extension HTTPRoutes {
    /// The control API under `/control/…`; see docs/simulator.md for each endpoint.
    static func addControl(to router: Router<BasicRequestContext>, state: SimulatorState) {
        let control = router.group("control")
        control.post("reset") { _, _ in
            await Self.control {
                await state.reset()
                return true
            }
        }
        control.post("users") { request, _ in
            await Self.control { try await state.createUser(try await body(request)) }
        }
        control.post("chats") { request, _ in
            await Self.control { try await state.createChat(try await body(request)) }
        }
        control.post("chats/{chat}/members") { request, context in
            await Self.control { try await state.setMember(chatID: try id(context, "chat"), try await body(request)) }
        }
        control.get("chats/{chat}/members/{user}") { _, context in
            await Self.control {
                try await state.memberJSON(chatID: try id(context, "chat"), userID: try id(context, "user"))
            }
        }
        control.post("chats/{chat}/messages") { request, context in
            await Self.control { try await state.postMessage(chatID: try id(context, "chat"), try await body(request)) }
        }
        control.get("chats/{chat}/messages") { _, context in
            await Self.control { try await state.messagesJSON(chatID: try id(context, "chat")) }
        }
        control.post("chats/{chat}/messages/{message}/edit") { request, context in
            await Self.control {
                try await state.editMessage(
                    chatID: try id(context, "chat"),
                    messageID: try id(context, "message"),
                    try await body(request)
                )
            }
        }
        control.post("chats/{chat}/join") { request, context in
            await Self.control { try await state.join(chatID: try id(context, "chat"), try await body(request)) }
        }
        control.post("chats/{chat}/leave") { request, context in
            await Self.control { try await state.leave(chatID: try id(context, "chat"), try await body(request)) }
        }
        control.post("chats/{chat}/join_request") { request, context in
            await Self.control { try await state.joinRequest(chatID: try id(context, "chat"), try await body(request)) }
        }
        control.post("chats/{chat}/migrate") { _, context in
            await Self.control { try await state.migrate(chatID: try id(context, "chat")) }
        }
        control.post("callback") { request, _ in
            await Self.control { try await state.pressButton(try await body(request)) }
        }
        control.get("callbacks/{id}") { _, context in
            await Self.control { try await state.callbackState(context.parameters.get("id") ?? "") }
        }
        control.post("updates") { request, _ in
            await Self.control { try await state.inject(try await body(request)) }
        }
        control.get("calls") { request, _ in
            await Self.control {
                let query = request.uri.queryParameters
                let since = query["since"].flatMap { Int($0) } ?? 0
                return await state.callsJSON(since: since, method: query["method"].map(String.init))
            }
        }
        control.post("bench/seed") { request, _ in
            await Self.control { try await state.seedBench(try await body(request)) }
        }
        control.post("bench/posts") { request, _ in
            await Self.control { try await state.post(try await body(request)) }
        }
        control.get("state") { _, _ in await Self.control { await state.stateJSON() } }
        control.post("faults") { request, _ in
            await Self.control { try await state.addFault(try await body(request)) }
        }
        control.delete("faults") { _, _ in
            await Self.control {
                await state.clearFaults()
                return true
            }
        }
    }
}
