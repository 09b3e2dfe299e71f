using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Events;
using PingAnTong.Edge.Core.Net;
using PingAnTong.Edge.Simulator;
using PingAnTong.Edge.Simulator.Adapters;
using PingAnTong.Edge.Tests.Contract;
using Xunit;

namespace PingAnTong.Edge.Integration.Tests;

/// <summary>TLS against Mosquitto with a CA and server certificates generated at test time.</summary>
public class TlsTests
{
    [Fact]
    public async Task Hub_publishes_over_tls_to_a_server_whose_certificate_chains_to_the_configured_ca()
    {
        if (!MosquittoTestBroker.Installed) return; // .ci/run installs mosquitto, so CI always runs this
        var certs = new TestCertificates();
        var (cert, key) = certs.Server("server", "127.0.0.1", "localhost");
        await using var broker = await MosquittoTestBroker.StartAsync(cert, key);
        await using var backend = await Subscriber.ConnectAsync(broker.Port);
        var config = SimulatedHub.LoadConfig(null);
        config.HubId = "tls-" + Guid.NewGuid().ToString("N")[..6];
        config.Broker.Host = "127.0.0.1";
        config.Broker.Port = broker.TlsPort;
        config.Broker.Tls = true;
        config.Broker.CaFile = certs.CaFile;
        using var hub = new SimulatedHub(config, Directory.CreateTempSubdirectory("pat-it-").FullName, TextWriter.Null);
        string birth = await backend.WaitForAsync((t, p) => t == $"pat/v1/{config.HubId}/status", what: "birth over TLS");
        Assert.Empty(ContractSchemas.Validate("status", birth));
    }

    [Theory]
    [InlineData("wrong-name")]
    [InlineData("wrong-ca")]
    public async Task Hub_refuses_a_server_whose_certificate_does_not_match(string problem)
    {
        if (!MosquittoTestBroker.Installed) return;
        var certs = new TestCertificates();
        var other = new TestCertificates();
        var (cert, key) = problem == "wrong-name" ? certs.Server("server", "wrong.example") : other.Server("server", "127.0.0.1");
        await using var broker = await MosquittoTestBroker.StartAsync(cert, key);
        var queue = new HubQueue(64);
        var transport = new MqttNetTransport(new LinkEvents(queue), TextWriter.Null) { CaFile = certs.CaFile };
        transport.Connect(new ConnectRequest
        {
            ClientId = "tls-refuse", Host = "127.0.0.1", Port = broker.TlsPort, Tls = true, KeepAliveSeconds = 30,
            WillTopic = "pat/v1/x/status", WillPayload = new byte[] { (byte)'{', (byte)'}' }, CommandTopic = "pat/v1/x/cmd",
        });
        Assert.True(queue.Signal.WaitOne(TimeSpan.FromSeconds(30)), "no connect outcome");
        Assert.True(queue.TryTake(out int type, out _, out _, out _, out object reason, out _));
        Assert.Equal(HubInput.ConnectFailed, type);
        Assert.False(string.IsNullOrEmpty((string)reason));
        Assert.DoesNotContain("refused", (string)reason); // the TLS handshake failed, not the TCP connect
        Console.WriteLine($"refused ({problem}): {reason}");
        transport.Dispose();
    }
}
