using System.Text;
using CsCheck;
using PingAnTong.Edge.Core.Json;
using Xunit;

namespace PingAnTong.Edge.Tests.Json;

public class JsonTests
{
    private static string Write(Action<JsonWriter> build)
    {
        var w = new JsonWriter(8);
        build(w);
        return Encoding.UTF8.GetString(w.Buffer, 0, w.Length);
    }

    [Fact]
    public void Writes_objects_arrays_numbers_and_escapes()
    {
        string s = Write(w =>
        {
            w.BeginObject();
            w.Property("a", "x\"y\\z\n\u0001");
            w.Property("n", -1234567890123L);
            w.Property("min", long.MinValue);
            w.Name("arr"); w.BeginArray(); w.Number(0); w.Bool(true); w.Null(); w.EndArray();
            w.Name("f"); w.Fixed(-235, 1);
            w.Name("g"); w.Fixed(5, 2);
            w.EndObject();
        });
        Assert.Equal("{\"a\":\"x\\\"y\\\\z\\n\\u0001\",\"n\":-1234567890123,\"min\":-9223372036854775808,\"arr\":[0,true,null],\"f\":-23.5,\"g\":0.05}", s);
    }

    [Theory]
    [InlineData(0L, "1970-01-01T00:00:00.000Z")]
    [InlineData(951782400123L, "2000-02-29T00:00:00.123Z")]
    [InlineData(1780000000000L, "2026-05-28T20:26:40.000Z")]
    public void Timestamps_are_iso8601_utc(long ms, string expected)
    {
        Assert.Equal("\"" + expected + "\"", Write(w => w.Timestamp(ms)));
        Assert.Equal("null", Write(w => w.Timestamp(-1)));
    }

