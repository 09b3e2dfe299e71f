using System.Text;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Device;
using PingAnTong.Edge.Fakes;
using Xunit;

namespace PingAnTong.Edge.Tests.Device;

public class PinMapTests
{
    private static string Boards => Path.Combine(Paths.RepoRoot, "hardware", "boards");

    public static IEnumerable<object[]> ShippedBoards() =>
        Directory.GetFiles(Path.Combine(Paths.RepoRoot, "hardware", "boards"), "*.json").Select(f => new object[] { Path.GetFileName(f) });

    [Theory]
    [MemberData(nameof(ShippedBoards))]
    public void Every_shipped_pin_map_is_valid(string file)
    {
        var map = PinMap.Parse(File.ReadAllBytes(Path.Combine(Boards, file)));
        Assert.NotEmpty(map.Pins);
        Assert.Equal(Path.GetFileNameWithoutExtension(file), map.Board);
    }

    [Fact]
    public void The_demo_config_fits_the_reference_board()
    {
        var map = PinMap.Parse(File.ReadAllBytes(Path.Combine(Boards, "esp32-devkitc-v4.json")));
        var config = ConfigParser.Parse(Encoding.UTF8.GetBytes(TestBench.DemoConfigJson));
        Assert.Empty(map.CheckConfig(config).Cast<string>());
        var sim = ConfigParser.Parse(File.ReadAllBytes(Path.Combine(Paths.RepoRoot, "tools", "PingAnTong.Edge.Simulator", "demo-config.json")));
        Assert.Empty(map.CheckConfig(sim).Cast<string>());
    }

    [Theory]
    [InlineData("""{ "pin": 7, "use": "input", "pull": "internal_up" }""", "$.pins[0].pin: GPIO7 is wired to the module's SPI flash")]
    [InlineData("""{ "pin": 34, "use": "output" }""", "$.pins[0].pin: GPIO34 is input-only (GPIO34-39) and cannot be used as output")]
    [InlineData("""{ "pin": 36, "use": "input", "pull": "internal_up" }""", "$.pins[0].pull: GPIO36 has no internal pull resistor")]
    [InlineData("""{ "pin": 0, "use": "input", "pull": "internal_up" }""", "$.pins[0].pin: GPIO0 is a strapping pin")]
    [InlineData("""{ "pin": 15, "use": "input", "pull": "internal_up" }""", "$.pins[0].pin: GPIO15 is a strapping pin")]
    [InlineData("""{ "pin": 12, "use": "output" }""", "$.pins[0].pin: GPIO12 (MTDI) is a strapping pin that selects the flash voltage")]
    [InlineData("""{ "pin": 25, "use": "analog" }""", "$.pins[0].pin: GPIO25 is not on ADC1 (GPIO32-39); ADC2 cannot be read while Wi-Fi is on")]
    [InlineData("""{ "pin": 3, "use": "com2_rx" }""", "$.pins[0].pin: GPIO3 is UART0 (COM1)")]
    [InlineData("""{ "pin": 24, "use": "input" }""", "$.pins[0].pin: GPIO24 does not exist")]
    [InlineData("""{ "pin": 21, "use": "i2c1_sda", "pull": "external_up" }""", "$.pins: I2C needs both i2c1_sda and i2c1_scl, found only i2c1_sda")]
    [InlineData("""{ "pin": 21, "use": "i2c1_sda" }, { "pin": 22, "use": "i2c1_scl", "pull": "external_up" }""", "$.pins[0].pull: I2C lines need pull-ups")]
    [InlineData("""{ "pin": 39, "use": "i2c1_scl", "pull": "external_up" }, { "pin": 21, "use": "i2c1_sda", "pull": "external_up" }""", "$.pins[0].pin: GPIO39 is input-only")]
    [InlineData("""{ "pin": 25, "use": "input" }, { "pin": 25, "use": "output" }""", "$.pins[1].pin: GPIO25 is already used by $.pins[0] (input)")]
    [InlineData("""{ "pin": 25, "use": "inptu" }""", "$.pins[0].use: expected one of input, output")]
    [InlineData("""{ "pin": 25, "use": "input", "colour": "red" }""", "$.pins[0].colour: unknown setting")]
    public void Each_class_of_bad_pin_map_is_refused_with_a_clear_message(string pins, string expected)
    {
        string json = $$"""{ "board": "test", "module": "m", "nanoffTarget": "ESP32_REV3", "pins": [ {{pins}} ] }""";
        var e = Assert.Throws<ConfigException>(() => PinMap.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.StartsWith("pin map refused: ", e.Message);
        Assert.Contains(e.Errors.Cast<string>(), m => m.StartsWith(expected));
    }

    [Fact]
    public void Strapping_pin_as_an_output_is_accepted_and_adc1_is_fine_with_wifi()
    {
        string json = """{ "board": "t", "module": "m", "nanoffTarget": "ESP32_REV3", "pins": [ { "pin": 2, "use": "output" }, { "pin": 33, "use": "analog" } ] }""";
        Assert.Equal(2, PinMap.Parse(Encoding.UTF8.GetBytes(json)).Pins.Length);
    }

    [Fact]
    public void A_config_that_uses_pins_the_board_does_not_offer_is_reported_by_field()
    {
        var map = PinMap.Parse(File.ReadAllBytes(Path.Combine(Boards, "esp32-devkitc-v4.json")));
        var config = ConfigParser.Parse(Encoding.UTF8.GetBytes(TestBench.DemoConfigJson.Replace("\"pin\": 27", "\"pin\": 14").Replace("\"buzzerPin\": 4", "\"buzzerPin\": 21")));
        var errors = map.CheckConfig(config).Cast<string>().ToList();
        Assert.Contains(errors, m => m.StartsWith("$.inputs[2].pin: GPIO14 (input \"door\") is not in the pin map of esp32-devkitc-v4"));
        Assert.Contains(errors, m => m.StartsWith("$.indicators.buzzerPin: GPIO21 is declared as i2c1_sda"));
    }
}
