using System.Net;
using System.Text;
using MQTTnet.Protocol;
using MQTTnet.Server;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Exceptions;
using nanoFramework.M2Mqtt.Messages;
using PingAnTong.Edge.Simulator;
using Xunit;

namespace PingAnTong.Edge.DeviceMqtt.Tests;

/// <summary>The M2Mqtt model itself (tests/PingAnTong.Edge.NanoFacades/Mqtt.cs) on points the device adapter relies on, each as M2Mqtt/MqttClient.cs at v5.1.220 does it.</summary>
public class ModelTests
{
    private static MqttClient Client(int port) => new("127.0.0.1", port, false, null, null, MqttSslProtocols.None);

    [Fact]
    public void Connect_to_a_closed_port_throws_MqttConnectionException_naming_the_socket_error()
    {
        var client = Client(EmbeddedBroker.FreePort());
        var e = Assert.Throws<MqttConnectionException>(() => client.Connect("m", null, null, false, MqttQoSLevel.AtMostOnce, false, null, null, true, 60));
        Assert.Equal("Socket exception connecting to the broker: 10061", e.Message);
        Assert.False(client.IsConnected);
        // Publish only queues: it returns the next message id even on a client that never connected, and does not throw.
        Assert.Equal(1, client.Publish("t", new byte[] { 1 }, null, null, MqttQoSLevel.AtLeastOnce, false));
        Assert.Equal(2, client.Publish("t", new byte[] { 1 }, null, null, MqttQoSLevel.AtLeastOnce, false));
        client.Dispose();
    }

    [Fact]
    public async Task A_refused_connect_returns_the_connack_code_and_ConnectionOpened_carries_it()
    {
        int port = EmbeddedBroker.FreePort();
        using var server = new MqttServerFactory().CreateMqttServer(new MqttServerOptionsBuilder().WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback).WithDefaultEndpointPort(port).Build());
        server.ValidatingConnectionAsync += e =>
        {
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            return Task.CompletedTask;
        };
        await server.StartAsync();
        var client = Client(port);
        int opened = -1;
        client.ConnectionOpened += (s, e) => opened = (int)e.Message.ReturnCode;
        // The broker refuses and closes: Connect returns the code, or throws when the close was read first (a race of the real client).
        try
        {
            Assert.Equal(MqttReasonCode.ConnectionRefusedBadUserNameOrPassword,
                client.Connect("m", "user", "wrong", false, MqttQoSLevel.AtMostOnce, false, null, null, true, 60));
        }
        catch (MqttCommunicationException)
        {
        }
        Assert.Equal((int)MqttReasonCode.ConnectionRefusedBadUserNameOrPassword, opened); // raised before Connect wakes
        Assert.False(client.IsConnected);
        client.Dispose();
        await server.StopAsync();
    }

    [Fact]
    public async Task Events_come_on_the_dispatch_thread_and_the_connection_closes_with_ConnectionClosed()
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        var client = Client(broker.Port);
        var threads = new List<(string Event, int Thread)>();
        var subscribed = new ManualResetEventSlim();
        var published = new ManualResetEventSlim();
        var received = new ManualResetEventSlim();
        var closed = new ManualResetEventSlim();
        MqttMsgPublishEventArgs message = null;
        client.MqttMsgSubscribed += (s, e) => { lock (threads) threads.Add(("subscribed", Environment.CurrentManagedThreadId)); subscribed.Set(); };
        client.MqttMsgPublished += (s, e) => { lock (threads) threads.Add(("published", Environment.CurrentManagedThreadId)); if (e.IsPublished) published.Set(); };
        client.MqttMsgPublishReceived += (s, e) => { lock (threads) threads.Add(("received", Environment.CurrentManagedThreadId)); message = e; received.Set(); };
        client.ConnectionClosed += (s, e) => { Assert.Same(client, s); lock (threads) threads.Add(("closed", Environment.CurrentManagedThreadId)); closed.Set(); };

        Assert.Equal(MqttReasonCode.Success, client.Connect("m-" + Guid.NewGuid().ToString("N")[..6], null, null, false, MqttQoSLevel.AtMostOnce, false, null, null, true, 60));
        Assert.True(client.IsConnected);
        client.Subscribe(new[] { "m/echo" }, new[] { MqttQoSLevel.AtLeastOnce });
        Assert.True(subscribed.Wait(10_000));
        ushort id = client.Publish("m/echo", Encoding.UTF8.GetBytes("hello"), null, null, MqttQoSLevel.AtLeastOnce, false);
        Assert.True(published.Wait(10_000));
        Assert.True(received.Wait(10_000));
        Assert.Equal(("m/echo", "hello", false), (message.Topic, Encoding.UTF8.GetString(message.Message), message.Retain));
        client.Disconnect();
        Assert.False(client.IsConnected);
        Assert.True(closed.Wait(10_000));
        lock (threads)
        {
            // One of each, except that a PUBACK later than M2Mqtt's 1 s retry delay (a loaded machine) makes the model send the
            // message again, as M2Mqtt does: QoS 1 may then deliver it twice.
            string events = "events: " + string.Join(", ", threads.Select(t => t.Event + "@" + t.Thread));
            Assert.True(threads.Count(t => t.Event == "subscribed") == 1 && threads.Count(t => t.Event == "closed") == 1, events);
            Assert.True(threads.Any(t => t.Event == "published") && threads.Any(t => t.Event == "received"), events);
            Assert.True(threads[^1].Event == "closed", events);
            Assert.Single(threads.Select(t => t.Thread).Distinct());
            Assert.NotEqual(Environment.CurrentManagedThreadId, threads[0].Thread);
        }
        Assert.True(id > 0);
    }
}
