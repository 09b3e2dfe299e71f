using System.Text.Json;
using Json.Schema;

namespace PingAnTong.Edge.Tests.Contract;

/// <summary>The JSON Schemas of docs/schemas, loaded once, for validating everything the hub publishes.</summary>
public static class ContractSchemas
{
    private static readonly Lazy<Dictionary<string, JsonSchema>> Schemas = new(Load);

    private static Dictionary<string, JsonSchema> Load()
    {
        var options = new BuildOptions();
        var result = new Dictionary<string, JsonSchema>();
        // common first: the others refer to it.
        foreach (var name in new[] { "common", "event", "alive", "health", "reply", "status", "command" })
        {
            result[name] = JsonSchema.FromFile(Path.Combine(Paths.Schemas, name + ".schema.json"), options);
        }
        return result;
    }

    /// <summary>Validates a payload against the schema of its channel; returns the errors (empty when valid).</summary>
    public static List<string> Validate(string channel, string json)
    {
        var schema = Schemas.Value[channel == "cmd" ? "command" : channel];
        using var doc = JsonDocument.Parse(json);
        var result = schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid) return new List<string>();
        return (result.Details ?? new List<EvaluationResults>())
            .Where(d => d.Errors != null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}"))
            .DefaultIfEmpty("invalid")
            .ToList();
    }

    public static string ChannelOf(string topic) => topic[(topic.LastIndexOf('/') + 1)..];
}
