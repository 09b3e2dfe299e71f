using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Device;
using PingAnTong.Edge.Pat;
using Xunit;
using static PingAnTong.Edge.Tests.PatRun;

namespace PingAnTong.Edge.Tests;

/// <summary>
/// The hub validator's problems in pat's language (<see cref="ValidatorText"/>): every template has English and
/// Chinese; a corpus of bad configs and pin maps that reaches every message of the core's validator (ConfigParser,
/// ConfigFields, PinMap, JsonReader) and of pat's own rules produces only messages the catalog knows, so a new or
/// changed core message fails here until it is translated; and pat validate --lang zh-CN says them in Chinese.
/// </summary>
public class PatValidatorTextTests
{
    private static string Placeholders(string format) =>
        string.Join(",", Regex.Matches(format, @"\{\d+\}").Select(m => m.Value).Distinct().OrderBy(x => x));

    [Fact]
    public void Every_template_has_english_and_chinese_with_the_same_placeholders()
    {
        var all = Text.All().ToDictionary(m => m.Key);
        Assert.True(ValidatorText.Entries.Length >= 90, $"only {ValidatorText.Entries.Length} templates");
        foreach (var key in ValidatorText.Entries.Select(e => e.Key).Concat(ValidatorText.Fragments))
        {
            Assert.True(all.TryGetValue(key, out var m), key + " is not in Messages.resx");
            Assert.False(string.IsNullOrWhiteSpace(m.Chinese), key + " has no Chinese text");
            Assert.Equal(Placeholders(m.English), Placeholders(m.Chinese));
            Assert.Matches(@"[\u4e00-\u9fff（）]", m.Chinese);
        }
        foreach (var e in ValidatorText.Entries)
            foreach (int i in e.Described) Assert.Contains("{" + i + "}", all[e.Key].English);
    }

    private const string BaseConfig = """
        { "version": 1, "hubId": "hub-1", "location": "home", "broker": { "host": "h", "caFile": "ca.pem", "username": "hub-1" },
          "inputs": [ { "id": "sos", "kind": "sos", "pin": 25 } ] }
        """;

