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

    public static async Task<MosquittoTestBroker> StartAsync(string certFile = null, string keyFile = null, int fixedPort = 0)
    {
        var b = new MosquittoTestBroker { _folder = Directory.CreateTempSubdirectory("pat-mosq-").FullName };
        b.Port = fixedPort != 0 ? fixedPort : EmbeddedBroker.FreePort();
        var conf = new List<string> { "per_listener_settings false", "allow_anonymous true", "persistence false", "user root", $"listener {b.Port} 127.0.0.1" };
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

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        try { Directory.Delete(_folder, true); } catch (IOException) { }
    }
}
