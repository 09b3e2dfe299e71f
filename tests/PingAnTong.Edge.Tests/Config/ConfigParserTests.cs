using System.Text;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Inputs;
using PingAnTong.Edge.Fakes;
using Xunit;

namespace PingAnTong.Edge.Tests.Config;

public class ConfigParserTests
{
    private static HubConfig Parse(string json) => ConfigParser.Parse(Encoding.UTF8.GetBytes(json));

    private static List<string> Errors(string json) =>
        Assert.Throws<ConfigException>(() => Parse(json)).Errors.Cast<string>().ToList();

    [Fact]
    public void Demo_config_parses_with_defaults_filled_in()
    {
        var c = Parse(TestBench.DemoConfigJson);
        Assert.Equal("hub-0001", c.HubId);
        Assert.Equal("pat/v1", c.TopicPrefix);
        Assert.Equal(7, c.Inputs.Length);
        Assert.Equal(InputKind.Sos, c.Inputs[0].Kind);
        Assert.Equal(30, c.Inputs[0].DebounceMs);
        Assert.Equal(24, c.Inputs[3].SupervisionHours);
        Assert.Equal(9 * 60, c.AlivePingMinuteOfDay);
        Assert.Equal(180 - 120, c.Sensors[0].WarmupSeconds);
        Assert.Equal(30, c.Broker.KeepAliveSeconds);
    }

    [Theory]
    [InlineData("\"heartbeatMinutes\": 5", "\"heartbeatMinutes\": 61", "$.heartbeatMinutes: expected an integer from 1 to 60, got 61")]
    [InlineData("\"heartbeatMinutes\": 5", "\"heartbeatMinutes\": 5, \"heartbeatMinuts\": 5", "$.heartbeatMinuts: unknown setting")]
    [InlineData("\"hubId\": \"hub-0001\"", "\"hubId\": \"hub/0001\"", "$.hubId: may contain only letters")]
    [InlineData("\"time\": \"09:00\"", "\"time\": \"9 am\"", "$.alivePing.time: expected a local time HH:MM")]
    [InlineData("\"pin\": 26", "\"pin\": 25", "$.inputs[1].pin: pin 25 is already used by input \"sos\"")]
    [InlineData("\"kind\": \"motion\"", "\"kind\": \"radar\"", "$.inputs[3].kind: expected one of sos, ok, door")]
    [InlineData("\"id\": \"ok\"", "\"id\": \"sos\"", "$.inputs[1].id: duplicate input id \"sos\"")]
    [InlineData("\"port\": 1883", "\"port\": 70000", "$.broker.port: expected an integer from 1 to 65535, got 70000")]
    [InlineData("\"tls\": false", "\"tls\": true", "$.broker.caFile: required when tls is true")]
    [InlineData("\"keepAliveSeconds\": 30", "\"keepAliveSeconds\": 300", "$.broker.keepAliveSeconds: expected an integer from 10 to 60")]
    [InlineData("\"ledPin\": 2", "\"ledPin\": 25", "pin 25 is already used by the LED")]
    [InlineData("\"version\": 1", "\"version\": \"1\"", "$.version: expected an integer from 1 to 2147483647, got text \"1\"")]
    [InlineData("\"address\": 72", "\"address\": 200", "$.sensors[0].address: expected an integer from 8 to 119, got 200")]
    public void Bad_fields_are_refused_with_a_message_naming_the_field(string from, string to, string expected)
    {
        string json = TestBench.DemoConfigJson.Replace(from, to);
        Assert.NotEqual(TestBench.DemoConfigJson, json);
        Assert.Contains(Errors(json), e => e.Contains(expected));
    }

    [Theory]
    [InlineData("\"inactivity\": {\"ceilingMinutes\": 20}", "$.inactivity.ceilingMinutes: expected an integer from 30 to 2880, got 20")]
    [InlineData("\"inactivity\": {\"ceilingMinutes\": 3000}", "$.inactivity.ceilingMinutes: expected an integer from 30 to 2880, got 3000")]
    [InlineData("\"inactivity\": {\"ceilingMinutes\": 120, \"floorMinutes\": 180}", "$.inactivity.floorMinutes: must not be above ceilingMinutes (120)")]
    [InlineData("\"inactivity\": {\"ceilingMinutes\": 30, \"floorMinutes\": 30, \"promptMinutes\": 30}", "$.inactivity.promptMinutes: must be below ceilingMinutes (30)")]
    [InlineData("\"inactivity\": {\"sensitivity\": 6}", "$.inactivity.sensitivity: expected an integer from 1 to 5, got 6")]
    [InlineData("\"inactivity\": {\"promptMinutes\": 45}", "$.inactivity.promptMinutes: expected an integer from 0 to 30, got 45")]
    [InlineData("\"inactivity\": {\"nightStart\": \"25:00\"}", "$.inactivity.nightStart: expected a local time HH:MM")]
    [InlineData("\"inactivity\": {\"learnn\": true}", "$.inactivity.learnn: unknown setting")]
    [InlineData("\"inactivity\": {\"upByLatest\": \"04:30\"}", "$.inactivity.upByLatest: expected the latest local time the resident is usually up by, HH:MM from 05:00 to 14:00, or \"off\"; got \"04:30\"")]
    [InlineData("\"inactivity\": {\"upByLatest\": \"9:00\"}", "$.inactivity.upByLatest: expected the latest local time the resident is usually up by, HH:MM from 05:00 to 14:00, or \"off\"; got \"9:00\"")]
    [InlineData("\"inactivity\": {\"upByLatest\": 10}", "$.inactivity.upByLatest")]
    [InlineData("\"inactivity\": {\"upByMarginMinutes\": 300}", "$.inactivity.upByMarginMinutes: expected an integer from 0 to 240, got 300")]
    [InlineData("\"inactivity\": {\"awayLimitMinutes\": 30}", "$.inactivity.awayLimitMinutes: must be 0 (off) or from 60 to 2880 minutes")]
    [InlineData("\"inactivity\": {\"awayLimitMinutes\": 3000}", "$.inactivity.awayLimitMinutes: expected an integer from 0 to 2880, got 3000")]
    public void Inactivity_settings_are_bounded(string member, string expected)
    {
        string json = TestBench.DemoConfigJson.Replace("\"heartbeatMinutes\": 5", "\"heartbeatMinutes\": 5, " + member);
        Assert.Contains(Errors(json), e => e.Contains(expected));
    }

