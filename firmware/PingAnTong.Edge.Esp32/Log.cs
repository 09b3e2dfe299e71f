using System;
using PingAnTong.Edge.Core.Field;
using PingAnTong.Edge.Esp32.Adapters;

namespace PingAnTong.Edge.Esp32
{
    /// <summary>Plain-text log lines with uptime, to the serial console (COM2) and the debugger channel. Never given secrets.</summary>
    public static class Log
    {
        public static SerialConsole Console;
        public static DeviceClock Clock;
        /// <summary>Its log level (console <c>log level</c>) filters <see cref="Debug"/> and info lines; its language (config <c>console.language</c>) is the lines' language.</summary>
        public static ConsoleInterpreter Interpreter;
        /// <summary>The lines' language until <see cref="Interpreter"/> is set (<see cref="ConsoleText.En"/> or <see cref="ConsoleText.Zh"/>).</summary>
        public static int Language;

        /// <summary>The language of the lines now: the running config's console.language.</summary>
        public static int Lang
        {
            get
            {
                ConsoleInterpreter i = Interpreter;
                return i != null ? i.Language : Language;
            }
        }

        /// <summary>Log line <paramref name="id"/> of <see cref="ConsoleText"/> in <see cref="Lang"/>; ids, numbers, file names and the core's own words are filled in as they are.</summary>
        public static string T(int id)
        {
            return ConsoleText.Get(Lang, id);
        }

        public static string T(int id, string a0)
        {
            return ConsoleText.Get(Lang, id, a0);
        }

        public static string T(int id, string a0, string a1)
        {
            return ConsoleText.Get(Lang, id, a0, a1);
        }

        public static string T(int id, string a0, string a1, string a2)
        {
            return ConsoleText.Get(Lang, id, a0, a1, a2);
        }

        /// <summary>Details a technician asks for with <c>log level debug</c>.</summary>
        public static void Debug(string message)
        {
            ConsoleInterpreter i = Interpreter;
            if (i != null && i.LogLevel >= ConsoleInterpreter.LogDebug) Write(message);
        }

        /// <summary>An info line (hidden at log level error/warn).</summary>
        public static void Write(string message)
        {
            ConsoleInterpreter i = Interpreter;
            if (i != null && i.LogLevel < ConsoleInterpreter.LogInfo) return;
            Error(message);
        }

        /// <summary>Always written.</summary>
        public static void Error(string message)
        {
            string line = "[" + (Clock != null ? (Clock.UptimeMs / 1000).ToString() : "0") + "s] " + message;
            System.Console.WriteLine(line);
            SerialConsole c = Console;
            if (c != null) c.WriteLine(line);
        }
    }
}
