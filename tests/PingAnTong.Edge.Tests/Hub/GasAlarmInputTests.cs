using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Alarms;
using PingAnTong.Edge.Core.Events;
using PingAnTong.Edge.Core.Inputs;
using PingAnTong.Edge.Fakes;
using Xunit;

namespace PingAnTong.Edge.Tests.Hub;

/// <summary>The primary gas input: a household gas alarm certified to GB 15322.2 whose relay output is wired like the smoke detector (input kind "gas").</summary>
public class GasAlarmInputTests
{
    private static readonly string Config = TestBench.DemoConfigJson.Replace(
        """{ "id": "smoke", "kind": "smoke", "pin": 35 },""",
        """{ "id": "smoke", "kind": "smoke", "pin": 35 }, { "id": "kitchen-gas", "kind": "gas", "pin": 32 },""");

    [Fact]
    public void The_relay_of_a_certified_gas_alarm_raises_a_life_safety_gas_alarm_and_its_clearing_is_reported()
    {
        var b = new TestBench(Config);
        b.Connect();
        int gas = b.IndexOf("kitchen-gas");
        Assert.True(InputKind.IsUrgent(b.Hub.Inputs[gas].Config.Kind));
        b.SetInput("kitchen-gas", true);
        b.Run(2000, 100);
        var raised = Assert.Single(b.Events(), e => e.Str("kind") == "gas" && e.Str("state") == "raised" && e.Str("class") == "alarm");
        Assert.Equal(Priority.LifeSafety, raised.GetProperty("priority").GetInt32());
        Assert.Equal("kitchen-gas", raised.Str("sensor"));
        Assert.Equal(Indication.Delivered, b.Hub.CurrentIndication); // the local alarm sounds; the broker took it

        b.SetInput("kitchen-gas", false);
        b.Run(2000, 100);
        Assert.Single(b.Events(), e => e.Str("kind") == "gas" && e.Str("state") == "cleared");
    }
}
