using System.Text;
using PingAnTong.Edge.Core.Config;

namespace PingAnTong.Edge.Pat;

/// <summary>
/// Config members that issue 17 adds to the hub config and that the hub core's parser (ConfigParser,
/// built into this pat) may not know yet: pat writes and checks them itself. Whether the core knows one
/// is asked of the core, once: a sample config carrying all of them is parsed and every member refused as
/// an "unknown setting" is still pending. So when the core learns them, pat follows without a change.
/// See docs/security.md ("What the hub core must add") for what the core must accept.
/// </summary>
public static class CoreSupport
{
    public const string InsecureForTesting = "$.broker.insecureForTesting";
    public const string PinKdf = "$.console.pinKdf";
    public const string PinIterations = "$.console.pinIterations";

    private static readonly string[] Members = { InsecureForTesting, PinKdf, PinIterations };
    private static readonly Lazy<HashSet<string>> Unknown = new(Probe);

    /// <summary>True when this build's hub core accepts the member (path like "$.console.pinKdf").</summary>
    public static bool CoreKnows(string path) => !Unknown.Value.Contains(path);

    /// <summary>True when the core verifies PBKDF2 PIN hashes (it accepts console.pinKdf and pinIterations).</summary>
    public static bool CoreVerifiesPbkdf2Pins => CoreKnows(PinKdf) && CoreKnows(PinIterations);

    /// <summary>The pending members the core does not know yet.</summary>
    public static IEnumerable<string> Pending => Members.Where(m => !CoreKnows(m));

    private static HashSet<string> Probe()
    {
        string salt = new string('0', 32);
        string sample = "{\"version\":1,\"hubId\":\"probe\",\"location\":\"probe\"," +
            "\"broker\":{\"host\":\"127.0.0.1\",\"port\":1883,\"tls\":false,\"insecureForTesting\":true}," +
            "\"console\":{\"pinKdf\":\"" + Credentials.PinKdf + "\",\"pinIterations\":" + Credentials.PinIterations + ",\"pinSalt\":\"" + salt +
            "\",\"pinHash\":\"" + Credentials.PinHashPbkdf2(salt, "00000000", 1) + "\"}," +
            "\"inputs\":[{\"id\":\"sos\",\"kind\":\"sos\",\"pin\":25}]}";
        var unknown = new HashSet<string>();
        try
        {
            ConfigParser.Parse(Encoding.UTF8.GetBytes(sample));
        }
        catch (ConfigException e)
        {
            foreach (string error in e.Errors)
            {
                foreach (var m in Members)
                {
                    if (error.StartsWith(m + ": unknown setting", StringComparison.Ordinal)) unknown.Add(m);
                }
            }
        }
        return unknown;
    }
}
