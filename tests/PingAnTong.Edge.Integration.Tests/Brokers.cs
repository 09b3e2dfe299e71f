using System.Diagnostics;
using System.Net.Sockets;
using PingAnTong.Edge.Simulator;

namespace PingAnTong.Edge.Integration.Tests;

/// <summary>A broker a test can talk to: host, port, and how to stop it.</summary>
public interface ITestBroker : IAsyncDisposable
{
    string Name { get; }
    int Port { get; }
}

public sealed class MqttNetTestBroker : ITestBroker
{
    private EmbeddedBroker _broker;
    public string Name => "mqttnet";
    public int Port => _broker.Port;

    public static async Task<ITestBroker> StartAsync() => new MqttNetTestBroker { _broker = await EmbeddedBroker.StartAsync() };

    public ValueTask DisposeAsync() => _broker.DisposeAsync();
}

/// <summary>A real Mosquitto started for the test on a free loopback port, with a generated config.</summary>
public sealed class MosquittoTestBroker : ITestBroker, IAsyncDisposable
{
    private Process _process;
    private string _folder;

    public string Name => "mosquitto";
    public int Port { get; private set; }

    /// <summary>The TLS listener's port, when started with certificates.</summary>
    public int TlsPort { get; private set; }

    public static string Executable =>
        new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto" }.FirstOrDefault(File.Exists);

    public static bool Installed => Executable != null;

    /// <param name="persistFolder">When given, sessions and queued messages are kept there across restarts (persistence on).</param>
    public static async Task<MosquittoTestBroker> StartAsync(string certFile = null, string keyFile = null, int fixedPort = 0, string persistFolder = null)
    {
        var b = new MosquittoTestBroker { _folder = Directory.CreateTempSubdirectory("pat-mosq-").FullName };
        b.Port = fixedPort != 0 ? fixedPort : EmbeddedBroker.FreePort();
        // set_tcp_nodelay: Mosquitto's default (Nagle on) holds small writes until the peer's delayed TCP ACK,
        // about 40 ms; the lockstep chaos test turned that into hours of virtual time. Production brokers
        // should set it too (docs/mqtt-contract.md).
        var conf = new List<string> { "per_listener_settings false", "allow_anonymous true", "user root", "set_tcp_nodelay true", $"listener {b.Port} 127.0.0.1" };
        conf.AddRange(persistFolder == null ? new[] { "persistence false" }
            : new[] { "persistence true", $"persistence_location {persistFolder}/", "autosave_interval 1", "autosave_on_changes true" });
        if (certFile != null)
        {
            b.TlsPort = EmbeddedBroker.FreePort();
            conf.Add($"listener {b.TlsPort} 127.0.0.1");
            conf.Add($"certfile {certFile}");
            conf.Add($"keyfile {keyFile}");
        }
        string confPath = Path.Combine(b._folder, "mosquitto.conf");
        await File.WriteAllLinesAsync(confPath, conf);
        b._process = Process.Start(new ProcessStartInfo(Executable, $"-c {confPath}") { RedirectStandardError = true, RedirectStandardOutput = true })!;
        await WaitForPortAsync(b.Port, b._process);
        if (b.TlsPort != 0) await WaitForPortAsync(b.TlsPort, b._process);
        return b;
    }

    /// <summary>Starts Mosquitto with a whole config made by the caller (listeners, accounts, ACL); waits until <paramref name="port"/> takes connections.</summary>
    public static async Task<MosquittoTestBroker> StartWithConfigAsync(IEnumerable<string> conf, int port)
    {
        var b = new MosquittoTestBroker { _folder = Directory.CreateTempSubdirectory("pat-mosq-").FullName, Port = port };
        string confPath = Path.Combine(b._folder, "mosquitto.conf");
        await File.WriteAllLinesAsync(confPath, conf);
        b._process = Process.Start(new ProcessStartInfo(Executable, $"-c {confPath}") { RedirectStandardError = true, RedirectStandardOutput = true })!;
        await WaitForPortAsync(port, b._process);
        return b;
    }

    private static async Task WaitForPortAsync(int port, Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50); // waiting for an external process to listen: there is no event to wait on
            }
            catch (SocketException)
            {
                throw new InvalidOperationException("mosquitto did not start: " + (process.HasExited ? await process.StandardError.ReadToEndAsync() : "timeout"));
            }
        }
    }

    /// <summary>Stops Mosquitto as a service stop does (SIGTERM: it saves its persistence file), killing it if it hangs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start(new ProcessStartInfo("kill", $"-TERM {_process.Id}") { UseShellExecute = false })) await term!.WaitForExitAsync();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try { await _process.WaitForExitAsync(grace.Token); } catch (OperationCanceledException) { _process.Kill(); }
        }
        await _process.WaitForExitAsync();
        try { Directory.Delete(_folder, true); } catch (IOException) { }
    }
}
