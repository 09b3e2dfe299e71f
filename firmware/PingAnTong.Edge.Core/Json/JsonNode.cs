using System.Collections;

namespace PingAnTong.Edge.Core.Json
{
    /// <summary>
    /// One value of a parsed JSON document. Object members keep their order and carry their
    /// <see cref="Name"/>; every node knows its <see cref="Path"/> (e.g. <c>$.inputs[2].pin</c>)
    /// so validation messages can name exactly what was wrong. The path is built only when asked
    /// for (from the parent link, name and index): building it for every node made parsing cost
    /// grow with depth times size, and almost no path is ever shown.
    /// </summary>
    public sealed class JsonNode
    {
        /// <summary>Longest path returned by <see cref="Path"/>; a longer one keeps its end ("$…" + the last characters).</summary>
        public const int MaxPathChars = 120;

        private readonly string _fixedPath;

        /// <summary>A node built by hand (not by the reader), with its path given.</summary>
        public JsonNode(JsonKind kind, string path)
        {
            Kind = kind;
            _fixedPath = path;
            if (kind == JsonKind.Array || kind == JsonKind.Object) Items = new ArrayList();
        }

        /// <summary>A node of a parsed document: member <paramref name="name"/> or element <paramref name="index"/> of <paramref name="parent"/> (null for the root).</summary>
        internal JsonNode(JsonKind kind, JsonNode parent, string name, int index)
        {
            Kind = kind;
            Parent = parent;
            Name = name;
            Index = index;
            if (kind == JsonKind.Array || kind == JsonKind.Object) Items = new ArrayList();
        }

        public JsonKind Kind { get; private set; }

        /// <summary>The object or array holding this node in the parsed document; null for the root and for nodes built by hand.</summary>
        public JsonNode Parent { get; private set; }

        /// <summary>Position in the parent array (or object) this node was read at.</summary>
        public int Index { get; private set; }

        /// <summary>Where this node is, e.g. <c>$.inputs[2].pin</c>; member names are cut to <see cref="JsonText.MaxQuoteChars"/> characters.</summary>
        public string Path { get { return _fixedPath != null ? _fixedPath : JsonText.PathOf(this, null); } }

        /// <summary>The path of member <paramref name="name"/> of this object, whether or not it is there (for "missing" messages).</summary>
        public string MemberPath(string name)
        {
            return JsonText.PathOf(this, name);
        }

        internal string FixedPath { get { return _fixedPath; } }

        /// <summary>Member name when this node is an object member, otherwise null.</summary>
        public string Name { get; internal set; }

        public string StringValue { get; internal set; }

        public bool BoolValue { get; internal set; }

        /// <summary>True when the number had no fraction or exponent and fits a long.</summary>
        public bool IsInteger { get; internal set; }

        public long IntegerValue { get; internal set; }

        public double NumberValue { get; internal set; }

        /// <summary>Children of an array or object (JsonNode), in document order.</summary>
        public ArrayList Items { get; private set; }

        public int Count { get { return Items == null ? 0 : Items.Count; } }

        public JsonNode this[int index] { get { return (JsonNode)Items[index]; } }

        /// <summary>
        /// The member with this name, or null when absent (or when this is not an object). A linear
        /// scan: objects hold at most <see cref="JsonLimits.MaxMembers"/> members and callers look up
        /// a fixed set of names, so the work stays proportional to the document.
        /// </summary>
        public JsonNode Get(string name)
        {
            if (Kind != JsonKind.Object) return null;
            for (int i = 0; i < Items.Count; i++)
            {
                JsonNode child = (JsonNode)Items[i];
                if (child.Name == name) return child;
            }
            return null;
        }

        public static string KindName(JsonKind kind)
        {
            switch (kind)
            {
                case JsonKind.Null: return "null";
                case JsonKind.Bool: return "boolean";
                case JsonKind.Number: return "number";
                case JsonKind.String: return "string";
                case JsonKind.Array: return "array";
                default: return "object";
            }
        }
    }
}
