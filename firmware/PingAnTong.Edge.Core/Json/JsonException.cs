using System;

namespace PingAnTong.Edge.Core.Json
{
    /// <summary>A JSON document that could not be read or does not have the expected shape.
    /// <see cref="Path"/> names the place (e.g. <c>$.broker.port</c>), the message says what was expected.</summary>
    public class JsonException : Exception
    {
        public JsonException(string path, string message)
            : base(path + ": " + message)
        {
            Path = path;
            Reason = message;
        }

        public string Path { get; private set; }

        public string Reason { get; private set; }
    }
}
