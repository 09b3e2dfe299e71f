using System;
using System.Collections;

namespace PingAnTong.Edge.Core.Config
{
    /// <summary>A config refused whole. <see cref="Errors"/> holds one message (string) per problem, each naming its field.</summary>
    public class ConfigException : Exception
    {
        public ConfigException(ArrayList errors)
            : this("config", errors)
        {
        }

        /// <summary><paramref name="what"/> names the document in the message, e.g. "pin map".</summary>
        public ConfigException(string what, ArrayList errors)
            : base(Join(what, errors))
        {
            Errors = errors;
        }

        public ArrayList Errors { get; private set; }

        /// <summary>Joined once (not by repeated concatenation, which costs the square of the length).</summary>
        private static string Join(string what, ArrayList errors)
        {
            string[] parts = new string[errors.Count * 2 + 1];
            parts[0] = what + " refused: ";
            for (int i = 0; i < errors.Count; i++)
            {
                parts[i * 2 + 1] = i == 0 ? "" : "; ";
                parts[i * 2 + 2] = (string)errors[i];
            }
            return string.Concat(parts);
        }
    }
}
