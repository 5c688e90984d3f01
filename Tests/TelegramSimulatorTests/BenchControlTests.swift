import TelegramSimulator
import Testing
import WardenJSON

@Suite("The benchmarks' control endpoints, over HTTP")
struct BenchControlTests {
    @Test func aSeededWorldIsTheSameOverHTTPAsInProcess() async throws {
        try await withSimulator { simulator, control, _ in
            let world = try await control.seedBench(groups: 3, users: 7, usernamePrefix: "w")
            #expect(world.groupIDs.count == 3 && world.userIDs.count == 7)
            #expect(world.ownerIDs == Array(world.userIDs.prefix(3)))
            #expect(world.members.map(\.count) == [3, 2, 2])
            for (group, members) in zip(world.groupIDs, world.members) {
                for user in members {
                    let status = try await control.member(user, in: group)["status"]?.string
                    #expect(status == (world.ownerIDs.contains(user) ? "creator" : "member"))
                }
            }
            let bot = try await control.member(123_456, in: world.groupIDs[0])
            #expect(bot["status"] == "administrator" && bot["can_delete_messages"] == true)
            // The in-process call makes the same world (ids continue).
            let next = try await simulator.seedBench(groups: 3, users: 7, usernamePrefix: "x")
            #expect(next.members.map(\.count) == world.members.map(\.count))
        }
    }

    @Test func postsArrivePostedInOrderAndRefusalsAreNull() async throws {
        try await withSimulator { _, control, bot in
            let world = try await control.seedBench(groups: 2, users: 4)
            let (group, member) = (world.groupIDs[0], world.members[0][1])
            _ = try await control.setMember(member, in: group, status: "kicked")
            let posts = [
                TelegramSimulator.BenchPost(chatID: group, from: world.ownerIDs[0], text: "first", date: 1_700_000_000),
                TelegramSimulator.BenchPost(chatID: group, from: member, text: "banned", date: 1_700_000_001),
                TelegramSimulator.BenchPost(
                    chatID: world.groupIDs[1],
                    from: world.ownerIDs[1],
                    text: "/rules",
                    date: 2
                ),
            ]
            let ids = try await control.post(posts)
            #expect(ids.count == 3 && ids[0] != nil && ids[1] == nil && ids[2] != nil)
            let updates = try await bot.call("getUpdates", ["allowed_updates": ["message"]]).result?.array ?? []
            let messages = updates.compactMap { $0["message"] }
            #expect(messages.map { $0["text"]?.string } == ["first", "/rules"])
            #expect(messages.first?["date"] == 1_700_000_000)
            #expect(messages.first?["from"]?["id"]?.int == world.ownerIDs[0])
            #expect(messages.last?["entities"]?[0]?["type"] == "bot_command")
        }
    }

    @Test func aBacklogLargerThanAnUpdatesJSONCapIsAccepted() async throws {
        try await withSimulator { _, control, _ in
            let world = try await control.seedBench(groups: 1, users: 1)
            // Over the 8 MiB an update's JSON may have: the whole body is parsed, and the post answered.
            let text = String(repeating: "a", count: 9 << 20)
            let post = TelegramSimulator.BenchPost(
                chatID: world.groupIDs[0],
                from: world.ownerIDs[0],
                text: text,
                date: 1
            )
            #expect(try await control.post([post]).count == 1)
        }
    }

    @Test func badBodiesAreRefusedWithTheReason() async throws {
        try await withSimulator { _, control, _ in
            await #expect(throws: SimulatorControlError.self) {
                _ = try await control.request("POST", "bench/seed", body: ["groups": 2, "users": 1])
            }
            let world = try await control.seedBench(groups: 1, users: 1)
            do {
                let post: JSONValue = ["chat_id": .int(world.groupIDs[0]), "text": "no sender", "date": 1]
                _ = try await control.request("POST", "bench/posts", body: ["posts": [post]])
                Issue.record("a post without a sender was accepted")
            } catch let error as SimulatorControlError {
                #expect(error.status == 400 && error.description.contains("from"))
            }
        }
    }
}
