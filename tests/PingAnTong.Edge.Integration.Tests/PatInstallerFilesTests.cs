using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Pat;
using Xunit;
using static PingAnTong.Edge.Tests.PatRun;

namespace PingAnTong.Edge.Tests;

/// <summary>
/// pat provision reads the installer's files as Excel saves them: a CSV in GBK (Excel on Chinese Windows) or UTF-8
/// with a byte order mark, quoted values with commas and quotes; a file in neither encoding is refused with its line;
/// the broker's CA is checked (a certificate, a CA, not expired) and its days left printed.
/// </summary>
public class PatInstallerFilesTests
{
    // 鼓楼区 in GBK (= GB18030 for these characters), written out byte by byte so the test does not trust the decoder.
    private static readonly byte[] GulouGbk = { 0xB9, 0xC4, 0xC2, 0xA5, 0xC7, 0xF8 };

    private static (int Rc, string Out, string Err) Provision(string batch, string outDir, string profiles = null, string lang = "en") =>
        RunPat("provision", "--lang", lang, "--batch", batch, "--profiles", profiles ?? Path.Combine(Samples, "brokers.json"), "--secrets", Path.Combine(Samples, "secrets.example.json"), "--out", outDir);

    [Fact]
    public void Batch_line_problems_speak_the_language_of_lang()
    {
        string dir = Directory.CreateTempSubdirectory("pat-lines-lang-").FullName;
        string batch = Path.Combine(dir, "batch.csv");
        File.WriteAllText(batch, "hubId,location,board,wifi,brokerProfile\n" +
            "hub-0701,Gulou, Bldg 3,esp32-devkitc-v4,ElderHome-0101,lab\n" +
            "hub-0702,,esp32-devkitc-v4,ElderHome-0101,lab\n" +
            "hub-0703,Gulou,esp32-devkitc-v4,NoSuchWifi,lab\n" +
            "hub-0703,Gulou,esp32-devkitc-v4,ElderHome-0101,lab\n" +
            "hub-0704,Gulou,esp32-devkitc-v4,ElderHome-0101,nosuchprofile\n");
        foreach (var (lang, expected, notExpected) in new[]
                 {
                     ("en", new[]
                     {
                         $"{batch} line 2: expected 5 values (hubId,location,board,wifi,brokerProfile), got 6 (a value with a comma must be in quotes)",
                         $"{batch} line 3: location is empty",
                         $"{batch} line 5: hubId hub-0703 is already on line 4",
                         $"{batch} line 4: no password for Wi-Fi network \"NoSuchWifi\" in",
                         $"{batch} line 6: brokerProfile \"nosuchprofile\" is not in",
                     }, "第"),
                     ("zh-CN", new[]
                     {
                         $"{batch} 第 2 行：应有 5 个值（hubId,location,board,wifi,brokerProfile），实际为 6 个（含逗号的值必须加引号）",
                         $"{batch} 第 3 行：location 为空",
                         $"{batch} 第 5 行：hubId hub-0703 已在第 4 行出现",
                         $"{batch} 第 4 行：{Path.Combine(Samples, "secrets.example.json")}（wifi 部分）中没有 Wi-Fi 网络 \"NoSuchWifi\" 的密码",
                         $"{batch} 第 6 行：brokerProfile \"nosuchprofile\" 不在",
                     }, " line "),
                 })
        {
            var (rc, _, err) = Provision(batch, Path.Combine(dir, "out-" + lang), lang: lang);
            Assert.Equal(2, rc);
            foreach (var line in expected) Assert.Contains(line, err);
            Assert.DoesNotContain(notExpected, err);
            Assert.False(Directory.Exists(Path.Combine(dir, "out-" + lang)));
        }

        // A problem of the hub's validator on a row: the row in the language, the validator's words too.
        File.WriteAllText(batch, "hubId,location,board,wifi,brokerProfile\nhub 0801,Gulou,esp32-devkitc-v4,ElderHome-0101,lab\n");
        var (_, _, zh) = Provision(batch, Path.Combine(dir, "out-id"), lang: "zh-CN");
        Assert.Contains($"{batch} 第 2 行：$.hubId：只能包含字母、数字、'-' 和 '_'，\"hub 0801\" 中有 ' '", zh);
        var (_, _, en) = Provision(batch, Path.Combine(dir, "out-id"), lang: "en");
        Assert.Contains($"{batch} line 2: $.hubId: may contain only letters, digits, '-' and '_', got ' ' in \"hub 0801\"", en);
    }

    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    [Fact]
    public void A_gbk_csv_from_excel_keeps_the_chinese_location_byte_for_byte_and_a_quoted_comma_stays_in_its_value()
    {
        string dir = Directory.CreateTempSubdirectory("pat-csv-gbk-").FullName;
        string batch = Path.Combine(dir, "hubs.csv");
        File.WriteAllBytes(batch, Concat(
            Ascii("hubId,location,board,wifi,brokerProfile\r\n"),
            Ascii("hub-0301,"), GulouGbk, Ascii("-001,esp32-devkitc-v4,ElderHome-0101,lab\r\n"),
            Ascii("hub-0302,\"Gulou, Bldg 3\",esp32-devkitc-v4,ElderHome-0102,lab,,\r\n"))); // Excel's trailing empty cells
        string outDir = Path.Combine(dir, "out");
        var (rc, output, err) = Provision(batch, outDir);
        Assert.True(rc == 0, output + err);
        Assert.Contains($"note: {batch} read as GB18030/GBK", err);

        byte[] config = File.ReadAllBytes(Path.Combine(outDir, "hub-0301", "config.json"));
        byte[] expected = Concat(Ascii("\"location\": \""), Encoding.UTF8.GetBytes("鼓楼区-001"), Ascii("\""));
        Assert.True(IndexOf(config, expected) >= 0, Encoding.UTF8.GetString(config));
        Assert.DoesNotContain("\\u", Encoding.UTF8.GetString(config));
        Assert.Equal("鼓楼区-001", ConfigParser.Parse(config).Location); // and the hub's own parser reads it so
        Assert.Equal("Gulou, Bldg 3", ConfigParser.Parse(File.ReadAllBytes(Path.Combine(outDir, "hub-0302", "config.json"))).Location);
        Assert.Equal(0, RunPat("config", "validate", Path.Combine(outDir, "hub-0301", "config.json"), "--board", "esp32-devkitc-v4").Rc);
    }

