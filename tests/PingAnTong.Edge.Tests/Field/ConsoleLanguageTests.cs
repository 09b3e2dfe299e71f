using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Field;
using PingAnTong.Edge.Fakes;
using Xunit;

namespace PingAnTong.Edge.Tests.Field;

/// <summary>
/// Issue 15 item 3, the hub's side: the console answers in the language of <c>console.language</c> ("en" by default,
/// "zh-CN"); every message exists in both with the same placeholders; what tools read (command names, keywords,
/// the "error:" prefix, numbers, ids, durations, the prompt) is the same in both.
/// </summary>
public class ConsoleLanguageTests
{
    private const string Pin = ConsoleInterpreterTests.Pin;

    public static string ChineseConfigJson => ConsoleInterpreterTests.PinConfigJson.Replace("\"unlockMinutes\": 10 }", "\"unlockMinutes\": 10, \"language\": \"zh-CN\" }");

    private static TestBench Chinese() => new(ChineseConfigJson, storeConfig: true);

    private static string One(List<string> lines)
    {
        Assert.Single(lines);
        return lines[0];
    }

    private static string Placeholders(string template) =>
        string.Join(",", Regex.Matches(template, @"\{\d\}").Select(m => m.Value).Distinct().OrderBy(x => x));

    [Fact]
    public void The_messages_take_no_heap_while_unused()
    {
        // Static arrays of the 212 templates (106 in each language) stayed on the managed heap for the hub's lifetime (~2.6 KB in the
        // heap model, which put the 8/16 MB boards' worst case at 47.8 of 48 KB); literals in code cost nothing until used.
        var arrays = typeof(ConsoleText).GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(string[]) && f.Name != nameof(ConsoleText.Languages)).Select(f => f.Name);
        Assert.Empty(arrays);
    }

    [Fact]
    public void Every_message_has_english_and_chinese_with_the_same_placeholders_and_error_prefix()
    {
        var ids = typeof(ConsoleText).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(int) && f.Name is not ("En" or "Zh" or "Count" or "HelpLines" or "HelpFirst"))
            .Select(f => (int)f.GetRawConstantValue()!).Concat(Enumerable.Range(ConsoleText.HelpFirst, ConsoleText.HelpLines)).Distinct().OrderBy(i => i).ToList();
        Assert.Equal(Enumerable.Range(0, ConsoleText.Count), ids); // every id named once, no gaps
        for (int id = 0; id < ConsoleText.Count; id++)
        {
            string en = ConsoleText.Template(ConsoleText.En, id), zh = ConsoleText.Template(ConsoleText.Zh, id);
            Assert.False(string.IsNullOrWhiteSpace(en), $"message {id}");
            Assert.False(string.IsNullOrWhiteSpace(zh), $"message {id} has no Chinese text");
            Assert.True(Placeholders(en) == Placeholders(zh), $"message {id}: \"{en}\" / \"{zh}\"");
            Assert.Matches(@"[\u4e00-\u9fff（），；：]", zh); // written in Chinese, not copied
            Assert.Equal(en.StartsWith("error: "), zh.StartsWith("error: ")); // what pat console counts as a failure
        }
        // Help keeps the command names and their arguments in both languages.
        for (int i = 0; i < ConsoleText.HelpLines; i++)
            Assert.Equal(ConsoleText.Template(ConsoleText.En, i).Substring(0, 23), ConsoleText.Template(ConsoleText.Zh, i).Substring(0, 23));
    }

    [Fact]
    public void Fill_replaces_numbered_placeholders_only()
    {
        Assert.Equal("a 1 b 2 c", ConsoleText.Fill("a {0} b {1} c", new[] { "1", "2" }));
        Assert.Equal("{x} {2} 1", ConsoleText.Fill("{x} {2} {0}", new[] { "1" }));
        Assert.Equal("已解锁 10 分钟", ConsoleText.Get(ConsoleText.Zh, ConsoleText.Unlocked, "10"));
    }

    [Fact]
    public void The_config_field_is_validated_with_its_path_and_the_allowed_values()
    {
        Assert.Equal("en", ConfigParser.Parse(Encoding.UTF8.GetBytes(TestBench.DemoConfigJson)).ConsoleLanguage);
        Assert.Equal("zh-CN", ConfigParser.Parse(Encoding.UTF8.GetBytes(ChineseConfigJson)).ConsoleLanguage);
        foreach (var bad in new[] { "\"zh\"", "\"fr\"", "\"ZH-cn\"", "\"\"", "1" })
        {
            string json = ChineseConfigJson.Replace("\"language\": \"zh-CN\"", "\"language\": " + bad);
            var errors = Assert.Throws<ConfigException>(() => ConfigParser.Parse(Encoding.UTF8.GetBytes(json))).Errors.Cast<string>().ToList();
            Assert.Contains(errors, e => e.StartsWith("$.console.language: ") && (e.Contains("expected one of: en, zh-CN") || e.Contains("expected text")));
        }
    }

    [Fact]
    public void Help_status_and_errors_in_chinese()
    {
        var b = Chinese();
        var help = b.Console("help");
        Assert.Equal(ConsoleText.HelpLines, help.Count);
        Assert.Contains("help                   显示本列表", help);
        foreach (var cmd in new[] { "status", "sensors", "events", "outbox", "config show", "config set", "config apply", "test sos", "time", "log level", "reboot", "unlock" })
            Assert.Contains(help, l => l.StartsWith(cmd));

        b.ConsoleHost.SafeMode = true;
        b.ConsoleHost.SafeModeReason = "5 crash boots in a row";
        var s = b.Console("status");
        Assert.Equal("网关 hub-0001，位置 350102-001-0001，固件 0.1.0-test，配置 v1（stored）", s[0]);
        Assert.Matches("^运行时间 [0-9dhms]+，上次复位 ", s[1]);
        Assert.EndsWith("时钟未同步", s[1]);
        Assert.Equal("网络：test network up", s[2]);
        Assert.StartsWith("mqtt ", s[3]);
        Assert.Contains("，服务器 ", s[3]);
        Assert.Matches("^待发消息 [0-9]+ 条，进行中的告警 0 个$", s[4]);
        Assert.StartsWith("模式 home，指示 ", s[5]);
        Assert.Equal("安全模式：5 crash boots in a row；I2C 传感器已关闭；重启（reboot）可退出", s[6]);
        Assert.Equal("控制台已上锁", s[7]);
        Assert.StartsWith("平台命令", s[8]);

        Assert.Equal("error: 未知命令 \"selfdestruct\"；输入 help 查看命令", One(b.Console("selfdestruct now")));
        Assert.Equal("error: events：条数应为 1 到 2000，收到 \"many\"", One(b.Console("events many")));
        Assert.Equal("error: config：应为 show、set KEY VALUE、apply 或 discard", One(b.Console("config")));
        Assert.Equal("error: log level：应为 error、warn、info 或 debug，收到 \"loud\"", One(b.Console("log level loud")));
        Assert.Equal("error: test：应为 sos、smoke、gas 或 notice，收到 \"fire\"", One(b.Console("test fire")));
        Assert.Equal("error: unlock：应为 unlock PIN", One(b.Console("unlock")));
        Assert.Equal("error: test 会修改网关：请先 unlock PIN 解锁", One(b.Console("test sos")));
        Assert.Equal("日志级别 info", One(b.Console("log level")));
        Assert.Contains("时钟未同步（等待 SNTP）；告警只带运行时间，TLS 无法建立", b.Console("time"));
        b.Clock.SyncWallClock(new DateTime(2026, 11, 29, 3, 0, 5, DateTimeKind.Utc));
        var time = b.Console("time");
        Assert.Contains("UTC 时间 2026-11-29T03:00:05Z", time);
        Assert.Contains("本地时间 2026-11-29T11:00:05（UTC+8.00h）", time);
    }

    [Fact]
    public void Unlock_success_failure_and_lockout_in_chinese()
    {
        var b = Chinese();
        Assert.Equal("error: unlock：PIN 错误", One(b.Console("unlock 1111")));
        Assert.Equal("error: unlock：PIN 输错后请等 2s 再试", One(b.Console("unlock " + Pin)));
        b.Step(2000);
        Assert.Equal("已解锁 10 分钟", One(b.Console("unlock " + Pin)));
        Assert.StartsWith("控制台已解锁，剩余 ", b.Console("status")[7]);
        Assert.Equal("已上锁", One(b.Console("lock")));

        for (int i = 0; i < 4; i++) { b.Console("unlock 0000"); b.Step(2000); }
        Assert.Equal("error: unlock：PIN 错误；锁定 5m00s", One(b.Console("unlock 0000")));
        Assert.Equal("error: unlock：PIN 连续输错 5 次；请 5m00s 后再试", One(b.Console("unlock " + Pin)));
        Assert.Equal("控制台已上锁；PIN 连续输错 5 次，5m00s 后可再试", b.Console("status")[7]);
        // The event log stays a record in one language.
        Assert.Contains(b.Console("events 5"), l => l.EndsWith("console: 5 wrong PINs in a row; wrong PIN; locked for 5m00s"));
        b.Step(5 * 60 * 1000 + 1);
        Assert.Equal("已解锁 10 分钟", One(b.Console("unlock " + Pin)));
    }

    [Fact]
    public void Config_test_and_sensors_in_chinese()
    {
        var b = Chinese();
        b.Console("unlock " + Pin);
        Assert.Equal("已设置 heartbeatMinutes = 10（1 项修改待生效；config apply 校验并生效）", One(b.Console("config set heartbeatMinutes 10")));
        Assert.Equal("已生效配置版本 2", One(b.Console("config apply")));
        Assert.Equal("error: config set inputs.window.pin：$.inputs 中没有 \"window\"（请用 id 或序号）", One(b.Console("config set inputs.window.pin 4")));
        b.Console("config set heartbeatMinutes 0");
        Assert.StartsWith("error: config apply 被拒绝，未做任何修改：config refused: $.heartbeatMinutes: ", One(b.Console("config apply")));
        Assert.Equal("已放弃修改", One(b.Console("config discard")));
        Assert.StartsWith("测试告警 hub-0001-", One(b.Console("test smoke")));
        Assert.StartsWith("即将重启", One(b.Console("reboot")));

        var c = Chinese();
        c.Sensors.Set("temp", 215);
        c.Run(20_000, 1000);
        var sensors = c.Console("sensors");
        Assert.Contains("输入 sos（sos，GPIO25）：空闲，正常", sensors);
        Assert.Contains("传感器 temp（temperature，i2c1 0x44）：21.5 °C，正常", sensors);
    }

    [Fact]
    public void Setting_the_field_switches_the_language_at_once_and_the_default_is_english()
    {
        var b = new TestBench(ConsoleInterpreterTests.PinConfigJson, storeConfig: true);
        Assert.Equal("en", b.Hub.Config.ConsoleLanguage);
        Assert.Equal("unlocked for 10 min", One(b.Console("unlock " + Pin)));
        Assert.Equal("set console.language = \"zh-CN\" (1 change(s) pending; config apply to validate and apply)", One(b.Console("config set console.language zh-CN")));
        Assert.Equal("已生效配置版本 2", One(b.Console("config apply")));
        Assert.Equal("已上锁", One(b.Console("lock")));

        // A wrong value is refused by the validator, naming the field and the values it takes.
        b.Console("unlock " + Pin);
        b.Console("config set console.language fr");
        Assert.StartsWith("error: config apply 被拒绝，未做任何修改：config refused: $.console.language: expected one of: en, zh-CN, got \"fr\"", One(b.Console("config apply")));
        b.Console("config discard");

        // Kept across a reboot, and back to English with "en".
        b.Restart();
        Assert.Equal("zh-CN", b.Hub.Config.ConsoleLanguage);
        Assert.Equal("已上锁", One(b.Console("lock")));
        b.Console("unlock " + Pin);
        b.Console("config set console.language en");
        Assert.Equal("applied config version 3", One(b.Console("config apply")));
        Assert.Equal("locked", One(b.Console("lock")));
    }

    [Fact]
    public void Machine_readable_output_is_the_same_in_both_languages()
    {
        var en = new TestBench(ConsoleInterpreterTests.PinConfigJson, storeConfig: true);
        var zh = Chinese();
        // config show: JSON per member, secrets masked; only the language member differs.
        var showEn = en.Console("config show");
        var showZh = zh.Console("config show");
        Assert.Equal(showEn.Where(l => !l.StartsWith("console = ")), showZh.Where(l => !l.StartsWith("console = ")));
        Assert.Contains(showZh, l => l.StartsWith("console = ") && l.EndsWith(",\"language\":\"zh-CN\"}") && l.Contains("\"pinHash\":\"***\""));
        // Every error line starts with "error: " in both.
        foreach (var cmd in new[] { "frobnicate", "events 0", "config", "config set x", "config apply", "test fire", "log", "log level x", "unlock", "reboot" })
        {
            Assert.StartsWith("error: ", One(en.Console(cmd)));
            Assert.StartsWith("error: ", One(zh.Console(cmd)));
        }
    }
}
