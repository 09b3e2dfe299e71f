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

    /// <summary>What every facade member throws: these assemblies exist only to compile against.</summary>
    public static class Facade
    {
        public static Exception NotOnDevice()
        {
            return new NotSupportedException("compile-only nanoFramework facade called; the device uses the real package");
        }
    }
}
