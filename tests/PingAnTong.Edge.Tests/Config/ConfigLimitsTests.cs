using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Json;
using PingAnTong.Edge.Fakes;
using Xunit;
using StjNode = System.Text.Json.Nodes.JsonNode;

namespace PingAnTong.Edge.Tests.Config;

/// <summary>
/// Issue 16, finding 10, for configs: the limits admit the largest config an ESP32 can use, refuse
/// anything bigger cheaply, and a refusal lists a bounded number of problems in a bounded message.
/// </summary>
public class ConfigLimitsTests
{
    /// <summary>Every GPIO of an ESP32 an input can use (0-5, 12-19, 21-23, 25-27, 32-39: not the SPI flash's 6-11) but the LED and buzzer pins an input with every member at its longest, eight sensors likewise.</summary>
    private static JsonObject LargestEsp32Config()
    {
        int[] gpio = Enumerable.Range(0, 40).Where(p => p != 20 && p != 24 && (p < 28 || p > 31) && (p < 6 || p > 11) && p != 2 && p != 4).ToArray();
        var inputs = new JsonArray();
        foreach (int pin in gpio)
        {
            inputs.Add(new JsonObject
            {
                ["id"] = (pin == 0 ? "sos" : "input-") + pin.ToString().PadLeft(18, '0'), ["kind"] = pin == 0 ? "sos" : "battery_low", ["pin"] = pin,
                ["activeLow"] = false, ["debounceMs"] = 2000, ["chatterEdges"] = 1000, ["chatterWindowMs"] = 600000, ["supervisionHours"] = 168,
            });
        }
        var sensors = new JsonArray();
        for (int i = 0; i < 8; i++)
        {
            sensors.Add(new JsonObject
            {
                ["id"] = "temperature-sensor-" + i.ToString().PadLeft(5, '0'), ["kind"] = "temperature", ["bus"] = "i2c1-long-name-x", ["address"] = 100 + i,
                ["intervalSeconds"] = 600, ["high"] = 1000, ["low"] = -400, ["hysteresis"] = 5000, ["warmupSeconds"] = 3600, ["failuresBeforeFault"] = 100,
            });
        }
        return new JsonObject
        {
            ["version"] = 2147483647, ["hubId"] = new string('h', 40), ["location"] = new string('l', 32), ["utcOffsetMinutes"] = -720,
            ["topicPrefix"] = new string('p', 64),
            ["broker"] = new JsonObject
            {
                ["host"] = new string('b', 253), ["port"] = 65535, ["tls"] = true, ["caFile"] = new string('c', 64),
                ["username"] = new string('u', 64), ["passwordFile"] = new string('w', 64), ["keepAliveSeconds"] = 60,
            },
            ["inputs"] = inputs, ["sensors"] = sensors,
            ["indicators"] = new JsonObject { ["ledPin"] = 2, ["buzzerPin"] = 4 },
            ["alivePing"] = new JsonObject { ["time"] = "23:59", ["spreadMinutes"] = 240 },
            ["heartbeatMinutes"] = 60, ["okLongPressMs"] = 10000, ["mainsDebounceSeconds"] = 600,
            ["inactivity"] = new JsonObject
            {
                ["enabled"] = false, ["learn"] = false, ["ceilingMinutes"] = 2880, ["floorMinutes"] = 2880, ["sensitivity"] = 5, ["promptMinutes"] = 30,
                ["awayConfirmMinutes"] = 60, ["nightStart"] = "23:59", ["nightEnd"] = "23:59", ["nightDoorMinutes"] = 240,
            },
            ["console"] = new JsonObject
            {
                ["pinKdf"] = "pbkdf2-sha256", ["pinIterations"] = PingAnTong.Edge.Core.Security.PinVerifier.MaxIterations, ["pinSalt"] = new string('s', 64),
                ["pinHash"] = new string('a', 64), ["unlockMinutes"] = 60, ["language"] = "zh-CN",
            },
            ["security"] = new JsonObject { ["commandKeyFile"] = new string('k', 64) },
        };
    }

