using PingAnTong.Edge.Simulator.Replay;
using PingAnTong.Edge.Tests;
using PingAnTong.Edge.Tests.Contract;
using Xunit;

namespace PingAnTong.Edge.Integration.Tests;

public class ReplayTests
{
    private static string Data(string name) => Path.Combine(Paths.RepoRoot, "tests", "data", name);

    [Fact]
    public void Replay_of_the_small_recording_produces_the_expected_json_lines()
    {
        var output = new StringWriter();
        ReplayRunner.Run(Data("replay-small.csv"), null, "2011-06-15T08:20:00", output);
        var actual = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        var expected = File.ReadAllLines(Data("replay-small.expected.jsonl")).ToList();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Every_replayed_line_is_a_topic_and_a_schema_valid_payload()
    {
        var output = new StringWriter();
        ReplayRunner.Run(Data("replay-small.csv"), null, "2011-06-15T09:00:00", output);
        foreach (var line in output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = System.Text.Json.JsonDocument.Parse(line);
            string topic = doc.RootElement.GetProperty("topic").GetString();
            string payload = doc.RootElement.GetProperty("payload").GetRawText();
            Assert.Empty(ContractSchemas.Validate(ContractSchemas.ChannelOf(topic), payload));
        }
    }

    [Theory]
    [InlineData("time,sensor,kind\n", ":1: expected the header")]
    [InlineData("time,sensor,kind,state\n2011-06-15T08:00:00,pir,motion,on\n2011-06-15T08:00:01,pir,radar,on\n", ":3: kind: expected one of motion")]
    [InlineData("time,sensor,kind,state\n2011-06-15T08:00:00,pir,motion,maybe\n", ":2: state: expected one of on")]
    [InlineData("time,sensor,kind,state\n2011-06-15T08:00:00,pir,motion\n", ":2: expected 4 fields")]
    [InlineData("time,sensor,kind,state\n2011-06-15T08:00:05,pir,motion,on\n2011-06-15T08:00:01,pir,motion,off\n", ":3: time: goes back in time")]
    public void Malformed_lines_stop_the_run_with_their_line_number(string csv, string expected)
    {
        string path = Path.GetTempFileName();
        File.WriteAllText(path, csv);
        var e = Assert.Throws<FormatException>(() => ReplayRunner.Run(path, null, null, new StringWriter()));
        Assert.Contains(path + expected, e.Message);
    }

    [Fact]
    public void A_sensor_unknown_to_the_given_config_is_reported_with_its_line()
    {
        string csv = Path.GetTempFileName();
        File.WriteAllText(csv, "time,sensor,kind,state\n2011-06-15T08:00:00,kitchen_pir,motion,on\n");
        string config = Path.Combine(Paths.RepoRoot, "tools", "PingAnTong.Edge.Simulator", "demo-config.json");
        var e = Assert.Throws<FormatException>(() => ReplayRunner.Run(csv, config, null, new StringWriter()));
        Assert.Contains(":2: sensor \"kitchen_pir\" is not an input", e.Message);
    }
}
