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

        private static string Join(string what, ArrayList errors)
        {
            string s = what + " refused: ";
            for (int i = 0; i < errors.Count; i++) s += (i == 0 ? "" : "; ") + (string)errors[i];
            return s;
        }
    }
}
