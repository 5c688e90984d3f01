import BotAPI
import Logging
import Synchronization
import Testing
import WardenJSON

@Suite struct BotAPIClientTests {
    static let token = "123456:SECRET-TOKEN-VALUE"

    @Test func callPostsJSONToTheMethodPathAndReturnsTheResult() async throws {
        let stub = StubServer { _ in
            (
                200,
                #"{"ok":true,"result":{"message_id":5,"chat":{"id":-1001234567890123,"type":"supergroup"},"date":1}}"#,
                .zero
            )
        }
        try await stub.run { base in
            let client = BotAPIClient(token: Self.token, baseURL: base + "/")
            let result = try await client.call("sendMessage", ["chat_id": .int(-1_001_234_567_890_123), "text": "hi"])
            #expect(result["chat"]?["id"]?.int == -1_001_234_567_890_123)
            let message = try await client.sendMessage(chatID: -1_001_234_567_890_123, text: "hi")
            #expect(message.chat.id == -1_001_234_567_890_123)
        }
        let first = try #require(stub.requests.withLock { $0.first })
        #expect(first.path == "/bot\(Self.token)/sendMessage")
        #expect(first.contentType == "application/json")
        #expect(try JSONValue(parsing: first.body) == ["chat_id": .int(-1_001_234_567_890_123), "text": "hi"])
    }

    @Test func refusalsBecomeTypedErrorsWithParameters() async throws {
        let stub = StubServer { method in
            switch method {
            case "sendMessage":
                (
                    429,
                    #"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}"#,
                    .zero
                )
            case "banChatMember":
                (
                    400,
                    #"{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1009876543210}}"#,
                    .zero
                )
            case "restrictChatMember":
                (
                    400,
                    #"{"ok":false,"error_code":400,"description":"Bad Request: not enough rights to restrict/unrestrict chat member"}"#,
                    .zero
                )
            default: (502, "<html>Bad Gateway</html>", .zero)
            }
        }
        try await stub.run { base in
            let client = BotAPIClient(token: Self.token, baseURL: base)
            let limited = await Self.error { try await client.call("sendMessage", ["chat_id": 1, "text": "x"]) }
            #expect(limited?.retryAfter == 7 && limited?.errorCode == 429 && limited?.isRetryable == true)
            #expect(limited?.shortDescription == "telegram_429")
            let migrated = await Self.error { try await client.call("banChatMember", ["chat_id": 1, "user_id": 2]) }
            #expect(migrated?.migrateToChatID == -1_009_876_543_210)
            let rights = await Self.error { try await client.call("restrictChatMember", [:]) }
            #expect(rights?.description == "Bad Request: not enough rights to restrict/unrestrict chat member")
            #expect(rights?.isRetryable == false)
            let gateway = await Self.error { try await client.call("getMe") }
            #expect(gateway?.kind == .http && gateway?.httpStatus == 502 && gateway?.isRetryable == true)
        }
    }

