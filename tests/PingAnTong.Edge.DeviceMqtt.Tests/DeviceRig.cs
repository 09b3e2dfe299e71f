using System.Text;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Net;
using PingAnTong.Edge.Esp32.Adapters;

namespace PingAnTong.Edge.DeviceMqtt.Tests;

/// <summary>The device's M2MqttTransport (with its DeviceClock and WifiLink) reporting into the core's HubQueue through LinkEvents.</summary>
public sealed class DeviceRig : IDisposable
{
    public readonly HubQueue Queue = new(64);
    public readonly DeviceClock Clock = new();
    public readonly M2MqttTransport Transport;
    public readonly string HubId = "dm-" + Guid.NewGuid().ToString("N")[..8];
    private int _generation;

    /// <summary>Every message the transport delivered: payload and retain flag, in order.</summary>
    public readonly List<(string Payload, bool Retained)> Messages = new();

    public DeviceRig()
    {
        Transport = new M2MqttTransport(Clock, new WifiLink()) { Link = new LinkEvents(Queue) };
        Transport.Start();
    }

    public string CommandTopic => $"pat/v1/{HubId}/cmd";
    public string EventTopic => $"pat/v1/{HubId}/event";

    public ConnectRequest Request(int port, int keepAliveSeconds = 2, bool cleanSession = false) => new()
    {
        ClientId = "pat-" + HubId, Host = "127.0.0.1", Port = port, KeepAliveSeconds = keepAliveSeconds, CleanSession = cleanSession,
        WillTopic = $"pat/v1/{HubId}/status", WillPayload = Encoding.UTF8.GetBytes("{\"state\":\"lost\"}"), CommandTopic = CommandTopic,
    };

    /// <summary>Asks for a connect with the next generation, as ConnectionManager does; returns the generation.</summary>
    public int Connect(ConnectRequest request)
    {
        request.Generation = ++_generation;
        Transport.Connect(request);
        return request.Generation;
    }

    /// <summary>The next item the transport posted, waiting up to <paramref name="timeoutMs"/>.</summary>
    public (int Type, int A, int B, object Obj) Next(int timeoutMs = 20_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            if (Queue.TryTake(out int type, out int a, out int b, out _, out object obj, out object obj2))
            {
                if (type == HubInput.Message) Messages.Add((Encoding.UTF8.GetString((byte[])obj2), a != 0));
                return (type, a, b, obj);
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !Queue.Signal.WaitOne(left)) throw new TimeoutException("the transport reported nothing within " + timeoutMs + " ms");
        }
    }

    /// <summary>Skips acks and messages until a link outcome arrives: (HubInput.Connected/ConnectFailed/Disconnected, generation, reason).</summary>
    public (int Type, int Generation, string Reason) NextLinkOutcome(int timeoutMs = 20_000)
    {
        while (true)
        {
            var item = Next(timeoutMs);
            if (item.Type is HubInput.Connected or HubInput.ConnectFailed or HubInput.Disconnected) return (item.Type, item.A, item.Obj as string);
        }
    }

    /// <summary>Waits for PublishAcked(generation, token); any link outcome on the way fails the test.</summary>
    public void ExpectAck(int generation, int token, int timeoutMs = 10_000)
    {
        while (true)
        {
            var item = Next(timeoutMs);
            if (item.Type == HubInput.PublishAcked && item.A == generation && item.B == token) return;
            if (item.Type is HubInput.Connected or HubInput.ConnectFailed or HubInput.Disconnected)
                throw new InvalidOperationException($"link outcome {Name(item.Type)}({item.A}) {item.Obj} while waiting for the ack of {token}");
        }
    }

    /// <summary>Waits until a message with <paramref name="payload"/> was delivered; a link outcome on the way fails the test.</summary>
    public (string Payload, bool Retained) ExpectMessage(string payload, int timeoutMs = 10_000)
    {
        while (!Messages.Any(m => m.Payload == payload))
        {
            var item = Next(timeoutMs);
            if (item.Type is HubInput.Connected or HubInput.ConnectFailed or HubInput.Disconnected)
                throw new InvalidOperationException($"link outcome {Name(item.Type)}({item.A}) {item.Obj} while waiting for {payload}");
        }
        return Messages.First(m => m.Payload == payload);
    }

    public static string Name(int type) => type switch
    {
        HubInput.Connected => "Connected",
        HubInput.ConnectFailed => "ConnectFailed",
        HubInput.Disconnected => "Lost",
        HubInput.PublishAcked => "PublishAcked",
        HubInput.Message => "Message",
        _ => type.ToString(),
    };

    public bool Publish(string payload, int token) => Transport.Publish(EventTopic, Encoding.UTF8.GetBytes(payload), payload.Length, false, token);

    /// <summary>Closes the connection as the hub does when it stops (the worker does it in the background).</summary>
    public void Dispose() => Transport.Disconnect();
}