    private const string Salt = "abcdefgh", Hash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static byte[] Config(Action<JsonObject> change)
    {
        var root = JsonNode.Parse(BaseConfig)!.AsObject();
        change(root);
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private static JsonNode Json(string text) => JsonNode.Parse(text);

    /// <summary>Documents the JSON reader refuses, one per message.</summary>
    private static IEnumerable<byte[]> BadJson()
    {
        yield return null;
        yield return Encoding.UTF8.GetBytes(new string(' ', JsonLimitsBytes + 1));
        foreach (var text in new[]
                 {
                     "{} x", "{\"a\":", "{\"a\": @}", new string('[', 17) + new string(']', 17), "{1:2}", "{\"a\":1,\"a\":2}", "{\"a\" 1}", "{\"a\":1 \"b\":2}",
                     "[1 2]", "[-]", "[01]", "[1.]", "[1e]", "[1e999]", "[" + new string('1', 70) + "]", "[\"abc", "[\"a\u0001\"]", "[\"a\\", "[\"\\q\"]",
                     "[\"\\u12\"]", "[\"" + new string('a', 300) + "\"]", "[tru]",
                     "{" + string.Join(",", Enumerable.Range(0, 33).Select(i => $"\"m{i}\":0")) + "}",
                     "[" + string.Join(",", Enumerable.Range(0, 65).Select(_ => "0")) + "]",
                     "[" + string.Join(",", Enumerable.Range(0, 40).Select(_ => "[" + string.Join(",", Enumerable.Repeat("0", 14)) + "]")) + "]",
                 })
            yield return Encoding.UTF8.GetBytes(text);
        yield return new byte[] { (byte)'[', (byte)'"', 0xFF, (byte)'"', (byte)']' };
    }

    private const int JsonLimitsBytes = PingAnTong.Edge.Core.Json.JsonLimits.MaxConfigBytes;

    /// <summary>Configs with problems, together reaching every message of ConfigParser, ConfigFields and pat's own rules.</summary>
    private static IEnumerable<byte[]> BadConfigs()
    {
        yield return Encoding.UTF8.GetBytes("[]");
        var changes = new Action<JsonObject>[]
        {
            r => r["bogus"] = 1,
            r => { for (int i = 0; i < 11; i++) r["x" + i] = i; },
            r => { for (int i = 0; i < 12; i++) r["x" + i] = i; },
            r => r.Remove("version"),
            r => r["version"] = "x",
            r => r["version"] = 0,
            r => r["version"] = 1.5,
            r => r.Remove("hubId"),
            r => r["hubId"] = 5,
            r => r["hubId"] = "",
            r => r["hubId"] = "a b",
            r => r["location"] = null,
            r => r["location"] = new string('x', 40),
            r => r["broker"] = new JsonArray(),
            r => r["topicPrefix"] = "/x",
            r => r["topicPrefix"] = "a/#",
            r => r["broker"]!["tls"] = false,
            r => r["broker"]!["tls"] = "yes",
            r => r["broker"]!["insecureForTesting"] = true,
            r => r["broker"]!["insecureForTesting"] = "x",
            r => { r["broker"]!["tls"] = false; r["broker"]!["insecureForTesting"] = true; r["broker"]!.AsObject().Remove("username"); },
            r => r["broker"]!.AsObject().Remove("caFile"),
            r => r["console"] = Json($$"""{ "pinKdf": "md5", "pinIterations": 5, "pinSalt": "{{Salt}}", "pinHash": "{{Hash}}" }"""),
            r => r["console"] = Json($$"""{ "pinKdf": "pbkdf2-sha256", "pinSalt": "{{Salt}}", "pinHash": "{{Hash}}" }"""),
            r => r["console"] = Json($$"""{ "pinIterations": 1000, "pinSalt": "{{Salt}}", "pinHash": "{{Hash}}" }"""),
            r => r["console"] = Json("""{ "language": "fr", "pinSalt": "abc", "pinHash": "zz" }"""),
            r => r["console"] = Json("""{ "pinKdf": "pbkdf2-sha256", "pinIterations": 1000, "pinSalt": "abc defgh", "pinHash": "zz" }"""),
            r => r["inactivity"] = Json("""{ "ceilingMinutes": 30, "floorMinutes": 60, "promptMinutes": 30, "enabled": 1 }"""),
            r => r["inactivity"] = Json("""{ "upByLatest": "04:00", "nightStart": "25:00" }"""),
            r => r["inactivity"] = Json("""{ "awayLimitMinutes": 30 }"""),
            r => r["inputs"] = 5,
            r => r.Remove("inputs"),
            r => r["inputs"] = Json("[3]"),
            r => r["inputs"] = Json("""[ { "id": "sos", "kind": "sos", "pin": 25 }, { "id": "sos", "kind": "dor", "pin": 26 } ]"""),
            r => r["sensors"] = new JsonObject(),
            r => r["sensors"] = Json("""[ { "id": "t", "kind": "humid", "address": 72 }, { "id": "t", "kind": "temperature", "address": 72, "high": 10, "low": 20 } ]"""),
            r =>
            {
                r["inputs"] = Json("""[ { "id": "sos", "kind": "sos", "pin": 7 }, { "id": "a", "kind": "door", "pin": 25 }, { "id": "b", "kind": "door", "pin": 25 }, { "id": "c", "kind": "door", "pin": 26 }, { "id": "d", "kind": "door", "pin": 27 } ]""");
                r["indicators"] = Json("""{ "ledPin": 26, "buzzerPin": 27 }""");
            },
            r => r["indicators"] = Json("""{ "ledPin": 8, "buzzerPin": 35 }"""),
            r => r["indicators"] = Json("""{ "ledPin": 9, "buzzerPin": 34 }"""),
            r => r["indicators"] = Json("""{ "ledPin": 2, "buzzerPin": 2 }"""),
        };
        foreach (var change in changes) yield return Config(change);
    }

    private const string BaseMap = """
        { "board": "test-board", "module": "m", "nanoffTarget": "ESP32_REV3",
          "pins": [ { "pin": 25, "use": "input", "pull": "internal_up" }, { "pin": 26, "use": "output" }, { "pin": 4, "use": "pwm" } ] }
        """;

    private static byte[] Map(Action<JsonObject> change)
    {
        var root = JsonNode.Parse(BaseMap)!.AsObject();
        change(root);
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    /// <summary>Pin maps with problems, reaching every message of PinMap.Parse.</summary>
    private static IEnumerable<byte[]> BadMaps()
    {
        yield return Encoding.UTF8.GetBytes("[]");
        yield return Encoding.UTF8.GetBytes("{");
        var changes = new Action<JsonObject>[]
        {
            r => r["flashMegabytes"] = 12,
            r => r.Remove("pins"),
            r => r["pins"] = Json("""[ { "pin": 5, "use": "bogus", "pull": "weird" } ]"""),
            r => r["pins"] = Json("""[ { "pin": 25, "use": "input" }, { "pin": 25, "use": "output" }, { "pin": 20, "use": "input" }, { "pin": 6, "use": "input" }, { "pin": 1, "use": "input" }, { "pin": 12, "use": "output" }, { "pin": 34, "use": "output", "pull": "internal_up" }, { "pin": 0, "use": "input" } ]"""),
            r => r["pins"] = Json("""[ { "pin": 14, "use": "analog" }, { "pin": 18, "use": "analog" }, { "pin": 21, "use": "i2c1_sda", "pull": "none" } ]"""),
            r => { r["psramMegabytes"] = 8; r["pins"] = Json("""[ { "pin": 16, "use": "output" } ]"""); },
        };
        foreach (var change in changes) yield return Map(change);
    }

    /// <summary>Configs that do not fit <see cref="BaseMap"/>'s board.</summary>
    private static IEnumerable<HubConfig> MisfitConfigs()
    {
        yield return ConfigParser.Parse(Config(r =>
        {
            r["inputs"] = Json("""[ { "id": "sos", "kind": "sos", "pin": 27 }, { "id": "door", "kind": "door", "pin": 26 } ]""");
            r["indicators"] = Json("""{ "ledPin": 13, "buzzerPin": 25 }""");
            r["sensors"] = Json("""[ { "id": "t", "kind": "temperature", "address": 72 } ]""");
        }));
        yield return ConfigParser.Parse(Config(r => r["indicators"] = Json("""{ "ledPin": 4 }""")));
    }

    /// <summary>Every English message the corpus produces: the core's own, and pat validate's (which adds its rules, warnings and the pin map prefix).</summary>
    private static List<string> CorpusMessages()
    {
        var messages = new List<string>();
        foreach (var json in BadJson().Concat(BadConfigs()))
        {
            try { ConfigParser.Parse(json); }
            catch (ConfigException e) { messages.AddRange(e.Errors.Cast<string>()); }
            if (json == null) continue;
            messages.AddRange(ConfigValidate.Check(json, null, out _, out var warnings));
            messages.AddRange(warnings);
        }
        foreach (var json in BadMaps())
        {
            var e = Assert.Throws<ConfigException>(() => PinMap.Parse(json));
            messages.AddRange(e.Errors.Cast<string>());
        }
        var map = PinMap.Parse(Encoding.UTF8.GetBytes(BaseMap));
        foreach (var config in MisfitConfigs()) messages.AddRange(map.CheckConfig(config).Cast<string>());
        var unknownBoard = ConfigValidate.Check(Config(_ => { }), "no-such-board", out _);
        messages.AddRange(unknownBoard);
        messages.AddRange(unknownBoard.Select(m => m.Substring(m.IndexOf(": ", StringComparison.Ordinal) + 2))); // inside "pin map BOARD: …"
        return messages;
    }

    [Fact]
    public void Every_message_of_the_validator_is_in_the_catalog()
    {
        Text.Culture = Text.English;
        var messages = CorpusMessages();
        var unknown = messages.Where(m => ValidatorText.Match(m) == null).Distinct().ToList();
        Assert.True(unknown.Count == 0, "validator messages without a template in ValidatorText (add them to Messages.resx and Messages.zh-CN.resx):\n" + string.Join("\n", unknown));

        // The corpus reaches every template, so the guard above covers every message site. Two are pat's warnings for a
        // hub core older than pat (issue 17), which the core this pat is built with cannot produce.
        var reached = messages.Select(ValidatorText.Match).ToHashSet();
        var unreachable = new HashSet<string>();
        if (!CoreSupport.Pending.Any()) unreachable.Add("VPatPending");
        if (CoreSupport.CoreVerifiesPbkdf2Pins) unreachable.Add("VPatLegacyPinCore"); else unreachable.Add("VPatLegacyPinProvision");
        var missed = ValidatorText.Entries.Select(e => e.Key).Where(k => !reached.Contains(k) && !unreachable.Contains(k)).ToList();
        Assert.True(missed.Count == 0, "templates no corpus message reaches (add a bad config that makes the message): " + string.Join(", ", missed));

        // Every message has a Chinese rendering with its path and values kept, and none is left in English.
        foreach (var message in messages.Distinct())
        {
            string chinese = ValidatorText.Translate(message, Text.Chinese);
            Assert.NotEqual(message, chinese);
            Assert.Matches(@"[\u4e00-\u9fff]", chinese);
            var path = Regex.Match(message, @"^\$[^ :]*");
            if (path.Success) Assert.StartsWith(path.Value, chinese);
            Assert.Equal(message, ValidatorText.Translate(message, Text.English));
        }
    }

    /// <summary>
    /// The corpus above only guards the messages it reaches. This reads the core's sources: every text a validator
    /// <c>Error(…)</c> call is built from (its string literals with a space, not paths) must be part of an English
    /// template, so a message added to the core without a case in the corpus, or without a translation, fails here too.
    /// </summary>
    [Fact]
    public void Every_text_of_a_core_error_call_is_part_of_a_template()
    {
        var templates = ValidatorText.Entries.Select(e => e.Key).Concat(ValidatorText.Fragments)
            .Select(k => Text.All().First(m => m.Key == k).English).ToList();
        string core = Path.Combine(Paths.RepoRoot, "firmware", "PingAnTong.Edge.Core");
        var missing = new List<string>();
        int calls = 0;
        foreach (var file in new[] { "Config", "Device", "Json" }.SelectMany(d => Directory.GetFiles(Path.Combine(core, d), "*.cs")))
        {
            string source = File.ReadAllText(file);
            foreach (Match call in Regex.Matches(source, @"\bError\("))
            {
                // The call's text: up to its closing parenthesis (string literals skipped while counting).
                int depth = 0, i = call.Index + call.Length - 1;
                for (; i < source.Length; i++)
                {
                    char c = source[i];
                    if (c == '"') { i++; while (source[i] != '"') i += source[i] == '\\' ? 2 : 1; }
                    else if (c == '(') depth++;
                    else if (c == ')' && --depth == 0) break;
                }
                string text = source[call.Index..i];
                if (text.StartsWith("Error(string") || text.StartsWith("Error(JsonNode")) continue; // the declarations
                calls++;
                foreach (Match literal in Regex.Matches(text, @"""((?:[^""\\]|\\.)*)"""))
                {
                    string piece = Regex.Unescape(literal.Groups[1].Value);
                    if (piece.StartsWith("$") || !piece.Trim().Contains(' ')) continue;
                    if (!templates.Any(t => t.Contains(piece))) missing.Add($"{Path.GetFileName(file)}: \"{piece}\"");
                }
            }
        }
        Assert.True(calls >= 40, $"found only {calls} Error calls in the core's validator");
        Assert.True(missing.Count == 0, "core validator texts with no template in ValidatorText (add one to Messages.resx and Messages.zh-CN.resx):\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Described_values_are_translated_and_user_text_is_kept()
    {
        Assert.Equal("$.location：应为文本，实际为 数字 5", ValidatorText.Translate("$.location: expected text, got number 5", Text.Chinese));
        Assert.Equal("$.inputs：应为输入的列表，实际为 空", ValidatorText.Translate("$.inputs: expected a list of inputs, got nothing", Text.Chinese));
        Assert.Equal("$.inputs[1].kind：应为以下之一：sos, ok，实际为 \"nothing\"", ValidatorText.Translate("$.inputs[1].kind: expected one of sos, ok, got \"nothing\"", Text.Chinese));
        Assert.Equal("引脚图 x：未知的板子 \"x\"（已知：a, b）", ValidatorText.Translate("pin map x: unknown board \"x\" (known: a, b)", Text.Chinese));
        Assert.Equal("something new the core says", ValidatorText.Translate("something new the core says", Text.Chinese));
    }

    [Fact]
    public void Validate_in_chinese_says_the_problems_in_chinese_with_their_paths()
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("pat-validate-zh-").FullName, "config.json");
        File.WriteAllBytes(file, Config(r => { r["version"] = 0; r["inputs"] = Json("""[ { "id": "sos", "kind": "sos", "pin": 7 } ]"""); }));

        var (rc, _, err) = RunPat("config", "validate", "--lang", "zh-CN", file);
        Assert.Equal(1, rc);
        Assert.Contains($"{file}: $.version：应为 1 到 2147483647 的整数，实际为 0", err);
        Assert.Contains("$.inputs[0].pin：GPIO7 在所有 ESP32 板上都接模块的 SPI 闪存（GPIO6-11）", err);
        Assert.DoesNotContain("expected an integer", err);

        (rc, _, err) = RunPat("config", "validate", "--lang", "en", file);
        Assert.Equal(1, rc);
        Assert.Contains($"{file}: $.version: expected an integer from 1 to 2147483647, got 0", err);
        Assert.Contains("$.inputs[0].pin: GPIO7 is wired to the module's SPI flash (GPIO6-11) on every ESP32 board; using it stops the chip; choose another pin", err);
    }
}
