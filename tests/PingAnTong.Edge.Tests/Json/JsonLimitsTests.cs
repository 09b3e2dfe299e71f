using System.Text;
using PingAnTong.Edge.Core.Json;
using Xunit;

namespace PingAnTong.Edge.Tests.Json;

/// <summary>
/// Issue 16, finding 10: every size a document can have is capped, checked before or while it is
/// read, and a refusal names the path and the limit in a message of bounded length.
/// </summary>
public class JsonLimitsTests
{
    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    private static JsonException Refused(string json) =>
        Assert.Throws<JsonException>(() => JsonReader.Parse(Bytes(json)));

    [Fact]
    public void The_limits_are_the_documented_constants()
    {
        Assert.Equal(16384, JsonLimits.MaxCommandBytes);
        Assert.Equal(16384, JsonLimits.MaxConfigBytes);
        Assert.True(JsonLimits.MaxCommandBytes >= JsonLimits.MaxConfigBytes, "a config command must be able to carry a whole config");
        Assert.Equal(JsonLimits.MaxConfigBytes, JsonLimits.Config.Bytes);
        Assert.Equal(JsonLimits.MaxCommandBytes, JsonLimits.Command.Bytes);
        Assert.Equal(JsonReader.MaxDepth, JsonLimits.MaxDepth);
    }

    [Fact]
    public void A_document_over_the_byte_limit_is_refused_before_any_of_it_is_read()
    {
        // Not even JSON: the size alone refuses it, at once and for the price of the message.
        byte[] junk = new byte[1 << 20];
        Array.Fill(junk, (byte)'[');
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<JsonException>(() => JsonReader.Parse(junk, 0, junk.Length, JsonLimits.MaxCommandBytes));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("$", e.Path);
        Assert.Contains("1048576 bytes is over the limit of 16384 bytes", e.Message);
        Assert.True(allocated < 4096, $"refusing allocated {allocated} bytes");

        byte[] command = Bytes("xx{\"id\":\"c1\",\"cmd\":\"heartbeat\",\"minutes\":10}yy");
        Assert.Equal("c1", JsonReader.Parse(command, 2, command.Length - 4, JsonLimits.MaxCommandBytes).Get("id").StringValue);
        Assert.Throws<JsonException>(() => JsonReader.Parse(command, 2, command.Length - 4, 10));
    }

    [Fact]
    public void Deep_nesting_is_refused_at_the_limit_with_its_path()
    {
        string ok = new string('[', JsonLimits.MaxDepth) + new string(']', JsonLimits.MaxDepth);
        JsonReader.Parse(Bytes(ok));
        var e = Refused("{\"a\":" + new string('[', JsonLimits.MaxDepth) + new string(']', JsonLimits.MaxDepth) + "}");
        Assert.StartsWith("$.a" + string.Concat(Enumerable.Repeat("[0]", JsonLimits.MaxDepth - 1)) + ": nesting deeper than the limit of 16 levels", e.Message);
    }

    [Fact]
    public void Too_many_members_elements_or_values_are_refused_naming_the_path_and_the_limit()
    {
        string members = "{" + string.Join(",", Enumerable.Range(0, JsonLimits.MaxMembers).Select(i => $"\"m{i}\":{i}")) + "}";
        Assert.Equal(JsonLimits.MaxMembers, JsonReader.Parse(Bytes(members)).Count);
        var e = Refused("{\"broker\":" + members.TrimEnd('}') + ",\"one\":1}}");
        Assert.StartsWith("$.broker: more than the limit of 32 members in one object", e.Message);

        string elements = "[" + string.Join(",", Enumerable.Repeat("0", JsonLimits.MaxElements)) + "]";
        Assert.Equal(JsonLimits.MaxElements, JsonReader.Parse(Bytes(elements)).Count);
        e = Refused("{\"inputs\":" + elements.TrimEnd(']') + ",0]}");
        Assert.StartsWith("$.inputs: more than the limit of 64 elements in one array", e.Message);

        // Nine arrays of 60: every array within its limit, the document over the value limit.
        string wide = "[" + string.Join(",", Enumerable.Repeat("[" + string.Join(",", Enumerable.Repeat("1", 60)) + "]", 9)) + "]";
        e = Refused(wide);
        Assert.Contains("more than the limit of 512 values in one document", e.Message);
        Assert.StartsWith("$[8][", e.Path);
    }

    [Fact]
    public void Long_text_is_refused_at_the_limit_and_never_echoed_whole()
    {
        string longest = new string('h', JsonLimits.MaxStringChars);
        Assert.Equal(longest, JsonReader.Parse(Bytes("{\"host\":\"" + longest + "\"}")).Get("host").StringValue);
        var e = Refused("{\"host\":\"" + longest + "x\"}");
        Assert.StartsWith("$.host: text longer than the limit of 256 characters", e.Message);

        string name = new string('n', 200);
        e = Refused("{\"" + name + "\":1,\"" + name + "\":2}");
        Assert.Contains("duplicate member \"" + new string('n', JsonText.MaxQuoteChars) + "…\"", e.Message);
        Assert.True(e.Message.Length < 120, e.Message);

        e = Refused("{\"" + name + "\":{\"x\":tru}}");
        Assert.Equal("$." + new string('n', JsonText.MaxQuoteChars) + "….x", e.Path);
    }

    [Fact]
    public void Paths_are_built_on_demand_and_cut_to_a_bounded_length()
    {
        var root = JsonReader.Parse(Bytes("{\"inputs\":[{\"id\":\"sos\"},{\"id\":\"ok\",\"pin\":26}],\"a\\nb\":1}"));
        Assert.Equal("$", root.Path);
        Assert.Equal("$.inputs[1].pin", root.Get("inputs")[1].Get("pin").Path);
        Assert.Equal("$.inputs[1].kind", root.Get("inputs")[1].MemberPath("kind"));
        Assert.Equal("$.a?b", root.Get("a\nb").Path); // control characters never reach a message raw

        string deep = string.Concat(Enumerable.Range(0, 15).Select(i => "{\"" + new string((char)('a' + i), 30) + "\":")) + "1" + new string('}', 15);
        var node = JsonReader.Parse(Bytes(deep));
        while (node.Kind == JsonKind.Object) node = node[0];
        Assert.Equal(JsonNode.MaxPathChars, node.Path.Length);
        Assert.StartsWith("$…", node.Path);
        Assert.EndsWith("." + new string('o', 30), node.Path);
    }

    [Fact]
    public void Many_members_are_checked_for_duplicates_through_a_hash()
    {
        var limits = new JsonLimits(1 << 20, 16, 100_000, 64, 100_001, 256);
        string many = "{" + string.Join(",", Enumerable.Range(0, 50_000).Select(i => $"\"m{i}\":0")) + "}";
        Assert.Equal(50_000, JsonReader.Parse(Bytes(many), 0, many.Length, limits).Count);
        string twice = many.TrimEnd('}') + ",\"m31337\":1}";
        var e = Assert.Throws<JsonException>(() => JsonReader.Parse(Bytes(twice), 0, twice.Length, limits));
        Assert.Contains("duplicate member \"m31337\"", e.Message);
        // Names that share their start and end and differ only inside still tell apart.
        string middle = "{" + string.Join(",", Enumerable.Range(0, 20).Select(i => $"\"x{i:D2}x\":0")) + ",\"x07x\":1}";
        Assert.Contains("duplicate member \"x07x\"", Refused(middle).Message);
    }
}
