using System.Text;

namespace PingAnTong.Edge.Fakes;

/// <summary>
/// Hostile but well-formed config documents of a chosen size, for measuring how the parser's work
/// grows with its input (tests and the benchmark share them, so both measure the same thing).
/// Each starts like the demo config, so the validator gets past the required members and does its
/// full work on the bulk.
/// </summary>
public static class SyntheticJson
{
    /// <summary>The shapes, by name: what each one stresses.</summary>
    public static readonly string[] Shapes = { "unknown-members", "many-inputs", "long-strings", "nested" };

    public static byte[] Build(string shape, int bytes)
    {
        return shape switch
        {
            "unknown-members" => UnknownMembers(bytes),
            "many-inputs" => ManyInputs(bytes),
            "long-strings" => LongStrings(bytes),
            "nested" => Nested(bytes),
            _ => throw new ArgumentException("unknown shape " + shape),
        };
    }

    private const string Head = "{\"version\":1,\"hubId\":\"hub-0001\",\"location\":\"350102-001-0001\",\"broker\":{\"host\":\"127.0.0.1\",\"tls\":false,\"insecureForTesting\":true},";
    private const string SosInput = "\"inputs\":[{\"id\":\"sos\",\"kind\":\"sos\",\"pin\":25}]";

    /// <summary>One object with thousands of members nobody asked for: the duplicate check and the "unknown setting" messages.</summary>
    public static byte[] UnknownMembers(int bytes)
    {
        var sb = new StringBuilder(bytes + 64).Append(Head).Append(SosInput);
        for (int i = 0; sb.Length < bytes - 1; i++) sb.Append(",\"x").Append(i.ToString("D6")).Append("\":").Append(i % 10);
        return Encoding.UTF8.GetBytes(sb.Append('}').ToString());
    }

    /// <summary>Thousands of inputs on the few pins there are: duplicate ids and pins, one message each (the 10,000-input config).</summary>
    public static byte[] ManyInputs(int bytes)
    {
        var sb = new StringBuilder(bytes + 64).Append(Head).Append("\"inputs\":[{\"id\":\"sos\",\"kind\":\"sos\",\"pin\":25}");
        for (int i = 0; sb.Length < bytes - 2; i++)
            sb.Append(",{\"id\":\"in").Append((i % 1000).ToString("D3")).Append("\",\"kind\":\"door\",\"pin\":").Append(i % 40).Append('}');
        return Encoding.UTF8.GetBytes(sb.Append("]}").ToString());
    }

    /// <summary>Long names and long wrong values, which error messages used to echo whole.</summary>
    public static byte[] LongStrings(int bytes)
    {
        int each = Math.Max(8, (bytes - Head.Length - SosInput.Length) / 8);
        var sb = new StringBuilder(bytes + 64).Append("{\"version\":\"").Append('v', each).Append("\",\"hubId\":\"hub ").Append('h', each)
            .Append("\",\"location\":\"350102-001-0001\",\"broker\":{\"host\":\"127.0.0.1\",\"tls\":false,\"insecureForTesting\":true,\"port\":\"").Append('p', each).Append("\"},")
            .Append(SosInput);
        for (int i = 0; sb.Length < bytes - 16; i++)
        {
            int n = Math.Min(each / 2, (bytes - sb.Length - 12) / 2);
            sb.Append(",\"").Append((char)('a' + i % 26), n).Append(i).Append("\":\"").Append('z', n).Append('"');
        }
        return Encoding.UTF8.GetBytes(sb.Append('}').ToString());
    }

    /// <summary>An unknown member holding many small trees twelve levels deep: node count and path depth.</summary>
    public static byte[] Nested(int bytes)
    {
        var sb = new StringBuilder(bytes + 256).Append(Head).Append(SosInput).Append(",\"extra\":[");
        for (int i = 0; sb.Length < bytes - 128; i++)
        {
            if (i > 0) sb.Append(',');
            for (int d = 0; d < 6; d++) sb.Append("{\"k").Append(d).Append("\":[");
            sb.Append(i).Append(",true,null,\"s\"");
            for (int d = 0; d < 6; d++) sb.Append("]}");
        }
        return Encoding.UTF8.GetBytes(sb.Append("]}").ToString());
    }
}