    [Fact]
    public void A_utf8_csv_with_a_byte_order_mark_quotes_and_comments_is_read_as_excel_writes_it()
    {
        string dir = Directory.CreateTempSubdirectory("pat-csv-bom-").FullName;
        string batch = Path.Combine(dir, "hubs.csv");
        File.WriteAllBytes(batch, Concat(new byte[] { 0xEF, 0xBB, 0xBF }, Encoding.UTF8.GetBytes(
            "hubId,location,board,wifi,brokerProfile\n" +
            "# a comment line\n" +
            "\n" +
            "hub-0401,鼓楼区-001,esp32-devkitc-v4,ElderHome-0101,lab\n" +
            "hub-0402,\"Gulou, Bldg \"\"3\"\"\", esp32-devkitc-v4 ,ElderHome-0102,lab\n")));
        string outDir = Path.Combine(dir, "out");
        var (rc, output, err) = Provision(batch, outDir);
        Assert.True(rc == 0, output + err);
        Assert.DoesNotContain("note:", err);
        Assert.Equal("鼓楼区-001", ConfigParser.Parse(File.ReadAllBytes(Path.Combine(outDir, "hub-0401", "config.json"))).Location);
        Assert.Equal("Gulou, Bldg \"3\"", ConfigParser.Parse(File.ReadAllBytes(Path.Combine(outDir, "hub-0402", "config.json"))).Location);
    }

