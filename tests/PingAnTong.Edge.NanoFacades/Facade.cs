using System;

namespace PingAnTong.Edge.NanoFacades
{
    /// <summary>Names the NuGet package and version a facade type mirrors: tests check them against packages.config, and the type and its members against that package's listing in tests/api-listings.</summary>
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Enum | AttributeTargets.Delegate | AttributeTargets.Interface)]
    public sealed class MirrorsAttribute : Attribute
    {
        public MirrorsAttribute(string package, string version) { Package = package; Version = version; }
        public string Package { get; private set; }
        public string Version { get; private set; }
    }

    /// <summary>What a facade member that the virtual ESP32 does not model throws (fail loudly, never answer silently).</summary>
    public static class Facade
    {
        public static Exception NotOnDevice()
        {
            return new NotSupportedException("this nanoFramework member is not modelled by the virtual ESP32 (tests/PingAnTong.Edge.NanoFacades/Models); the device uses the real package");
        }
    }
}
