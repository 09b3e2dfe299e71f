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

    [Fact]
    public void Bed_and_chair_mats_replay_as_occupancy_inputs_and_a_bed_exit_at_night_without_return_alarms()
    {
        string csv = Path.GetTempFileName();
        File.WriteAllText(csv, "time,sensor,kind,state\n" +
            "2011-06-15T20:00:00,chair_mat,chair,on\n2011-06-15T22:00:00,chair_mat,chair,off\n2011-06-15T22:01:00,hall_pir,motion,on\n2011-06-15T22:01:05,hall_pir,motion,off\n" +
            "2011-06-15T22:30:00,bed_mat,bed,on\n2011-06-16T02:00:00,bed_mat,bed,off\n2011-06-16T02:01:00,hall_pir,motion,on\n2011-06-16T02:01:05,hall_pir,motion,off\n");
        var output = new StringWriter();
        ReplayRunner.Run(csv, null, "2011-06-16T05:00:00", output);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var line in lines)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(line);
            Assert.Empty(ContractSchemas.Validate(ContractSchemas.ChannelOf(doc.RootElement.GetProperty("topic").GetString()), doc.RootElement.GetProperty("payload").GetRawText()));
        }
        // Out of bed at 02:00, the hall at 02:01, then nothing: the prompt about an hour later, then the alarm.
        var raised = lines.Where(l => l.Contains("\"kind\":\"inactivity\"") && l.Contains("\"state\":\"raised\"")).ToList();
        Assert.NotEmpty(raised);
        Assert.Contains("2011-06-16T03:0", raised[0]);
    }
}
