using System.Reflection;

// Used by the nanoFramework build (PingAnTong.Edge.Esp32.nfproj).
[assembly: AssemblyTitle("PingAnTong.Edge.Esp32")]
[assembly: AssemblyDescription("ESP32 host of the PingAnTong.Edge hub: GPIO, I2C, Wi-Fi, MQTT, flash storage, watchdog, serial console")]
[assembly: AssemblyProduct("PingAnTong.Edge")]
[assembly: AssemblyVersion("1.0.0.0")]
