using PingAnTong.Edge.Core.Json;

namespace PingAnTong.Edge.Core.Config
{
    /// <summary>
    /// Keeps secrets out of <c>config</c> commands. A config sent over MQTT may name files on the hub
    /// (<c>passwordFile</c>, <c>caFile</c>, <c>commandKeyFile</c>) but never carry what is in them, and never
    /// the installer PIN's verifier: a PIN hash is a brute-forceable copy of the PIN, so the PIN is set on site
    /// only (pat provision, the console) and the hub keeps its verifier across remote config changes.
    /// </summary>
    public static class ConfigSecrets
    {
        /// <summary>The console members that make up the PIN's verifier.</summary>
        public static readonly string[] PinMembers = { "pinKdf", "pinIterations", "pinSalt", "pinHash" };

        /// <summary>The path of the first member that is or holds a secret, or null. Walks the whole (size-limited) document.</summary>
        public static string Find(JsonNode node)
        {
            if (node == null || node.Items == null) return null;
            for (int i = 0; i < node.Count; i++)
            {
                JsonNode child = node[i];
                if (node.Kind == JsonKind.Object && IsSecretName(child.Name)) return child.Path;
                if (child.Kind == JsonKind.String && LooksLikeKeyMaterial(child.StringValue)) return child.Path;
                string inner = Find(child);
                if (inner != null) return inner;
            }
            return null;
        }

        /// <summary>Names of secrets: passwords, keys, tokens and the PIN verifier; a name ending in "File" names a file and is fine.</summary>
        public static bool IsSecretName(string name)
        {
            if (name == null) return false;
            string n = name.ToLower();
            if (n.EndsWith("file")) return false;
            for (int i = 0; i < PinMembers.Length; i++) if (name == PinMembers[i]) return true;
            return n.IndexOf("password") >= 0 || n.IndexOf("passwd") >= 0 || n.IndexOf("secret") >= 0 || n.IndexOf("token") >= 0
                || n.IndexOf("psk") >= 0 || n.EndsWith("key");
        }

        /// <summary>PEM blocks (certificates and private keys belong in files).</summary>
        private static bool LooksLikeKeyMaterial(string s)
        {
            return s != null && s.IndexOf("-----BEGIN") >= 0;
        }

        /// <summary>
        /// Copies the PIN verifier of the stored config (<paramref name="stored"/>, may be null) into the
        /// <c>console</c> object of <paramref name="body"/>, creating it when absent, so a remote config keeps
        /// the PIN the installer set; and the console's <c>language</c> when the body does not say one, so a remote
        /// config that does not mention it leaves the console (and the device's log) in the language set on site.
        /// Does nothing when the stored config has no PIN or the body's console is not an object.
        /// </summary>
        public static void CarryPin(JsonNode body, JsonNode stored)
        {
            JsonNode from = stored != null ? stored.Get("console") : null;
            if (from == null || from.Kind != JsonKind.Object || from.Get("pinHash") == null) return;
            // A stored console always holds the PIN (pinSalt and pinHash are required there), so the language travels with it.
            JsonNode to = body.Get("console");
            if (to == null)
            {
                to = new JsonNode(JsonKind.Object, "$.console");
                to.Name = "console";
                body.Items.Add(to);
            }
            if (to.Kind != JsonKind.Object) return;
            for (int i = 0; i < PinMembers.Length; i++)
            {
                JsonNode m = from.Get(PinMembers[i]);
                if (m != null && to.Get(PinMembers[i]) == null) to.Items.Add(m);
            }
            JsonNode language = from.Get("language");
            if (language != null && to.Get("language") == null) to.Items.Add(language);
        }
    }
}
