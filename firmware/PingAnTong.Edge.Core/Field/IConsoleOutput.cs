namespace PingAnTong.Edge.Core.Field
{
    /// <summary>Where console replies go: the UART on the device, stdout or a TCP client in the simulator.</summary>
    public interface IConsoleOutput
    {
        void WriteLine(string line);

        /// <summary>The reply to one command is complete: terminals show the prompt (<see cref="ConsoleInterpreter.Prompt"/>), scripts stop reading.</summary>
        void Done();
    }

    /// <summary>What only the host knows, for <c>status</c>: the network below MQTT, and safe mode.</summary>
    public interface IConsoleHost
    {
        /// <summary>e.g. "wifi up; mqtt connected", or why the network is down.</summary>
        string NetworkStatus { get; }
        bool SafeMode { get; }
        /// <summary>Why safe mode, or null.</summary>
        string SafeModeReason { get; }
    }
}
