using System.Text;
using PingAnTong.Edge.Core.Inputs;
using PingAnTong.Edge.Fakes;
using Xunit;

namespace PingAnTong.Edge.Tests.Contract;

/// <summary>Every message the core emits, in a day that exercises every kind of message, is valid against docs/schemas.</summary>
public class ContractTests
{
    private static TestBench BusyDay()
    {
        var b = new TestBench();
        b.Clock.SyncWallClock(new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc));
        b.Connect();
        b.Press("pir");
        b.Press("door");
        b.Press("sos");
        string sosId = Hub.Json.Events(b).First(e => Hub.Json.Str(e, "kind") == "sos").GetProperty("id").GetString();
        b.Press("ok", 2500);
        b.SendCommand($$"""{"id":"c1","cmd":"ack","alarmId":"{{sosId}}"}""");
        b.SendCommand($$"""{"id":"c2","cmd":"close","alarmId":"{{sosId}}"}""");
        b.SendCommand("""{"id":"c3","cmd":"notice","noticeId":"n1"}""");
        b.Press("ok");
        b.SendCommand("""{"id":"c4","cmd":"test","kind":"gas"}""");
        b.SendCommand("""{"id":"c5","cmd":"heartbeat","minutes":10}""");
        b.SendCommand("""{"id":"c6","cmd":"bogus"}""");
        b.SendCommand("""not json""");
        b.SendCommand("""{"id":"c7","cmd":"rebirth"}""");
        b.SetInput("smoke", true); b.Run(1000);
        b.SetInput("smoke", false); b.Run(1000);
        b.SetInput("mains", false); b.Run(70_000, 1000);
        b.SetInput("battery", true); b.Run(1000);
        b.Sensors.Set("gas", 3000);
        b.Sensors.Set("temp", 450);
        b.Run(120_000, 1000);
        b.Sensors.Fail("temp", SensorStatus.ChecksumError);
        b.Run(200_000, 1000);
        b.Transport.Drop();
        b.Run(60_000, 1000);
        b.Run(86_400_000, 60_000);
        return b;
    }

    [Fact]
    public void Every_published_message_is_valid_against_its_schema()
    {
        var b = BusyDay();
        var channels = b.Transport.Publishes.Select(p => ContractSchemas.ChannelOf(p.Topic)).Distinct().OrderBy(x => x).ToList();
        Assert.Equal(new[] { "alive", "event", "health", "reply", "status" }, channels);
        var kinds = b.Transport.On("event").Select(p => Hub.Json.Str(Hub.Json.Payload(p), "kind")).Distinct().ToList();
        foreach (var k in new[] { "sos", "smoke", "gas", "heat", "mains", "battery", "sensor_fault", "notice", "boot" }) Assert.Contains(k, kinds);
        foreach (var p in b.Transport.Publishes)
        {
            var errors = ContractSchemas.Validate(ContractSchemas.ChannelOf(p.Topic), p.Payload);
            Assert.True(errors.Count == 0, $"{p.Topic} {p.Payload}\n" + string.Join("\n", errors));
        }
    }

    [Fact]
    public void The_will_is_valid_against_the_status_schema()
    {
        var b = new TestBench();
        b.Connect();
        var will = Encoding.UTF8.GetString(b.Transport.Connects[0].WillPayload);
        Assert.Empty(ContractSchemas.Validate("status", will));
    }

    [Fact]
    public void The_clean_shutdown_status_is_valid_against_the_status_schema_and_ends_the_current_session()
    {
        var b = new TestBench();
        b.Clock.SyncWallClock(new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc));
        b.Connect();
        string offline = Encoding.UTF8.GetString(PingAnTong.Edge.Core.Telemetry.StatusPayload.Offline(b.Hub));
        Assert.Empty(ContractSchemas.Validate("status", offline));
        var birth = System.Text.Json.JsonDocument.Parse(b.Transport.On("status").Last().Payload).RootElement;
        var o = System.Text.Json.JsonDocument.Parse(offline).RootElement;
        Assert.Equal("offline", o.GetProperty("state").GetString());
        Assert.Equal(birth.GetProperty("session").GetInt32(), o.GetProperty("session").GetInt32());
        Assert.Equal(birth.GetProperty("bootCount").GetInt32(), o.GetProperty("bootCount").GetInt32());
        // offline says when it stopped; the schema requires it.
        Assert.NotEmpty(ContractSchemas.Validate("status", """{"state":"offline","hubId":"h","bootCount":1,"session":1}"""));
    }

    [Fact]
    public void Schemas_reject_what_the_contract_forbids()
    {
        Assert.NotEmpty(ContractSchemas.Validate("event", """{"id":"h-1-1","seq":1,"hubId":"h","kind":"sos","class":"alarm","state":"raised","priority":0,"ts":null,"uptimeMs":5,"attempt":1,"escalated":false,"historical":false}""")); // alarm without location
        Assert.NotEmpty(ContractSchemas.Validate("event", """{"id":"h-1-1","seq":1,"hubId":"h","kind":"flood","class":"info","state":"raised","priority":0,"ts":null,"uptimeMs":5,"attempt":1,"escalated":false,"historical":false}"""));
        string zeros = new string('0', 64);
        Assert.NotEmpty(ContractSchemas.Validate("cmd", $$"""{"id":"x","cmd":"ack","issuedAt":1,"sig":"{{zeros}}"}""")); // ack without alarmId
        Assert.NotEmpty(ContractSchemas.Validate("cmd", """{"id":"x","cmd":"ack","alarmId":"h-1-2"}""")); // unsigned
        Assert.NotEmpty(ContractSchemas.Validate("cmd", """{"id":"x","cmd":"ack","alarmId":"h-1-2","issuedAt":1,"sig":"ABC"}"""));
        Assert.Empty(ContractSchemas.Validate("cmd", $$"""{"id":"x","cmd":"ack","alarmId":"h-1-2","issuedAt":1,"sig":"{{zeros}}"}"""));
    }

    [Fact]
    public void Commands_in_the_contract_examples_are_valid()
    {
        string doc = File.ReadAllText(Path.Combine(Paths.RepoRoot, "docs", "mqtt-contract.md"));
        var examples = System.Text.RegularExpressions.Regex.Matches(doc, "```json cmd\n(.*?)\n```", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(examples.Count >= 6, "the contract should show an example of each command");
        foreach (System.Text.RegularExpressions.Match m in examples) Assert.Empty(ContractSchemas.Validate("cmd", m.Groups[1].Value));
    }

    /// <summary>The example key of the contract's "Signed commands" (documented as never to be used).</summary>
    private const string ExampleKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    [Fact]
    public void Every_command_example_in_the_contract_is_signed_as_the_contract_says()
    {
        string doc = File.ReadAllText(Path.Combine(Paths.RepoRoot, "docs", "mqtt-contract.md"));
        Assert.Contains(ExampleKeyHex, doc);
        var key = new PingAnTong.Edge.Core.Security.HmacSha256(Convert.FromHexString(ExampleKeyHex));
        var examples = System.Text.RegularExpressions.Regex.Matches(doc, "```json cmd\n(.*?)\n```", System.Text.RegularExpressions.RegexOptions.Singleline);
        foreach (System.Text.RegularExpressions.Match m in examples)
        {
            byte[] payload = Encoding.UTF8.GetBytes(m.Groups[1].Value);
            int at = PingAnTong.Edge.Core.Security.CommandSignature.FindSignature(payload, payload.Length);
            Assert.True(at > 0, "no signature at the end of " + m.Groups[1].Value);
            Assert.True(PingAnTong.Edge.Core.Security.CommandSignature.Verify(key, "hub-0001", payload, at), "wrong signature on " + m.Groups[1].Value);
        }
        // The worked example: B as shown, and its MAC as shown, computed independently of the core.
        const string b = """{"id":"cc-20260601-0042","cmd":"ack","alarmId":"hub-0001-3-517","issuedAt":1780280060000}""";
        Assert.Contains("\n" + b + "\n", doc);
        string mac = Convert.ToHexString(System.Security.Cryptography.HMACSHA256.HashData(Convert.FromHexString(ExampleKeyHex), Encoding.UTF8.GetBytes("pat-cmd-v1\nhub-0001\n" + b))).ToLowerInvariant();
        Assert.Contains("HMAC-SHA256 gives `" + mac + "`", doc);
        Assert.Contains(b[..^1] + ",\"sig\":\"" + mac + "\"}", doc);
    }

    [Fact]
    public void The_hub_takes_the_contracts_signed_example_and_refuses_it_for_another_hub()
    {
        string doc = File.ReadAllText(Path.Combine(Paths.RepoRoot, "docs", "mqtt-contract.md"));
        string ack = System.Text.RegularExpressions.Regex.Match(doc, "```json cmd\n(\\{\"id\":\"cc-20260601-0042\".*?)\n```", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        Assert.NotEmpty(ack);
        foreach (var (hubId, status) in new[] { ("hub-0001", PingAnTong.Edge.Core.Net.CommandStatus.NotFound), ("hub-0002", PingAnTong.Edge.Core.Net.CommandStatus.BadSignature) })
        {
            var b = new TestBench(TestBench.DemoConfigJson.Replace("hub-0001", hubId)) { DeployedKeyHex = ExampleKeyHex };
            b.Restart();
            b.Clock.SyncWallClock(1780280060000 + 5_000);
            b.Connect();
            b.SendRaw(ack);
            var reply = Hub.Json.Replies(b).Last();
            Assert.Equal("cc-20260601-0042", Hub.Json.Str(reply, "commandId"));
            Assert.Equal(status, reply.GetProperty("status").GetInt32()); // hub-0001: signed and fresh, only the alarm is unknown here
        }
    }
}

public class AsyncApiTests
{
    [Fact]
    public void AsyncApi_document_names_every_channel_and_schema()
    {
        string doc = File.ReadAllText(Path.Combine(Paths.RepoRoot, "docs", "asyncapi.yaml"));
        Assert.StartsWith("asyncapi: 3.0.0", doc);
        foreach (var channel in new[] { "status", "event", "alive", "health", "reply", "cmd" }) Assert.Contains("'{prefix}/{hubId}/" + channel + "'", doc);
        foreach (var file in Directory.GetFiles(Paths.Schemas, "*.schema.json").Select(Path.GetFileName).Where(f => f != "common.schema.json"))
            Assert.Contains("schemas/" + file, doc);
    }
}
