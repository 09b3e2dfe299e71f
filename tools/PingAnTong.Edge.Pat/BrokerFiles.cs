using System.Text;

namespace PingAnTong.Edge.Pat;

/// <summary>
/// The broker's side of a batch, for one broker profile (see docs/security.md, "Broker access control"):
/// <list type="bullet">
/// <item><c>broker/PROFILE/acl</c>: a Mosquitto ACL file. Each hub logs in with its hub id as user name and may
/// publish only <c>{prefix}/{hubId}/status|event|alive|health|reply</c> and subscribe only to its own
/// <c>{prefix}/{hubId}/cmd</c> (patterns on <c>%u</c>); the backend account reads everything and is the only one
/// that may publish commands. No secrets: the same file serves every batch of the broker.</item>
/// <item><c>secret/broker-PROFILE/mosquitto.passwd</c>: Mosquitto password file (<c>$7$</c> PBKDF2-SHA512 hashes,
/// the format of mosquitto_passwd 2.0) with the backend account and this batch's hubs; <c>hubs.passwd</c>: the
/// hubs only, to append to a running broker's file; <c>backend-password</c>: the backend account's password
/// for the backend's connection; <c>accounts.csv</c>: every account with its password in clear
/// (<c>username,password</c>), to create the accounts on another broker, then to delete.</item>
/// </list>
/// </summary>
public static class BrokerFiles
{
    /// <summary>The channels a hub publishes on; it subscribes to <c>cmd</c> only.</summary>
    public static readonly string[] HubPublishes = { "status", "event", "alive", "health", "reply" };

    public static void Write(string outDir, string profile, string prefix, string backendUsername, IReadOnlyList<(string HubId, string Password, string CommandKey)> hubs)
    {
        string brokerDir = Path.Combine(outDir, "broker", profile);
        Directory.CreateDirectory(brokerDir);
        File.WriteAllText(Path.Combine(brokerDir, "acl"), Acl(prefix, backendUsername));

        string secretRoot = Path.Combine(outDir, "secret");
        Provision.CreatePrivateDirectory(secretRoot);
        Provision.WriteSecret(Path.Combine(secretRoot, "README.txt"), "SECRET: broker accounts of provisioned hubs and of the backend. Do not share, copy to chat, or commit. 机密：请勿外传或提交。\n");
        Provision.WriteSecret(Path.Combine(secretRoot, ".gitignore"), "*\n");
        string dir = Path.Combine(secretRoot, "broker-" + profile);
        Provision.CreatePrivateDirectory(dir);

        string backendPassword = Credentials.NewPassword();
        var hubLines = new StringBuilder();
        foreach (var (hubId, password, _) in hubs) hubLines.Append(hubId).Append(':').Append(Credentials.MosquittoHash(password)).Append('\n');
        string backendLine = backendUsername + ":" + Credentials.MosquittoHash(backendPassword) + "\n";
        Provision.WriteSecret(Path.Combine(dir, "mosquitto.passwd"), backendLine + hubLines);
        Provision.WriteSecret(Path.Combine(dir, "hubs.passwd"), hubLines.ToString());
        Provision.WriteSecret(Path.Combine(dir, "backend-password"), backendPassword);
        var csv = new StringBuilder("username,password\n");
        csv.Append(backendUsername).Append(',').Append(backendPassword).Append('\n');
        foreach (var (hubId, password, _) in hubs) csv.Append(hubId).Append(',').Append(password).Append('\n');
        Provision.WriteSecret(Path.Combine(dir, "accounts.csv"), csv.ToString());
        var keys = new StringBuilder("hubId,commandKey\n");
        foreach (var (hubId, _, key) in hubs) keys.Append(hubId).Append(',').Append(key).Append('\n');
        Provision.WriteSecret(Path.Combine(dir, "command-keys.csv"), keys.ToString());
        Provision.WriteSecret(Path.Combine(dir, "README.txt"),
            $"SECRET: broker accounts of profile \"{profile}\".\n" +
            "mosquitto.passwd  Mosquitto password file: the backend account " + backendUsername + " and this batch's hubs (a new broker, or to change the backend's password)\n" +
            "hubs.passwd       this batch's hubs only: append to the password file of a broker already running, then reload it (kill -HUP)\n" +
            "backend-password  the backend account's password, for the backend's MQTT connection only\n" +
            "command-keys.csv  each hub's key for signing its commands (HMAC-SHA256, docs/mqtt-contract.md \"Signed commands\"): the backend's only\n" +
            "accounts.csv      every account with its password in clear (username,password), to create the accounts on a broker other than Mosquitto; delete it then\n" +
            "The ACL is ../../broker/" + profile + "/acl; the broker config template is docs/broker/mosquitto.conf (docs/security.md).\n");
    }

    /// <summary>The Mosquitto ACL: hubs by pattern on their user name, the backend by name.</summary>
    public static string Acl(string prefix, string backendUsername)
    {
        var s = new StringBuilder();
        s.Append("# Mosquitto ACL for PingAnTong.Edge hubs, written by pat provision. No secrets in this file; the same\n");
        s.Append("# file serves every batch of this broker (hubs are matched by pattern, not listed).\n");
        s.Append("# Needs (docs/broker/mosquitto.conf): allow_anonymous false, per_listener_settings true, the password\n");
        s.Append("# file pat wrote, and use_username_as_clientid true (a hub cannot take another hub's client id).\n");
        s.Append("# Topics not granted here are denied, $SYS included.\n");
        s.Append("#\n");
        s.Append("# Every hub logs in with its hub id as user name (%u) and may publish only on its own topics and\n");
        s.Append("# subscribe only to its own commands. Patterns apply to every account, the backend's included.\n");
        foreach (var channel in HubPublishes) s.Append($"pattern write {prefix}/%u/{channel}\n");
        s.Append($"pattern read {prefix}/%u/cmd\n");
        s.Append("\n");
        s.Append("# The backend (the call centre): reads every hub's topics; the only account that may send commands.\n");
        s.Append($"user {backendUsername}\n");
        s.Append($"topic read {prefix}/#\n");
        s.Append($"topic write {prefix}/+/cmd\n");
        return s.ToString();
    }
}