    [Fact]
    public void Inactivity_defaults_are_the_documented_ones()
    {
        var c = Parse(TestBench.DemoConfigJson).Inactivity;
        Assert.True(c.Enabled && c.Learn);
        Assert.Equal(720, c.CeilingMinutes);
        Assert.Equal(60, c.FloorMinutes);
        Assert.Equal(3, c.Sensitivity);
        Assert.Equal(5, c.PromptMinutes);
        Assert.Equal(15, c.AwayConfirmMinutes);
        Assert.Equal(23 * 60, c.NightStartMinute);
        Assert.Equal(6 * 60, c.NightEndMinute);
        Assert.Equal(30, c.NightDoorMinutes);
        Assert.Equal(10 * 60, c.UpByLatestMinute);
        Assert.Equal(60, c.UpByMarginMinutes);
        Assert.Equal(0, c.AwayLimitMinutes);
    }

    [Fact]
    public void Up_by_can_be_set_or_switched_off_and_mats_are_input_kinds()
    {
        var c = Parse(TestBench.DemoConfigJson.Replace("\"heartbeatMinutes\": 5", "\"heartbeatMinutes\": 5, \"inactivity\": {\"upByLatest\": \"11:15\", \"upByMarginMinutes\": 45}")).Inactivity;
        Assert.Equal(11 * 60 + 15, c.UpByLatestMinute);
        Assert.Equal(45, c.UpByMarginMinutes);
        Assert.Equal(-1, Parse(TestBench.DemoConfigJson.Replace("\"heartbeatMinutes\": 5", "\"heartbeatMinutes\": 5, \"inactivity\": {\"upByLatest\": \"off\"}")).Inactivity.UpByLatestMinute);
        var mats = Parse(TestBench.DemoConfigJson.Replace("{ \"id\": \"smoke\"", "{ \"id\": \"bed\", \"kind\": \"bed\", \"pin\": 32 },\n    { \"id\": \"chair\", \"kind\": \"chair\", \"pin\": 33 },\n    { \"id\": \"smoke\""));
        Assert.Equal(PingAnTong.Edge.Core.Inputs.InputKind.Bed, mats.FindInput("bed").Kind);
        Assert.Equal(PingAnTong.Edge.Core.Inputs.InputKind.Chair, mats.FindInput("chair").Kind);
        Assert.Contains(Errors(TestBench.DemoConfigJson.Replace("\"kind\": \"motion\"", "\"kind\": \"beds\"")), e => e.Contains("gas, bed, chair, got \"beds\""));
    }

    [Fact]
    public void Every_problem_is_listed_not_just_the_first()
    {
        string json = TestBench.DemoConfigJson.Replace("\"heartbeatMinutes\": 5", "\"heartbeatMinutes\": 0").Replace("\"port\": 1883", "\"port\": 0");
        var errors = Errors(json);
        Assert.Contains(errors, e => e.StartsWith("$.heartbeatMinutes"));
        Assert.Contains(errors, e => e.StartsWith("$.broker.port"));
    }

    [Fact]
    public void A_config_without_an_sos_input_is_refused()
    {
        string json = TestBench.DemoConfigJson.Replace("\"kind\": \"sos\"", "\"kind\": \"contact\"");
        Assert.Contains(Errors(json), e => e.Contains("at least one input of kind \"sos\""));
    }

    [Fact]
    public void Broken_json_is_refused_with_its_position()
    {
        var errors = Errors("{\"version\": 1,");
        Assert.Contains(errors, e => e.Contains("at byte"));
    }

    [Fact]
    public void Stored_config_that_became_invalid_is_refused_at_boot_and_the_fallback_is_used()
    {
        var store = new MemoryStore();
        var b = new TestBench(store: store);
        b.Connect();
        string next = TestBench.DemoConfigJson.Replace("\"version\": 1", "\"version\": 2");
        b.SendCommand($$"""{"id":"cfg","cmd":"config","config":{{next}}}""");
        Assert.Equal(2, b.Hub.Config.Version);
        // Both slots damaged: neither is trusted, the hub runs on the fallback and reports storage trouble.
        foreach (var name in store.Names.Where(n => n.StartsWith("config.")).ToList()) store.Corrupt(name, 10);
        b.Restart();
        Assert.Equal("fallback", b.Hub.ConfigSource);
        Assert.True(b.Hub.StorageFault);
    }
}