    [Fact]
    public void A_csv_in_neither_utf8_nor_gbk_is_refused_with_its_line_and_nothing_is_written()
    {
        string dir = Directory.CreateTempSubdirectory("pat-csv-bad-").FullName;
        string batch = Path.Combine(dir, "hubs.csv");
        File.WriteAllBytes(batch, Concat(
            Ascii("hubId,location,board,wifi,brokerProfile\n"),
            Ascii("hub-0501,350102-001-0501,esp32-devkitc-v4,ElderHome-0101,lab\n"),
            Ascii("hub-0502,caf"), new byte[] { 0xFF }, Ascii(",esp32-devkitc-v4,ElderHome-0101,lab\n"))); // 0xFF: in no GB18030 character
        string outDir = Path.Combine(dir, "out");
        var (rc, _, err) = Provision(batch, outDir);
        Assert.Equal(2, rc);
        Assert.Contains($"{batch} line 3: neither UTF-8 nor GB18030/GBK text", err);
        Assert.False(Directory.Exists(outDir));

        File.WriteAllBytes(batch, Ascii("hubId,location,board,wifi,brokerProfile\nhub-0501,\"Gulou, Bldg 3,esp32-devkitc-v4,ElderHome-0101,lab\n"));
        (rc, _, err) = Provision(batch, outDir);
        Assert.Equal(2, rc);
        Assert.Contains($"{batch} line 2: broken quoting", err);

        File.WriteAllBytes(batch, Ascii("hubId,location,board,wifi,brokerProfile\nhub-0501,Gulou, Bldg 3,esp32-devkitc-v4,ElderHome-0101,lab\n"));
        (rc, _, err) = Provision(batch, outDir);
        Assert.Equal(2, rc);
        Assert.Contains($"{batch} line 2: expected 5 values (hubId,location,board,wifi,brokerProfile), got 6 (a value with a comma must be in quotes)", err);
    }

    [Fact]
    public void An_excel_workbook_is_read_directly()
    {
        string dir = Directory.CreateTempSubdirectory("pat-xlsx-").FullName;
        string batch = Path.Combine(dir, "hubs.xlsx");
        var rows = new[]
        {
            new Dictionary<string, object> { ["hubId"] = "hub-0601", ["location"] = "鼓楼区-001", ["board"] = "esp32-devkitc-v4", ["wifi"] = "ElderHome-0101", ["brokerProfile"] = "lab" },
            new Dictionary<string, object> { ["hubId"] = "hub-0602", ["location"] = "Gulou, Bldg 3", ["board"] = "esp32-devkitc-v4", ["wifi"] = "ElderHome-0102", ["brokerProfile"] = "lab" },
        };
        MiniExcelLibs.MiniExcel.SaveAs(batch, rows);
        string outDir = Path.Combine(dir, "out");
        var (rc, output, err) = Provision(batch, outDir);
        Assert.True(rc == 0, output + err);
        Assert.Equal("鼓楼区-001", ConfigParser.Parse(File.ReadAllBytes(Path.Combine(outDir, "hub-0601", "config.json"))).Location);
        Assert.Equal("Gulou, Bldg 3", ConfigParser.Parse(File.ReadAllBytes(Path.Combine(outDir, "hub-0602", "config.json"))).Location);

        // A problem names the row as Excel numbers it (the header is row 1).
        rows[1]["wifi"] = "NoSuchWifi";
        File.Delete(batch);
        MiniExcelLibs.MiniExcel.SaveAs(batch, rows);
        (rc, _, err) = Provision(batch, Path.Combine(dir, "out2"));
        Assert.Equal(2, rc);
        Assert.Contains($"{batch} line 3: no password for Wi-Fi network \"NoSuchWifi\"", err);

        string fake = Path.Combine(dir, "fake.xlsx");
        File.WriteAllText(fake, "hubId,location,board,wifi,brokerProfile\n");
        (rc, _, err) = Provision(fake, Path.Combine(dir, "out3"));
        Assert.Equal(2, rc);
        Assert.Contains($"{fake}: not a readable Excel workbook (.xlsx)", err);
    }

    private static string TlsProfiles(string folder, string caFile)
    {
        string profiles = Path.Combine(folder, "brokers.json");
        File.WriteAllText(profiles, $$"""{ "lab": { "host": "mqtt.example.org", "port": 8883, "tls": true, "caFile": "{{caFile}}" } }""");
        return profiles;
    }

    private static string Certificate(string folder, string name, bool ca, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        if (ca) req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var cert = req.CreateSelfSigned(notBefore, notAfter);
        string file = Path.Combine(folder, name + ".pem");
        File.WriteAllText(file, cert.ExportCertificatePem());
        return file;
    }

