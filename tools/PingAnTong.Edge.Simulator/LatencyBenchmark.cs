using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using PingAnTong.Edge.Core.Events;
using PingAnTong.Edge.Core.Net;

namespace PingAnTong.Edge.Simulator;

/// <summary>
/// SOS latency in real time against a loopback broker: from the virtual pin edge to receipt at an
/// independent subscriber (debounce, persist-before-send and the loop included), and the same
/// broker's raw MQTTnet publish → receive as the baseline.
/// </summary>
public static class LatencyBenchmark
{
    public static async Task<int> RunAsync(SimOptions o, int presses, CancellationToken stop = default)
    {
        string data = Directory.CreateTempSubdirectory("pat-bench-").FullName;
        try
        {
            return await RunAsync(o, presses, data, stop);
        }
        finally
        {
            try { Directory.Delete(data, true); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    private static async Task<int> RunAsync(SimOptions o, int presses, string data, CancellationToken stop)
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        var config = SimulatedHub.LoadConfig(o.ConfigFile);
        config.Broker.Host = "127.0.0.1";
        config.Broker.Port = broker.Port;
        config.Broker.Tls = false;
        config.Broker.InsecureForTesting = true;
        foreach (var input in config.Inputs.Where(x => x.Kind == PingAnTong.Edge.Core.Inputs.InputKind.Sos))
        {
            // Hundreds of presses a minute would rightly be reported as chatter; widen the limit for the benchmark.
            input.ChatterEdges = 1000;
            input.ChatterWindowMs = 1000;
        }
        var signal = new SemaphoreSlim(0);
        var rawSignal = new SemaphoreSlim(0);
        string lastKind = null;
        var sub = new MqttClientFactory().CreateMqttClient();
        sub.ApplicationMessageReceivedAsync += e =>
        {
            if (e.ApplicationMessage.Topic == "bench/raw")
            {
                rawSignal.Release();
            }
            else if (e.ApplicationMessage.Topic.EndsWith("/event"))
            {
                lastKind = Encoding.UTF8.GetString(e.ApplicationMessage.Payload.ToArray());
                signal.Release();
            }
            return Task.CompletedTask;
        };
        await sub.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithClientId("bench-sub").Build());
        await sub.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic("#").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)).Build());

        using var hub = new SimulatedHub(config, data, TextWriter.Null);
        if (!SpinWait.SpinUntil(() => hub.Hub.Link.State == ConnectionManager.Connected, 10_000)) throw new InvalidOperationException("hub did not connect");
        while (signal.CurrentCount > 0) await signal.WaitAsync(); // boot event

        var backend = new MqttClientFactory().CreateMqttClient();
        await backend.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithClientId("bench-centre").Build());
        string cmdTopic = hub.Hub.Topics.For(Channel.Command);
        int sos = hub.Hub.FindInput(PingAnTong.Edge.Core.Inputs.InputKind.Sos);
        int debounce = config.Inputs[sos].DebounceMs;
        var hubLatency = new List<double>();
        for (int i = 0; i < presses; i++)
        {
            stop.ThrowIfCancellationRequested();
            long start = Stopwatch.GetTimestamp();
            hub.SetInput("sos", true);
            string alarm;
            while (true)
            {
                if (!await signal.WaitAsync(10_000)) throw new TimeoutException($"no SOS event at press {i}; last message {lastKind}");
                alarm = lastKind;
                if (alarm.Contains("\"kind\":\"sos\"") && alarm.Contains("\"state\":\"raised\"")) break;
            }
            hubLatency.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            hub.SetInput("sos", false);
            string id = JsonDocument.Parse(alarm).RootElement.GetProperty("id").GetString();
            foreach (var cmd in new[] { "ack", "close" })
            {
                await backend.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(cmdTopic)
                    .WithPayload($$"""{"id":"b{{i}}{{cmd}}","cmd":"{{cmd}}","alarmId":"{{id}}"}""").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            }
            // Wait for the closed event so the next press raises a new alarm.
            while (true)
            {
                if (!await signal.WaitAsync(10_000)) throw new TimeoutException("no closed event");
                if (lastKind.Contains("\"state\":\"closed\"")) break;
            }
            await Task.Delay(debounce * 2); // let the release settle before the next press (real time is the point here)
            while (signal.CurrentCount > 0) await signal.WaitAsync();
        }

        var raw = new List<double>();
        var pub = new MqttClientFactory().CreateMqttClient();
        await pub.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithClientId("bench-pub").Build());
        byte[] body = Encoding.UTF8.GetBytes(new string('x', 300));
        for (int i = 0; i < presses; i++)
        {
            stop.ThrowIfCancellationRequested();
            long start = Stopwatch.GetTimestamp();
            await pub.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("bench/raw").WithPayload(body).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            if (!await rawSignal.WaitAsync(10_000)) throw new TimeoutException("no raw message");
            raw.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        double P(List<double> v, double q) { var s = v.OrderBy(x => x).ToList(); return s[(int)Math.Min(s.Count - 1, Math.Floor(q * s.Count))]; }
        var afterDebounce = hubLatency.Select(x => x - debounce).ToList();
        Console.WriteLine($"SOS presses: {presses}, debounce {debounce} ms, embedded MQTTnet broker on loopback");
        Console.WriteLine($"hub, pin edge -> subscriber:           p50 {P(hubLatency, 0.5),7:F2} ms  p99 {P(hubLatency, 0.99),7:F2} ms");
        Console.WriteLine($"hub, after debounce -> subscriber:     p50 {P(afterDebounce, 0.5),7:F2} ms  p99 {P(afterDebounce, 0.99),7:F2} ms");
        Console.WriteLine($"raw MQTTnet publish -> subscriber:     p50 {P(raw, 0.5),7:F2} ms  p99 {P(raw, 0.99),7:F2} ms");
        Console.WriteLine($"ratio p50 (edge / raw): {P(hubLatency, 0.5) / P(raw, 0.5):F1}; ratio p50 (after debounce / raw): {P(afterDebounce, 0.5) / P(raw, 0.5):F1}");
        await pub.DisconnectAsync();
        await backend.DisconnectAsync();
        await sub.DisconnectAsync();
        return 0;
    }
}
