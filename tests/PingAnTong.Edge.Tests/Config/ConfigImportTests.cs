using System.Text;
using PingAnTong.Edge;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Fakes;
using Xunit;

namespace PingAnTong.Edge.Tests.Config;

/// <summary>The device imports the config file an installer deployed with nanoff (I:\config.json) at boot.</summary>
public class ConfigImportTests
{
    private static Core.Hub NewHub(MemoryStore store, FakeTransport transport)
    {
        var fallback = ConfigParser.Parse(Encoding.UTF8.GetBytes(TestBench.DemoConfigJson));
        var hub = new Core.Hub(fallback, new FakeClock(), store, transport, new FakeSensorReader(), new RecordingIndicator(), new FakeHost());
        transport.Link = hub.LinkEvents;
        return hub;
    }

    [Fact]
    public void A_valid_file_becomes_the_stored_config_and_a_bad_one_is_refused_whole_naming_file_and_field()
    {
        var store = new MemoryStore();
        var first = NewHub(store, new FakeTransport());
        Assert.True(first.ImportConfigFile(Encoding.UTF8.GetBytes(TestBench.DemoConfigJson.Replace("hub-0001", "hub-0042")), @"I:\config.json"));
        first.Start();
        Assert.Equal("hub-0042", first.Config.HubId);
        Assert.Equal("stored", first.ConfigSource);

        var transport = new FakeTransport { AutoAck = true };
        var second = NewHub(store, transport);
        string bad = TestBench.DemoConfigJson.Replace("hub-0001", "hub-0099").Replace("\"heartbeatMinutes\": 5", "\"heartbeatMinutes\": \"five\"");
        Assert.False(second.ImportConfigFile(Encoding.UTF8.GetBytes(bad), @"I:\config.json"));
        Assert.StartsWith(@"I:\config.json: config refused: $.heartbeatMinutes: expected an integer", second.ConfigProblem);
        second.Start();
        Assert.Equal("hub-0042", second.Config.HubId); // the last good config is kept

        // The refusal is reported to the backend as an info event naming the file and field.
        second.RunOnce();
        for (int i = 0; i < 20; i++) second.RunOnce();
        Assert.Contains(transport.Publishes, p => p.Topic.EndsWith("/event") && p.Payload.Contains("\"kind\":\"config\"") && p.Payload.Contains("\"state\":\"rejected\"") && p.Payload.Contains("heartbeatMinutes"));
    }
}
