using System.Reflection;

// Used by the nanoFramework build (PingAnTong.Edge.Core.nfproj); the SDK-style project generates its own.
[assembly: AssemblyTitle("PingAnTong.Edge.Core")]
[assembly: AssemblyDescription("Portable hub core: inputs, alarms, outbox, MQTT contract")]
[assembly: AssemblyProduct("PingAnTong.Edge")]
[assembly: AssemblyVersion("0.1.0.0")]