    @Test func unreachableAndSilentServersGiveNetworkAndTimeoutErrorsWithoutTheToken() async throws {
        // AsyncHTTPClient keeps retrying a refused connection until the deadline.
        let refused = BotAPIClient(token: Self.token, baseURL: "http://127.0.0.1:1", requestTimeout: .seconds(1))
        let network = await Self.error { try await refused.getMe() }
        #expect(network?.kind == .network)
        #expect(network.map { !"\($0)".contains("SECRET") } == true)
        let stub = StubServer { _ in (200, #"{"ok":true,"result":true}"#, .milliseconds(1500)) }
        try await stub.run { base in
            let client = BotAPIClient(token: Self.token, baseURL: base, requestTimeout: .milliseconds(300))
            let started = ContinuousClock.now
            let timeout = await Self.error { try await client.call("getMe") }
            #expect(timeout?.kind == .timeout)
            #expect(ContinuousClock.now - started < .seconds(3))
            #expect(timeout.map { !"\($0)".contains("SECRET") } == true)
        }
        #expect(!"\(refused)".contains("SECRET"))
        #expect(!String(reflecting: refused).contains("SECRET"))
    }

    @Test func getUpdatesKeepsUnknownKindsAndFieldsRaw() async throws {
        let stub = StubServer { _ in
            (
                200,
                #"{"ok":true,"result":[{"update_id":9007199254740993,"message":{"message_id":1,"date":1,"chat":{"id":-5,"type":"group"},"text":"x","future_field":{"a":1}}},{"update_id":9007199254740994,"future_kind":{"x":true}},{"no_id":1}]}"#,
                .zero
            )
        }
        try await stub.run { base in
            let updates = try await BotAPIClient(token: Self.token, baseURL: base).getUpdates(
                offset: 10,
                timeout: 0,
                allowedUpdates: ["message"]
            )
            #expect(updates.map(\.updateID) == [9_007_199_254_740_993, 9_007_199_254_740_994])
            #expect(updates[0].kind == "message" && updates[0].message?.chat.id == -5)
            #expect(updates[0].raw["message"]?["future_field"]?["a"] == 1)
            #expect(updates[1].kind == "future_kind" && updates[1].message == nil)
        }
        let body = try JSONValue(parsing: try #require(stub.requests.withLock { $0.first?.body }))
        #expect(body["offset"] == 10 && body["allowed_updates"] == ["message"] && body["limit"] == 100)
    }

    @Test func uploadsAreMultipart() async throws {
        let stub = StubServer { _ in (200, #"{"ok":true,"result":true}"#, .zero) }
        try await stub.run { base in
            let client = BotAPIClient(token: Self.token, baseURL: base)
            let certificate = InputFile(
                data: Array("PEM".utf8),
                filename: "cert.pem",
                contentType: "application/x-pem-file"
            )
            let done = try await client.setWebhook(
                url: "https://x.example/hook",
                secretToken: "abc",
                maxConnections: 10,
                allowedUpdates: ["message"],
                certificate: certificate
            )
            #expect(done)
        }
        let request = try #require(stub.requests.withLock { $0.first })
        #expect(request.contentType.hasPrefix("multipart/form-data; boundary=warden-"))
        let text = String(decoding: request.body, as: UTF8.self)
        #expect(
            text.contains(
                "name=\"certificate\"; filename=\"cert.pem\"\r\nContent-Type: application/x-pem-file\r\n\r\nPEM\r\n"
            )
        )
        #expect(text.contains("name=\"allowed_updates\"\r\n\r\n[\"message\"]\r\n"))
        #expect(text.contains("name=\"secret_token\"\r\n\r\nabc\r\n"))
    }

    @Test func multipartBytesAreExact() {
        let form = MultipartForm(boundary: "B")
        let bytes = form.encode(
            fields: [("a", "1")],
            files: [("f", InputFile(data: [0, 255], filename: "x\".bin", contentType: "t/t"))]
        )
        let expected: [UInt8] =
            Array(
                "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x%22.bin\"\r\nContent-Type: t/t\r\n\r\n"
                    .utf8
            )
            + [0, 255] + Array("\r\n--B--\r\n".utf8)
        #expect(bytes == expected)
    }

    @Test func modelsDecodeFromParsedJSONWithExactIDs() throws {
        let member = try JSONModelDecoding.decode(
            ChatMember.self,
            from: try JSONValue(
                parsing:
                    #"{"status":"administrator","user":{"id":9007199254740993,"is_bot":false,"first_name":"A"},"can_restrict_members":true,"can_be_edited":false}"#
            )
        )
        #expect(member.user.id == 9_007_199_254_740_993 && member.isAdministrator && member.canRestrictMembers == true)
        let restricted = try JSONModelDecoding.decode(
            ChatMember.self,
            from: try JSONValue(
                parsing:
                    #"{"status":"restricted","user":{"id":1,"is_bot":false,"first_name":"B"},"until_date":0,"is_member":true,"can_send_messages":false}"#
            )
        )
        #expect(restricted.status == .restricted && restricted.canSendMessages == false)
    }

    static func error(_ body: () async throws -> Any) async -> BotAPIError? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error as? BotAPIError
        }
    }
}