    [Fact]
    public void The_broker_ca_is_checked_at_provisioning_and_its_days_left_printed()
    {
        string dir = Directory.CreateTempSubdirectory("pat-ca-").FullName;
        string batch = Path.Combine(Samples, "batch.csv");
        var now = DateTimeOffset.UtcNow;

        string good = Certificate(dir, "Pilot CA", ca: true, now.AddDays(-1), now.AddDays(400.5));
        var (rc, output, err) = Provision(batch, Path.Combine(dir, "out-good"), TlsProfiles(dir, good));
        Assert.True(rc == 0, output + err);
        Assert.Contains($"broker \"lab\": CA \"Pilot CA\" ({good}) valid until {now.AddDays(400.5):yyyy-MM-dd}, 400 days left", output);
        Assert.DoesNotContain("warning: broker", err);

        string soon = Certificate(dir, "Old CA", ca: true, now.AddDays(-1), now.AddDays(20.5));
        (rc, output, err) = Provision(batch, Path.Combine(dir, "out-soon"), TlsProfiles(dir, soon));
        Assert.True(rc == 0, output + err);
        Assert.Contains("warning: broker \"lab\": the CA certificate expires in 20 days", err);

        string notPem = Path.Combine(dir, "not.pem");
        File.WriteAllText(notPem, "not a pem");
        string server = Certificate(dir, "mqtt.example.org", ca: false, now.AddDays(-1), now.AddDays(100));
        string expired = Certificate(dir, "Expired CA", ca: true, now.AddDays(-100), now.AddDays(-2));
        foreach (var (file, reason) in new[]
        {
            (notPem, "not a PEM or DER X.509 certificate"),
            (server, "\"mqtt.example.org\" is not a CA certificate (no basic constraints CA:TRUE)"),
            (expired, $"\"Expired CA\" expired on {now.AddDays(-2):yyyy-MM-dd}"),
        })
        {
            string outDir = Path.Combine(dir, "out-bad");
            (rc, _, err) = Provision(batch, outDir, TlsProfiles(dir, file));
            Assert.Equal(2, rc);
            Assert.Contains($"profile \"lab\": caFile {file}: {reason}", err);
            Assert.False(Directory.Exists(outDir));
        }

        // In Chinese: the row, the profile and the CA's problem.
        foreach (var (file, reason) in new[]
        {
            (notPem, "不是 PEM 或 DER 格式的 X.509 证书"),
            (server, "\"mqtt.example.org\" 不是 CA 证书（没有基本约束 CA:TRUE）"),
            (expired, $"\"Expired CA\" 已于 {now.AddDays(-2):yyyy-MM-dd} 过期"),
        })
        {
            (rc, _, err) = Provision(batch, Path.Combine(dir, "out-bad-zh"), TlsProfiles(dir, file), lang: "zh-CN");
            Assert.Equal(2, rc);
            Assert.Contains($"{batch} 第 2 行：配置档 \"lab\"：caFile {file}：{reason}", err);
        }
    }

    [Fact]
    public void Config_validate_without_a_board_refuses_an_led_on_an_input_only_pin_against_ledPin()
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("pat-val-pins-").FullName, "hub.json");
        string demo = File.ReadAllText(Path.Combine(Paths.RepoRoot, "tools", "PingAnTong.Edge.Simulator", "demo-config.json"));
        File.WriteAllText(file, demo.Replace("\"ledPin\": 2", "\"ledPin\": 37"));
        var (rc, _, err) = RunPat("config", "validate", file);
        Assert.Equal(1, rc);
        Assert.Contains($"{file}: $.indicators.ledPin: GPIO37 is input-only (GPIO34-39) on every ESP32 board and cannot drive the LED", err);
        Assert.DoesNotContain("$.inputs", err);

        File.WriteAllText(file, demo.Replace("\"ledPin\": 2", "\"ledPin\": 34")); // the PIR's pin
        (rc, _, err) = RunPat("config", "validate", file);
        Assert.Equal(1, rc);
        Assert.Contains($"{file}: $.indicators.ledPin: GPIO34 is input-only", err);
        Assert.DoesNotContain("$.inputs", err);

        File.WriteAllText(file, demo.Replace("\"pin\": 27", "\"pin\": 8"));
        (rc, _, err) = RunPat("config", "validate", file);
        Assert.Equal(1, rc);
        Assert.Contains($"{file}: $.inputs[2].pin: GPIO8 is wired to the module's SPI flash (GPIO6-11)", err);
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        }
        return -1;
    }
}
