using System.Collections;

namespace PingAnTong.Edge.Core.Json
{
    /// <summary>
    /// One value of a parsed JSON document. Object members keep their order and carry their
    /// <see cref="Name"/>; every node knows its <see cref="Path"/> (e.g. <c>$.inputs[2].pin</c>)
    /// so validation messages can name exactly what was wrong.
    /// </summary>
    public sealed class JsonNode
    {
        public JsonNode(JsonKind kind, string path)
        {
            Kind = kind;
            Path = path;
            if (kind == JsonKind.Array || kind == JsonKind.Object) Items = new ArrayList();
        }

        public JsonKind Kind { get; private set; }

        public string Path { get; private set; }

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

        /// <summary>The member with this name, or null when absent (or when this is not an object).</summary>
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
