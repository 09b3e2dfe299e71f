using System.Text.Json;
using PingAnTong.Edge.Fakes;

namespace PingAnTong.Edge.Tests.Hub;

internal static class Json
{
    public static JsonElement Parse(string s) => JsonDocument.Parse(s).RootElement;

    public static JsonElement Payload(this Published p) => Parse(p.Payload);

    public static string Str(this JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static IEnumerable<JsonElement> Events(this TestBench b) => b.Transport.On("event").Select(p => p.Payload());

    public static IEnumerable<JsonElement> Replies(this TestBench b) => b.Transport.On("reply").Select(p => p.Payload());
}
