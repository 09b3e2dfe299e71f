using System.Collections;
using PingAnTong.Edge.Core.Json;

namespace PingAnTong.Edge.Core.Config
{
    /// <summary>Reads typed, bounded fields from JSON objects, collecting one clear message per problem.</summary>
    public sealed class ConfigFields
    {
        public ConfigFields()
        {
            Errors = new ArrayList();
        }

        public ArrayList Errors { get; private set; }

        public void Error(string path, string message)
        {
            Errors.Add(path + ": " + message);
        }

        public bool IsObject(JsonNode node, string path)
        {
            if (node != null && node.Kind == JsonKind.Object) return true;
            Error(path, "expected an object, got " + Describe(node));
            return false;
        }

        /// <summary>Reports members not in <paramref name="allowed"/> (typos must not pass silently).</summary>
        public void RejectUnknown(JsonNode obj, string[] allowed)
        {
            for (int i = 0; i < obj.Count; i++)
            {
                JsonNode m = obj[i];
                bool known = false;
                for (int k = 0; k < allowed.Length; k++)
                {
                    if (allowed[k] == m.Name) { known = true; break; }
                }
                if (!known)
                {
                    string list = "";
                    for (int k = 0; k < allowed.Length; k++) list += (k == 0 ? "" : ", ") + allowed[k];
                    Error(m.Path, "unknown setting (expected one of: " + list + ")");
                }
            }
        }

        public int Int(JsonNode obj, string name, int min, int max, int defaultValue, bool required)
        {
            JsonNode n = obj.Get(name);
            string path = obj.Path + "." + name;
            if (n == null)
            {
                if (required) Error(path, "required integer from " + min.ToString() + " to " + max.ToString() + " is missing");
                return defaultValue;
            }
            if (n.Kind != JsonKind.Number || !n.IsInteger)
            {
                Error(path, "expected an integer from " + min.ToString() + " to " + max.ToString() + ", got " + Describe(n));
                return defaultValue;
            }
            if (n.IntegerValue < min || n.IntegerValue > max)
            {
                Error(path, "expected an integer from " + min.ToString() + " to " + max.ToString() + ", got " + n.IntegerValue.ToString());
                return defaultValue;
            }
            return (int)n.IntegerValue;
        }

        public string Str(JsonNode obj, string name, int maxLength, string defaultValue, bool required)
        {
            JsonNode n = obj.Get(name);
            string path = obj.Path + "." + name;
            if (n == null)
            {
                if (required) Error(path, "required text is missing");
                return defaultValue;
            }
            if (n.Kind != JsonKind.String)
            {
                Error(path, "expected text, got " + Describe(n));
                return defaultValue;
            }
            if (n.StringValue.Length == 0 && required)
            {
                Error(path, "must not be empty");
                return defaultValue;
            }
            if (n.StringValue.Length > maxLength)
            {
                Error(path, "expected at most " + maxLength.ToString() + " characters, got " + n.StringValue.Length.ToString());
                return defaultValue;
            }
            return n.StringValue;
        }

        public bool Bool(JsonNode obj, string name, bool defaultValue)
        {
            JsonNode n = obj.Get(name);
            if (n == null) return defaultValue;
            if (n.Kind != JsonKind.Bool)
            {
                Error(obj.Path + "." + name, "expected true or false, got " + Describe(n));
                return defaultValue;
            }
            return n.BoolValue;
        }

        /// <summary>Text of letters, digits, '-', '_' and '.' only (ids that go into topics and event ids).</summary>
        public void CheckIdentifier(string value, string path)
        {
            if (value == null) return;
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!ok)
                {
                    Error(path, "may contain only letters, digits, '-' and '_', got '" + c.ToString() + "' in \"" + value + "\"");
                    return;
                }
            }
        }

        public static string Describe(JsonNode n)
        {
            if (n == null) return "nothing";
            switch (n.Kind)
            {
                case JsonKind.String: return "text \"" + n.StringValue + "\"";
                case JsonKind.Number: return n.IsInteger ? "number " + n.IntegerValue.ToString() : "a fractional number";
                case JsonKind.Bool: return n.BoolValue ? "true" : "false";
                default: return JsonNode.KindName(n.Kind);
            }
        }
    }
}