    [Fact]
    public void Property_timestamps_match_DateTime()
    {
        Gen.Long[0, 4_102_444_800_000L].Sample(ms =>
            Write(w => w.Timestamp(ms)) == "\"" + DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'") + "\"");
    }

    [Fact]
    public void Property_any_string_round_trips_through_writer_and_reader()
    {
        Gen.String.Sample(s =>
        {
            string json = Write(w => { w.BeginObject(); w.Property("s", s); w.EndObject(); });
            var node = JsonReader.Parse(Encoding.UTF8.GetBytes(json));
            // Lone surrogates are not representable in UTF-8; the writer escapes them and the reader restores the code unit.
            return node.Get("s").StringValue == s;
        }, iter: 2000);
    }

    [Fact]
    public void Property_writer_output_is_valid_json_for_System_Text_Json()
    {
        Gen.Select(Gen.String, Gen.Long, Gen.Bool).Sample((s, n, b) =>
        {
            string json = Write(w => { w.BeginObject(); w.Property("s", s); w.Property("n", n); w.Property("b", b); w.EndObject(); });
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            return doc.RootElement.GetProperty("n").GetInt64() == n && doc.RootElement.GetProperty("b").GetBoolean() == b;
        }, iter: 1000);
    }

    [Fact]
    public void Property_reader_agrees_with_System_Text_Json_on_generated_documents()
    {
        var genLeaf = Gen.OneOf(
            Gen.Long.Select(x => x.ToString()),
            Gen.String[Gen.Char, 0, 20].Select(s => System.Text.Json.JsonSerializer.Serialize(s)),
            Gen.Const("true"), Gen.Const("false"), Gen.Const("null"), Gen.Const("1.5"), Gen.Const("-0.25e2"));
        var genDoc = Gen.Recursive<string>((depth, self) => depth > 3 ? genLeaf : Gen.OneOf(
            genLeaf,
            self.Array[0, 4].Select(items => "[" + string.Join(",", items) + "]"),
            Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 1, 8].Array[0, 4], self.Array[4], (keys, vals) =>
                "{" + string.Join(",", keys.Distinct().Select((k, i) => "\"" + k + "\": " + vals[i])) + "}")));
        genDoc.Sample(doc =>
        {
            var node = JsonReader.Parse(Encoding.UTF8.GetBytes(doc));
            var w = new JsonWriter(64);
            w.Node(node);
            using var expected = System.Text.Json.JsonDocument.Parse(doc);
            using var actual = System.Text.Json.JsonDocument.Parse(Encoding.UTF8.GetString(w.Buffer, 0, w.Length));
            return SameJson(expected.RootElement, actual.RootElement);
        }, iter: 1000);
    }

    /// <summary>Deep equality with numbers compared by value (1.5 and 1.50000000000000e0 are the same number).</summary>
    private static bool SameJson(System.Text.Json.JsonElement a, System.Text.Json.JsonElement b)
    {
        if (a.ValueKind != b.ValueKind) return false;
        switch (a.ValueKind)
        {
            case System.Text.Json.JsonValueKind.Number: return Math.Abs(a.GetDouble() - b.GetDouble()) <= 1e-12 * Math.Max(1, Math.Abs(a.GetDouble()));
            case System.Text.Json.JsonValueKind.String: return a.GetString() == b.GetString();
            case System.Text.Json.JsonValueKind.Array: return a.GetArrayLength() == b.GetArrayLength() && a.EnumerateArray().Zip(b.EnumerateArray()).All(p => SameJson(p.First, p.Second));
            case System.Text.Json.JsonValueKind.Object:
                var pa = a.EnumerateObject().ToList(); var pb = b.EnumerateObject().ToList();
                return pa.Count == pb.Count && pa.Zip(pb).All(p => p.First.Name == p.Second.Name && SameJson(p.First.Value, p.Second.Value));
            default: return true;
        }
    }

    [Fact]
    public void Property_arbitrary_bytes_either_parse_or_fail_with_a_JsonException()
    {
        Gen.Byte.Array[0, 64].Sample(bytes =>
        {
            try { JsonReader.Parse(bytes); }
            catch (JsonException) { }
        }, iter: 5000);
        foreach (var bad in new[] { "{", "[", "\"", "{\"a\":", "tru", "-", "1e", "[1,]", "{\"a\":1,}", "" })
        {
            Assert.Throws<JsonException>(() => { JsonReader.Parse(Encoding.UTF8.GetBytes(bad)); });
        }
    }

    [Theory]
    [InlineData("{\"a\":1,}", "$")]
    [InlineData("{\"a\":[1,2,]}", "$.a")]
    [InlineData("{\"a\":{\"b\":tru}}", "$.a.b")]
    [InlineData("{\"a\":1,\"a\":2}", "duplicate member \"a\"")]
    [InlineData("{\"a\":01}", "leading zeros")]
    [InlineData("{\"a\":\"\\x\"}", "unknown escape")]
    [InlineData("{\"a\":1} x", "unexpected text")]
    [InlineData("{\"a\":\"\u0001\"}", "control character")]
    [InlineData("[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]", "nesting deeper")]
    public void Reader_errors_name_the_path_and_what_was_expected(string json, string expectedPart)
    {
        var e = Assert.Throws<JsonException>(() => JsonReader.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(expectedPart, e.Message);
    }

    [Fact]
    public void Reader_handles_non_ascii_text_and_surrogate_pairs()
    {
        var node = JsonReader.Parse(Encoding.UTF8.GetBytes("{\"地址\":\"福建省福州市 🏠\",\"u\":\"\\u5e73\\ud83c\\udfe0\"}"));
        Assert.Equal("福建省福州市 🏠", node.Get("地址").StringValue);
        Assert.Equal("平🏠", node.Get("u").StringValue);
        Assert.Throws<JsonException>(() => JsonReader.Parse(new byte[] { (byte)'"', 0xC0, 0x80, (byte)'"' })); // overlong
    }

    [Fact]
    public void Text_with_emoji_round_trips_through_writer_reader_and_Utf8()
    {
        // Issue 13: surrogate pairs (emoji, some CJK extension characters) must survive every path that
        // reads a string's characters; on nanoCLR s[i] gets them wrong, so these paths use ToCharArray.
        string text = "平安 👵🏻 SOS 🆘 at 🏠 𠀋";
        string json = Write(w => { w.BeginObject(); w.Property(text, text); w.EndObject(); });
        Assert.Equal("{\"" + text + "\":\"" + text + "\"}", json);
        var node = JsonReader.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Equal(text, node.Get(text).StringValue);
        Assert.Equal(Encoding.UTF8.GetBytes(text), Utf8.Encode(text));
        byte[] bytes = Utf8.Encode(text);
        Assert.Equal(text, Utf8.Decode(bytes, 0, bytes.Length));
        Assert.Equal("\"\\ud83c\"", Write(w => w.String("\ud83c"))); // a lone surrogate is escaped, never half-encoded
        string clipped = JsonText.Clip(new string('x', JsonText.MaxQuoteChars - 1) + "👵🏻");
        Assert.Equal(new string('x', JsonText.MaxQuoteChars - 1) + "…", clipped); // a clip never splits a pair
    }

    [Fact]
    public void Writer_reuses_its_buffer_and_allocates_only_a_copy_of_each_string_it_writes()
    {
        // Strings are read through one ToCharArray each (on nanoCLR s[i] is quadratic and wrong after a
        // surrogate pair), so writing "kind", "sos", "n" and "ts" costs four small char arrays; the
        // buffer itself is never replaced and numbers, timestamps and punctuation allocate nothing.
        var w = new JsonWriter(256);
        void Build() { w.Reset(); w.BeginObject(); w.Property("kind", "sos"); w.Property("n", 123456); w.TimestampProperty("ts", 1780000000000L); w.Name("b"); w.Bool(true); w.Name("z"); w.Null(); w.EndObject(); }
        Build();
        byte[] buffer = w.Buffer;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) Build();
        long perMessage = (GC.GetAllocatedBytesForCurrentThread() - before) / 1000;
        Assert.Same(buffer, w.Buffer);
        Assert.InRange(perMessage, 1, 6 * 40); // six strings of at most four characters: an array header and the characters each
    }
}
