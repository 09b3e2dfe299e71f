using System.Text;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Fakes;
using Xunit;

namespace PingAnTong.Edge.Tests.Config;

/// <summary>
/// The pin rules of every ESP32 board, checked by the hub's own validator without a board pin map: GPIO6-11 are the
/// SPI flash, GPIO34-39 cannot drive the LED or the buzzer. Each error names the field that is wrong.
/// </summary>
public class PinRuleTests
{
    private static List<string> Errors(string from, string to)
    {
        string json = TestBench.DemoConfigJson.Replace(from, to);
        Assert.NotEqual(TestBench.DemoConfigJson, json);
        return Assert.Throws<ConfigException>(() => ConfigParser.Parse(Encoding.UTF8.GetBytes(json))).Errors.Cast<string>().ToList();
    }

    [Theory]
    [InlineData(37)]
    [InlineData(34)]
    [InlineData(39)]
    public void An_led_on_an_input_only_pin_is_refused_against_ledPin(int pin)
    {
        var errors = Errors("\"ledPin\": 2", $"\"ledPin\": {pin}");
        Assert.Equal($"$.indicators.ledPin: GPIO{pin} is input-only (GPIO34-39) on every ESP32 board and cannot drive the LED; choose an output pin (e.g. GPIO2 for the LED, GPIO4 for the buzzer)", Assert.Single(errors));
    }

    [Fact]
    public void A_buzzer_on_an_input_only_pin_is_refused_against_buzzerPin()
    {
        var errors = Errors("\"buzzerPin\": 4", "\"buzzerPin\": 36");
        Assert.StartsWith("$.indicators.buzzerPin: GPIO36 is input-only (GPIO34-39) on every ESP32 board and cannot drive the buzzer", Assert.Single(errors));
    }

    [Fact]
    public void Inputs_on_input_only_pins_stay_valid()
    {
        var config = ConfigParser.Parse(Encoding.UTF8.GetBytes(TestBench.DemoConfigJson));
        Assert.Contains(config.Inputs, i => i.Pin == 34);
        Assert.Contains(config.Inputs, i => i.Pin == 39);
    }

    [Theory]
    [InlineData("\"pin\": 25", "\"pin\": 6", "$.inputs[0].pin: GPIO6 is wired to the module's SPI flash (GPIO6-11)")]
    [InlineData("\"pin\": 27", "\"pin\": 11", "$.inputs[2].pin: GPIO11 is wired to the module's SPI flash (GPIO6-11)")]
    [InlineData("\"ledPin\": 2", "\"ledPin\": 9", "$.indicators.ledPin: GPIO9 is wired to the module's SPI flash (GPIO6-11)")]
    [InlineData("\"buzzerPin\": 4", "\"buzzerPin\": 10", "$.indicators.buzzerPin: GPIO10 is wired to the module's SPI flash (GPIO6-11)")]
    public void Flash_pins_are_refused_naming_the_field(string from, string to, string expected)
    {
        Assert.StartsWith(expected, Assert.Single(Errors(from, to)));
    }

    [Fact]
    public void An_led_on_the_pin_of_an_input_only_input_is_the_leds_mistake_not_the_inputs()
    {
        // The PIR is on GPIO34: an LED there is wrong because GPIO34 cannot drive it; the PIR is where it belongs.
        var errors = Errors("\"ledPin\": 2", "\"ledPin\": 34");
        Assert.StartsWith("$.indicators.ledPin: GPIO34 is input-only", Assert.Single(errors));
        // On a pin that can drive, sharing it with an input is still reported against the input.
        Assert.Contains("$.inputs[0].pin: pin 25 is already used by the LED", Errors("\"ledPin\": 2", "\"ledPin\": 25"));
    }
}