    [Fact]
    public void The_largest_config_an_esp32_can_use_fits_the_limits_compact_indented_and_in_a_command()
    {
        var config = LargestEsp32Config();
        byte[] compact = Encoding.UTF8.GetBytes(config.ToJsonString());
        byte[] indented = Encoding.UTF8.GetBytes(config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        byte[] command = Encoding.UTF8.GetBytes(new JsonObject { ["id"] = new string('i', 64), ["cmd"] = "config", ["config"] = config.DeepClone() }.ToJsonString());
        Assert.True(indented.Length <= JsonLimits.MaxConfigBytes, $"indented {indented.Length} bytes");
        Assert.True(command.Length <= JsonLimits.MaxCommandBytes, $"command {command.Length} bytes");
        Assert.Equal(26, ConfigParser.Parse(compact).Inputs.Length);
        Assert.Equal(8, ConfigParser.Parse(indented).Sensors.Length);
        Assert.Equal(JsonKind.Object, JsonReader.Parse(command, 0, command.Length, JsonLimits.MaxCommandBytes).Get("config").Kind);
    }

    [Fact]
    public void A_config_over_the_byte_limit_is_refused_at_once_naming_the_limit()
    {
        byte[] big = SyntheticJson.Build("many-inputs", 1 << 20);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ConfigException>(() => ConfigParser.Parse(big));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 8192);
        Assert.Equal($"config refused: $: document of {big.Length} bytes is over the limit of 16384 bytes", e.Message);
    }

    [Fact]
    public void Problems_past_the_tenth_are_counted_not_listed()
    {
        // Forty inputs on pins that do not exist: forty problems, ten messages and a count.
        string inputs = string.Join(",", Enumerable.Range(0, 40).Select(i => $"{{\"id\":\"in{i}\",\"kind\":\"{(i == 0 ? "sos" : "door")}\",\"pin\":{100 + i}}}"));
        string json = TestBench.DemoConfigJson.Substring(0, TestBench.DemoConfigJson.IndexOf("\"inputs\"")) + "\"inputs\": [" + inputs + "]}";
        var e = Assert.Throws<ConfigException>(() => ConfigParser.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(ConfigFields.MaxErrors + 1, e.Errors.Count);
        Assert.Equal("$.inputs[0].pin: expected an integer from 0 to 48, got 100", (string)e.Errors[0]);
        Assert.Equal("and 30 more problems", (string)e.Errors[ConfigFields.MaxErrors]);
        Assert.True(e.Message.Length < 1000, e.Message);
    }

    [Fact]
    public void Long_wrong_values_and_names_are_quoted_clipped()
    {
        string value = new string('v', 200);
        string json = TestBench.DemoConfigJson.Replace("\"version\": 1", $"\"version\": \"{value}\", \"{new string('n', 200)}\": 1");
        var errors = Assert.Throws<ConfigException>(() => ConfigParser.Parse(Encoding.UTF8.GetBytes(json))).Errors.Cast<string>().ToList();
        Assert.Contains($"$.{new string('n', 40)}…: unknown setting", errors[0]);
        Assert.Contains($"$.version: expected an integer from 1 to 2147483647, got text \"{new string('v', 40)}…\"", errors);
        Assert.All(errors, m => Assert.True(m.Length < 400, m));
    }

    [Fact]
    public void Thousands_of_inputs_on_a_few_pins_give_one_message_per_problem_without_comparing_every_pair()
    {
        // The 10,000-input config that took the simulator to 20 GB: now ten messages and a count.
        byte[] doc = SyntheticJson.Build("many-inputs", 430 << 10);
        var e = Assert.Throws<ConfigException>(() => ConfigParser.Parse(doc, 0, doc.Length, ParserWorkTests.Lifted));
        Assert.Equal(ConfigFields.MaxErrors + 1, e.Errors.Count);
        Assert.Equal("$.inputs[1001].id: duplicate input id \"in000\"", (string)e.Errors[0]);
        Assert.Matches("and [0-9]{5} more problems$", e.Message);
    }

    [Fact]
    public void The_hub_refuses_to_store_a_config_it_could_not_read_back_at_boot()
    {
        // Parsed under lifted limits and handed over as a document (as the console's config apply does):
        // valid field by field, but written out it is over the config file limit.
        var big = LargestEsp32Config();
        var sensors = (JsonArray)big["sensors"]!;
        for (int i = 8; i < 60; i++) sensors.Add(StjNode.Parse(sensors[0]!.ToJsonString().Replace("temperature-sensor-00000", "temperature-sensor-" + i.ToString("D5")))!);
        big["hubId"] = "hub-0001";
        big["broker"]!["tls"] = false;
        big["broker"]!["insecureForTesting"] = true;
        byte[] json = Encoding.UTF8.GetBytes(big.ToJsonString());
        var body = JsonReader.Parse(json, 0, json.Length, ParserWorkTests.Lifted);
        var b = new TestBench();
        string problem = b.Hub.ApplyConfigDocument(body, b.Clock.UptimeMs, out bool rebooting, out _);
        Assert.False(rebooting);
        Assert.NotNull(problem);
        Assert.Matches(@"^\$: the config would take [0-9]+ bytes, over the limit of 16384 bytes \(the running config version 1 is kept\)$", problem);
        Assert.Equal(1, b.Hub.Config.Version);
    }
}
