extern alias device;
using device::PingAnTong.Edge.Esp32.Adapters;
using device::PingAnTong.Edge.NanoFacades;
using device::System.Device.Gpio;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Alarms;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Device;
using PingAnTong.Edge.Core.Storage;
using Xunit;

namespace PingAnTong.Edge.DeviceTests.Adapters;

/// <summary>The device adapters wired to the core as Program.Run wires them, on the virtual ESP32: a press of the SOS button reaches the buzzer; storage faults reach the core.</summary>
public class DeviceWiringTests : DeviceTest
{
    // The reference board of Program.UnprovisionedConfig: SOS on GPIO25, OK on 26, LED on 2, buzzer on 4.
    private const string Config = "{\"version\":1,\"hubId\":\"hub-0101\",\"location\":\"350102-001-0101\"," +
        "\"broker\":{\"host\":\"unprovisioned.invalid\",\"port\":1883,\"tls\":false,\"insecureForTesting\":true}," +
        "\"inputs\":[{\"id\":\"sos\",\"kind\":\"sos\",\"pin\":25},{\"id\":\"ok\",\"kind\":\"ok\",\"pin\":26}]," +
        "\"sensors\":[],\"indicators\":{\"ledPin\":2,\"buzzerPin\":4}}";

    [Fact]
    public void An_sos_press_on_the_button_pin_sounds_the_buzzer()
    {
        var store = new FlashDurableStore("I:\\pat-");
        var boot = new BootHistory(store);
        boot.Begin();
        var clock = new DeviceClock();
        var gpio = new GpioController();
        var transport = new M2MqttTransport(clock, new WifiLink()); // not started: no broker in this test
        var config = ConfigParser.Parse(System.Text.Encoding.UTF8.GetBytes(Config));
        var indicator = new GpioIndicator(gpio, config.LedPin, config.BuzzerPin, clock);
        try
        {
            var hub = new Hub(config, clock, store, transport, new I2cSensorReader(clock, store), indicator, new DeviceHost(boot));
            transport.Link = hub.LinkEvents;
            hub.Start();
            new GpioInputs(gpio, hub, clock).Open();
            Assert.True(VirtualEsp32.Gpio.InterruptArmed(25));

            VirtualEsp32.Gpio.Drive(25, false); // the button pulls GPIO25 to GND
            for (int i = 0; i < 40 && hub.CurrentIndication != Indication.Raised; i++)
            {
                Assert.True(VirtualEsp32.Events.WaitIdle(2000));
                hub.RunOnce();
                VirtualEsp32.Clock.Advance(50);
            }
            Assert.Equal(Indication.Raised, hub.CurrentIndication);
            Assert.True(Eventually(() => VirtualEsp32.Pwm.Active(4)), "the SOS alarm did not sound");
        }
        finally
        {
            indicator.Dispose();
        }
    }

    [Fact]
    public void A_full_drive_reaches_the_core_as_a_storage_fault_and_keeps_what_was_written()
    {
        var store = new FlashDurableStore("I:\\pat-");
        store.Append("outbox", new byte[] { 1, 2, 3 }, 0, 3);
        Assert.Equal(3, store.GetLength("outbox"));
        VirtualEsp32.Flash.Fill("I:\\someone-else", VirtualEsp32.Flash.LargestThatFits("I:\\someone-else"));
        Assert.Throws<StorageException>(() => store.Append("outbox", new byte[5000], 0, 5000));
        var back = new byte[3];
        Assert.Equal(3, store.Read("outbox", 0, back, 0, 3));
        Assert.Equal(new byte[] { 1, 2, 3 }, back);
        store.Delete("outbox");
        Assert.Equal(-1, store.GetLength("outbox"));
    }
}
