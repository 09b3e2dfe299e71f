namespace PingAnTong.Edge.Core.Json
{
    /// <summary>
    /// Hard limits on the JSON documents the hub reads, checked before and while parsing so that no
    /// input, however large or odd, can make the hub spend unbounded time or memory (an alarm waits
    /// behind every parse on the hub loop). A document over a limit is refused with a
    /// <see cref="JsonException"/> naming the path and the limit; nothing of it is used.
    /// The constants are the production limits; an instance carries one set of them to the reader
    /// (tests and the benchmark lift them to measure how the work grows).
    /// </summary>
    public sealed class JsonLimits
    {
        /// <summary>
        /// Largest downlink command in bytes. A <c>config</c> command carries a whole config, so this
        /// is at least <see cref="MaxConfigBytes"/>: the largest config an ESP32 can use (every GPIO but
        /// the LED and buzzer pins an input, eight sensors, every member at its longest) is 8.3 KB
        /// written compactly, as backends send it (ConfigLimitsTests builds it). The hub re-writes a
        /// config it stores compactly and refuses one that would not fit <see cref="MaxConfigBytes"/>,
        /// so a stored config can always be read back at boot.
        /// </summary>
        public const int MaxCommandBytes = 16384;

        /// <summary>
        /// Largest config file in bytes, as deployed to flash: it may be indented (the largest ESP32
        /// config above is 11.7 KB with two-space indentation). The config store keeps two slots, so
        /// this costs 32 KB of the 256 KB <c>I:\</c> file system at most.
        /// </summary>
        public const int MaxConfigBytes = 16384;

        /// <summary>Deepest nesting of objects and arrays: configs use 3 levels, commands 4; JsonWriter writes at most 16.</summary>
        public const int MaxDepth = 16;

        /// <summary>Most members in one object: the config root has 15 known members, every other object fewer.</summary>
        public const int MaxMembers = 32;

        /// <summary>Most elements in one array: inputs are limited by the 49 pin numbers, sensors by the few I2C devices a hub carries.</summary>
        public const int MaxElements = 64;

        /// <summary>
        /// Most values in one document. Every parsed value is an object on the device's heap
        /// (about 150 bytes on nanoCLR), so this bounds the parse tree near 80 KB; the largest
        /// config an ESP32 can use has 416 values (the demo config 69).
        /// </summary>
        public const int MaxNodes = 512;

        /// <summary>Longest text or member name in characters: the longest config text is a broker host name (253, RFC 1035).</summary>
        public const int MaxStringChars = 256;

        /// <summary>The limits for a config file (<see cref="MaxConfigBytes"/>).</summary>
        public static readonly JsonLimits Config = new JsonLimits(MaxConfigBytes, MaxDepth, MaxMembers, MaxElements, MaxNodes, MaxStringChars);

        /// <summary>The limits for a downlink command (<see cref="MaxCommandBytes"/>).</summary>
        public static readonly JsonLimits Command = new JsonLimits(MaxCommandBytes, MaxDepth, MaxMembers, MaxElements, MaxNodes, MaxStringChars);

        public JsonLimits(int bytes, int depth, int members, int elements, int nodes, int stringChars)
        {
            Bytes = bytes;
            Depth = depth;
            Members = members;
            Elements = elements;
            Nodes = nodes;
            StringChars = stringChars;
        }

        public int Bytes { get; private set; }

        public int Depth { get; private set; }

        public int Members { get; private set; }

        public int Elements { get; private set; }

        public int Nodes { get; private set; }

        public int StringChars { get; private set; }
    }
}
