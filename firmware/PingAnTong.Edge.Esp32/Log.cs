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
        /// <summary>Its log level (console <c>log level</c>) filters <see cref="Debug"/> and info lines.</summary>
        public static ConsoleInterpreter Interpreter;

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
