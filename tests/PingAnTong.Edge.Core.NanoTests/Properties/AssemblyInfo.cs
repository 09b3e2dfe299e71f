using System.Reflection;

[assembly: AssemblyTitle("NFUnitTest")]
[assembly: AssemblyDescription("PingAnTong.Edge core tests on the nanoFramework interpreter")]
[assembly: AssemblyProduct("PingAnTong.Edge")]
[assembly: AssemblyVersion("1.0.0.0")]
