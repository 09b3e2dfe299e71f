using System.Net;
using MQTTnet.Protocol;
using MQTTnet.Server;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Integration.Tests;
using PingAnTong.Edge.Simulator;
using Xunit;

namespace PingAnTong.Edge.DeviceMqtt.Tests;

/// <summary>
/// Connects that fail are reported once as ConnectFailed(generation, why): nobody listening, the broker refusing the CONNECT
/// or the command subscription, and TLS (Mosquitto) to a broker whose certificate does not chain to the CA file the device
/// was given or does not carry its name, or before SNTP set the clock.
/// </summary>
public class DeviceConnectTests
{
    [Fact]
    public void A_port_nobody_listens_on_fails_the_attempt_with_the_socket_error()
    {
        using var rig = new DeviceRig();
        int generation = rig.Connect(rig.Request(EmbeddedBroker.FreePort()));
        var failed = rig.NextLinkOutcome();
        Assert.Equal((HubInput.ConnectFailed, generation), (failed.Type, failed.Generation));
        // MqttConnectionException's message names the SocketError (10061: refused), then the socket's own message.
        Assert.StartsWith($"connect to 127.0.0.1:", failed.Reason);
        Assert.Contains("Socket exception connecting to the broker: 10061", failed.Reason);
    }

    [Fact]
    public async Task A_broker_refusing_the_connect_or_the_command_subscription_fails_the_attempt()
    {
        int port = EmbeddedBroker.FreePort();
        var options = new MqttServerOptionsBuilder().WithDefaultEndpoint().WithDefaultEndpointBoundIPAddress(IPAddress.Loopback).WithDefaultEndpointPort(port).Build();
        using var server = new MqttServerFactory().CreateMqttServer(options);
        bool refuseConnect = true;
        server.ValidatingConnectionAsync += e =>
        {
            if (refuseConnect) e.ReasonCode = MqttConnectReasonCode.NotAuthorized;
            return Task.CompletedTask;
        };
        server.InterceptingSubscriptionAsync += e =>
        {
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            return Task.CompletedTask;
        };
        await server.StartAsync();
        try
        {
            using var rig = new DeviceRig();
            int first = rig.Connect(rig.Request(port));
            var refused = rig.NextLinkOutcome();
            Assert.Equal((HubInput.ConnectFailed, first), (refused.Type, refused.Generation));
            Assert.EndsWith("refused the connection: not authorized", refused.Reason);

            refuseConnect = false;
            int second = rig.Connect(rig.Request(port));
            var unsubscribed = rig.NextLinkOutcome();
            Assert.Equal((HubInput.ConnectFailed, second), (unsubscribed.Type, unsubscribed.Generation));
            Assert.Contains("refused the subscription to " + rig.CommandTopic, unsubscribed.Reason);
            Assert.False(rig.Transport.IsConnected);
        }
        finally
        {
            await server.StopAsync();
        }
    }

    [Fact]
    public async Task Tls_connects_only_to_a_broker_whose_certificate_chains_to_the_given_ca_and_names_it()
    {
        if (!MosquittoTestBroker.Installed) return; // .ci/run installs mosquitto, so CI always runs this
        var certs = new TestCertificates();
        var other = new TestCertificates();
        var (cert, key) = certs.Server("server", "127.0.0.1", "localhost");
        await using var broker = await MosquittoTestBroker.StartAsync(cert, key);
        using var rig = new DeviceRig();
        var request = rig.Request(broker.TlsPort);
        request.Tls = true;
        request.CaFile = certs.CaFile;

        int unsynced = rig.Connect(request);
        var waiting = rig.NextLinkOutcome();
        Assert.Equal((HubInput.ConnectFailed, unsynced), (waiting.Type, waiting.Generation));
        Assert.StartsWith("clock not synced", waiting.Reason);

        Assert.True(rig.Clock.CheckSynced()); // SNTP answered (the host's clock is set)
        int trusted = rig.Connect(request);
        var up = rig.NextLinkOutcome();
        Assert.True(up.Type == HubInput.Connected && up.Generation == trusted, $"{DeviceRig.Name(up.Type)}({up.Generation}) {up.Reason}");
        Assert.True(rig.Publish("{\"tls\":true}", 5));
        rig.ExpectAck(trusted, 5);

        request.CaFile = other.CaFile; // another CA: the broker's certificate does not chain to it
        int wrongCa = rig.Connect(request);
        var refused = rig.NextLinkOutcome();
        Assert.Equal((HubInput.ConnectFailed, wrongCa), (refused.Type, refused.Generation));
        Assert.Contains("Exception connecting to the broker", refused.Reason);
        Assert.DoesNotContain("10061", refused.Reason); // the TLS handshake failed, not the TCP connect

        var (wrongName, wrongKey) = certs.Server("wrong", "wrong.example");
        await using var misnamed = await MosquittoTestBroker.StartAsync(wrongName, wrongKey);
        request.CaFile = certs.CaFile;
        request.Port = misnamed.TlsPort;
        int wrongHost = rig.Connect(request);
        var misnamedOutcome = rig.NextLinkOutcome();
        Assert.Equal((HubInput.ConnectFailed, wrongHost), (misnamedOutcome.Type, misnamedOutcome.Generation));
        Assert.Contains("Exception connecting to the broker", misnamedOutcome.Reason);
    }
}
