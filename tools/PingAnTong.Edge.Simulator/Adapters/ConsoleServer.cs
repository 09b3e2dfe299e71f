using System.Net;
using System.Net.Sockets;
using System.Text;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Field;

namespace PingAnTong.Edge.Simulator.Adapters;

/// <summary>
/// The hub's technician console on a loopback TCP port (<c>--console tcp:PORT</c>): the simulator's
/// stand-in for the device's COM2. Each client line goes into the hub's queue and is run by the same
/// ConsoleInterpreter as on the device; replies end with the prompt "pat> ". Lines are bounded as on
/// the device (<see cref="ConsoleLineReader.MaxLineBytes"/>); a longer one is discarded with an error.
/// </summary>
public sealed class ConsoleServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<Hub> _hub;
    private readonly CancellationTokenSource _stop = new();

    /// <param name="hub">The current hub (it changes when the simulator power-cycles it; null while it starts).</param>
    public ConsoleServer(int port, Func<Hub> hub)
    {
        _hub = hub;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptLoop();
    }

    public int Port { get; }

    /// <summary>The console language of the current hub's config (console.language).</summary>
    private int Language => ConsoleText.LanguageOf(_hub()?.Config);

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = Serve(client);
        }
    }

    private async Task Serve(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var output = new StreamOutput(stream);
            output.WriteLine(ConsoleText.Get(Language, ConsoleText.SimulatorGreeting));
            output.Done();
            var reader = new ConsoleLineReader(stream);
            try
            {
                ConsoleLine line;
                while ((line = await reader.ReadLineAsync(_stop.Token)) != null)
                {
                    if (line.TooLong)
                    {
                        output.WriteLine(ConsoleText.Get(Language, ConsoleText.LineTooLong, line.Bytes.ToString(), ConsoleLineReader.MaxLineBytes.ToString()));
                        output.Done();
                        continue;
                    }
                    Hub hub = _hub();
                    if (hub == null || !hub.PostConsoleLine(line.Text, output))
                    {
                        output.WriteLine(ConsoleText.Get(Language, ConsoleText.HubBusy));
                        output.Done();
                    }
                }
            }
            catch (Exception)
            {
                // client went away or the simulator stops
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    private sealed class StreamOutput : IConsoleOutput
    {
        private readonly Stream _stream;

        public StreamOutput(Stream stream) => _stream = stream;

        public void WriteLine(string line) => Write(line + "\n");

        public void Done() => Write(ConsoleInterpreter.Prompt);

        private void Write(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            try { lock (_stream) _stream.Write(bytes, 0, bytes.Length); } catch (Exception) { }
        }
    }
}

/// <summary>The console's host facts in the simulator.</summary>
public sealed class SimConsoleHost : IConsoleHost
{
    public string NetworkStatus => "simulator (loopback network)";
    public bool SafeMode => false;
    public string SafeModeReason => null;
}

/// <summary>Console replies to the simulator's stdout.</summary>
public sealed class TextConsoleOutput : IConsoleOutput
{
    private readonly TextWriter _writer;
    private readonly AutoResetEvent _done = new(false);

    public TextConsoleOutput(TextWriter writer) => _writer = writer;

    public void WriteLine(string line) => _writer.WriteLine(line);

    public void Done()
    {
        _writer.Flush();
        _done.Set();
    }

    /// <summary>Waits for the reply to the line just posted (the hub loop runs it).</summary>
    public bool WaitDone(int timeoutMs) => _done.WaitOne(timeoutMs);
}
