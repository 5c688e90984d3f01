import Testing
import WardenJSON
import WardenTestSupport

@Suite struct RoundTripTests {
    @Test(
        "every case survives serialize then parse",
        arguments: [
            JSONValue.null, true, false, 0, -42, 3.25, "", "plain", [], [:],
            [1, "two", [3.0, nil], ["k": false]],
            ["nested": ["deeper": ["deepest": [.int(.max), .int(.min)]]]],
        ] as [JSONValue]
    )
    func everyCaseRoundTrips(_ value: JSONValue) throws {
        #expect(try JSONValue(parsing: value.serialized()) == value)
        #expect(try JSONValue(parsing: value.jsonString) == value)
    }

    @Test func literalsBuildTheSameTreeAsParsing() throws {
        let literal: JSONValue = ["a": 1, "b": [true, nil, 2.5, "x"], "c": ["d": -7]]
        #expect(try JSONValue(parsing: #"{"c":{"d":-7},"b":[true,null,2.5,"x"],"a":1}"#) == literal)
    }

    @Test func duplicateKeysKeepTheLastValue() throws {
        #expect(try JSONValue(parsing: #"{"a":1,"b":0,"a":2}"#) == ["a": 2, "b": 0])
        let literal: JSONValue = ["a": 1, "a": 3]
        #expect(literal == ["a": 3])
    }

    @Test func sortedKeysGiveStableCanonicalOutput() throws {
        let value = try JSONValue(parsing: #"{"b":1,"a":{"d":2,"c":3},"é":null,"Z":[]}"#)
        #expect(
            String(decoding: value.serialized(sortedKeys: true), as: UTF8.self)
                == #"{"Z":[],"a":{"c":3,"d":2},"b":1,"é":null}"#
        )
    }

    @Test func integralDoublesStayDoublesAndIntsStayInts() throws {
        #expect(JSONValue.double(1).jsonString == "1.0")
        #expect(JSONValue.int(1).jsonString == "1")
        #expect(try JSONValue(parsing: JSONValue.double(1e16).jsonString) == .double(1e16))
        #expect(try JSONValue(parsing: "1.0") == .double(1))
        #expect(try JSONValue(parsing: "-0") == .int(0))
    }

    @Test func nonFiniteDoublesSerializeAsNull() {
        #expect(JSONValue.double(.nan).jsonString == "null")
        #expect(JSONValue.array([.double(.infinity), .double(-.infinity)]).jsonString == "[null,null]")
    }

    @Test func accessorsAnswerOnlyForTheirCase() throws {
        let value = try JSONValue(parsing: #"{"i":5,"d":2.5,"w":3.0,"s":"x","b":true,"a":[1],"o":{},"n":null}"#)
        #expect(value["i"]?.int == 5 && value["i"]?.double == 5)
        #expect(value["d"]?.double == 2.5 && value["d"]?.int == nil)
        #expect(value["w"]?.int == 3)
        #expect(JSONValue.double(1e19).int == nil)
        #expect(value["s"]?.string == "x" && value["s"]?.int == nil)
        #expect(value["b"]?.bool == true && value["i"]?.bool == nil)
        #expect(value["a"]?[0] == 1 && value["a"]?[1] == nil && value["a"]?[-1] == nil)
        #expect(value["o"]?.object == [:] && value["a"]?.array == [1])
        #expect(value["n"]?.isNull == true && value["missing"] == nil)
        #expect(value["s"]?["key"] == nil && value[0] == nil)
    }

    @Test func randomValuesSerializeIdempotently() throws {
        var generator = ValueGenerator(rng: SeededGenerator(seed: 0xC0FFEE))
        for _ in 0..<3000 {
            let value = generator.value()
            let canonical = value.serialized(sortedKeys: true)
            let reparsed = try JSONValue(parsing: canonical)
            #expect(reparsed == value)
            #expect(reparsed.serialized(sortedKeys: true) == canonical)
            #expect(try JSONValue(parsing: value.serialized()) == value)
        }
    }

    @Test func nonContiguousAndSlicedInputsParse() throws {
        let bytes = Array(#"  [1, {"a": "b"}]  "#.utf8)
        #expect(try JSONValue(parsing: bytes.lazy.map { $0 }) == [1, ["a": "b"]])
        let padded = Array("xx[true]yy".utf8)
        #expect(try JSONValue(parsing: padded[2..<8]) == [true])
        #expect(try JSONValue(parsing: [0xEF, 0xBB, 0xBF] + Array("7".utf8)) == 7)
    }
}
