using System.Collections;
using PingAnTong.Edge.Core.Json;

namespace PingAnTong.Edge.Core.Config
{
    /// <summary>
    /// Reads typed, bounded fields from JSON objects, collecting one clear message per problem.
    /// At most <see cref="MaxErrors"/> messages are kept and the rest only counted ("and N more
    /// problems"): a document with thousands of mistakes must not produce a message of megabytes,
    /// and a message nobody will read is not built (paths included).
    /// </summary>
    public sealed class ConfigFields
    {
        /// <summary>Most problems listed by message; enough to fix a file in one round, short enough for a command reply.</summary>
        public const int MaxErrors = 10;

        private readonly ArrayList _errors = new ArrayList();
        private int _more;
        private int _summarized;

        /// <summary>One message (string) per problem, the last one "and N more problems" when there were more than <see cref="MaxErrors"/>.</summary>
        public ArrayList Errors
        {
            get
            {
                if (_more != _summarized)
                {
                    string line = "and " + _more.ToString() + (_more == 1 ? " more problem" : " more problems");
                    if (_summarized == 0) _errors.Add(line); else _errors[_errors.Count - 1] = line;
                    _summarized = _more;
                }
                return _errors;
            }
        }

        /// <summary>
        /// True when a message for one more problem will be kept. Otherwise the problem is counted
        /// among the "more" and false returned, so callers can skip building a message nobody keeps.
        /// </summary>
        public bool Keep()
        {
            if (_errors.Count < MaxErrors) return true;
            _more++;
            return false;
        }

        public void Error(string path, string message)
        {
            if (Keep()) _errors.Add(path + ": " + message);
        }

        /// <summary>A problem with member <paramref name="member"/> of <paramref name="obj"/> (or with <paramref name="obj"/> itself when null); the path is built only if the message is kept.</summary>
        public void Error(JsonNode obj, string member, string message)
        {
            if (Keep()) _errors.Add((member == null ? obj.Path : obj.MemberPath(member)) + ": " + message);
        }

        public bool IsObject(JsonNode node, string path)
        {
            if (node != null && node.Kind == JsonKind.Object) return true;
            if (Keep()) Error(path, "expected an object, got " + Describe(node));
            return false;
        }

        /// <summary>Whether a node that is there (e.g. an array element) is an object; its path is built only for the message.</summary>
        public bool IsObject(JsonNode node)
        {
            if (node.Kind == JsonKind.Object) return true;
            if (Keep()) Error(node, null, "expected an object, got " + Describe(node));
            return false;
        }

        /// <summary>Reports members not in <paramref name="allowed"/> (typos must not pass silently).</summary>
        public void RejectUnknown(JsonNode obj, string[] allowed)
        {
            string list = null;
            for (int i = 0; i < obj.Count; i++)
            {
                JsonNode m = obj[i];
                bool known = false;
                for (int k = 0; k < allowed.Length; k++)
                {
                    if (allowed[k] == m.Name) { known = true; break; }
                }
                if (known || !Keep()) continue;
                if (list == null) list = List(allowed);
                Error(m, null, "unknown setting (expected one of: " + list + ")");
            }
        }

        /// <summary>"a, b, c" built once (not by repeated concatenation).</summary>
        public static string List(string[] names)
        {
            if (names.Length == 0) return "";
            string[] parts = new string[names.Length * 2 - 1];
            for (int k = 0; k < names.Length; k++)
            {
                if (k > 0) parts[k * 2 - 1] = ", ";
                parts[k * 2] = names[k];
            }
            return string.Concat(parts);
        }

        public int Int(JsonNode obj, string name, int min, int max, int defaultValue, bool required)
        {
            JsonNode n = obj.Get(name);
            if (n == null)
            {
                if (required && Keep()) Error(obj, name, "required integer from " + min.ToString() + " to " + max.ToString() + " is missing");
                return defaultValue;
            }
            if (n.Kind != JsonKind.Number || !n.IsInteger)
            {
                if (Keep()) Error(obj, name, "expected an integer from " + min.ToString() + " to " + max.ToString() + ", got " + Describe(n));
                return defaultValue;
            }
            if (n.IntegerValue < min || n.IntegerValue > max)
            {
                if (Keep()) Error(obj, name, "expected an integer from " + min.ToString() + " to " + max.ToString() + ", got " + n.IntegerValue.ToString());
                return defaultValue;
            }
            return (int)n.IntegerValue;
        }

        public string Str(JsonNode obj, string name, int maxLength, string defaultValue, bool required)
        {
            JsonNode n = obj.Get(name);
            if (n == null)
            {
                if (required) Error(obj, name, "required text is missing");
                return defaultValue;
            }
            if (n.Kind != JsonKind.String)
            {
                if (Keep()) Error(obj, name, "expected text, got " + Describe(n));
                return defaultValue;
            }
            int length = n.StringValue.Length;
            if (length == 0 && required)
            {
                Error(obj, name, "must not be empty");
                return defaultValue;
            }
            if (length > maxLength)
            {
                if (Keep()) Error(obj, name, "expected at most " + maxLength.ToString() + " characters, got " + length.ToString());
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
                if (Keep()) Error(obj, name, "expected true or false, got " + Describe(n));
                return defaultValue;
            }
            return n.BoolValue;
        }

        /// <summary>Text of letters, digits, '-' and '_' only (ids that go into topics and event ids).</summary>
        public void CheckIdentifier(string value, string path)
        {
            string problem = IdentifierProblem(value);
            if (problem != null) Error(path, problem);
        }

        /// <summary>As <see cref="CheckIdentifier(string, string)"/>, for member <paramref name="member"/> of <paramref name="obj"/>.</summary>
        public void CheckIdentifier(string value, JsonNode obj, string member)
        {
            string problem = IdentifierProblem(value);
            if (problem != null) Error(obj, member, problem);
        }

        private static string IdentifierProblem(string value)
        {
            if (value == null) return null;
            char[] chars = value.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                char c = chars[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (ok) continue;
                // Show a character outside the BMP (an emoji) whole, not half a surrogate pair.
                bool pair = c >= 0xD800 && c <= 0xDBFF && i + 1 < chars.Length && chars[i + 1] >= 0xDC00 && chars[i + 1] <= 0xDFFF;
                string shown = c < 0x20 ? "?" : new string(chars, i, pair ? 2 : 1);
                return "may contain only letters, digits, '-' and '_', got '" + shown + "' in \"" + JsonText.Clip(value) + "\"";
            }
            return null;
        }

        /// <summary>The value for a message: its kind, a number, or text clipped to <see cref="JsonText.MaxQuoteChars"/>.</summary>
        public static string Describe(JsonNode n)
        {
            if (n == null) return "nothing";
            switch (n.Kind)
            {
                case JsonKind.String: return "text \"" + JsonText.Clip(n.StringValue) + "\"";
                case JsonKind.Number: return n.IsInteger ? "number " + n.IntegerValue.ToString() : "a fractional number";
                case JsonKind.Bool: return n.BoolValue ? "true" : "false";
                default: return JsonNode.KindName(n.Kind);
            }
        }
    }
}
