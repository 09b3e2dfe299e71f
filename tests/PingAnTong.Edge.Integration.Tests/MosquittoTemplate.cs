namespace PingAnTong.Edge.Integration.Tests;

/// <summary>
/// The shipped broker template (docs/broker/mosquitto.conf: TLS only, allow_anonymous false, per-listener settings,
/// client id = user name) with a test's port, certificate and the password and ACL files pat provision wrote; every
/// directive it rewrites must be in the template once. Used by the ACL tests and the virtual ESP32's broker.
/// </summary>
public static class MosquittoTemplate
{
    public static List<string> Render(string templateFile, int port, string cert, string key, string passwordFile, string aclFile, string logFile)
    {
        var replace = new Dictionary<string, string>
        {
            ["listener"] = $"listener {port} 127.0.0.1",
            ["certfile"] = "certfile " + cert,
            ["keyfile"] = "keyfile " + key,
            ["password_file"] = "password_file " + passwordFile,
            ["acl_file"] = "acl_file " + aclFile,
        };
        var seen = new HashSet<string>();
        var lines = new List<string> { "user root", "persistence false", $"log_dest file {logFile}", "log_type all", "connection_messages true" };
        foreach (var line in File.ReadAllLines(templateFile))
        {
            string directive = line.Split(' ', 2)[0];
            if (replace.TryGetValue(directive, out var replacement) && seen.Add(directive)) lines.Add(replacement);
            else if (replace.ContainsKey(directive)) throw new InvalidOperationException($"the template sets {directive} twice");
            else lines.Add(line);
        }
        var missing = replace.Keys.Except(seen).ToList();
        if (missing.Count > 0) throw new InvalidOperationException("the template lacks " + string.Join(", ", missing));
        foreach (var required in new[] { "per_listener_settings true", "allow_anonymous false", "use_username_as_clientid true" })
            if (!lines.Contains(required)) throw new InvalidOperationException("the template lacks " + required);
        return lines;
    }
}
