// Mirrors nanoFramework.TestFramework 3.0.80 (assembly nanoFramework.TestFramework): the attributes and the
// Assert members the NFUnitTest project uses. Signatures: tests/api-listings/nanoFramework.TestFramework.txt
// (checked by FacadeListingTests). In 3.x every Assert method ends with an optional message parameter (marked
// [CallerArgumentExpression] in the package; the listing leaves parameter attributes out); there is no Assert.Fail.
using System;
using PingAnTong.Edge.NanoFacades;

namespace nanoFramework.TestFramework
{
    [Mirrors("nanoFramework.TestFramework", "3.0.80")]
    [AttributeUsage(AttributeTargets.Class)]
    public class TestClassAttribute : Attribute
    {
    }

    [Mirrors("nanoFramework.TestFramework", "3.0.80")]
    [AttributeUsage(AttributeTargets.Method)]
    public class TestMethodAttribute : Attribute
    {
    }

    [Mirrors("nanoFramework.TestFramework", "3.0.80")]
    [AttributeUsage(AttributeTargets.Method)]
    public class SetupAttribute : Attribute
    {
    }

    [Mirrors("nanoFramework.TestFramework", "3.0.80")]
    [AttributeUsage(AttributeTargets.Method)]
    public class CleanupAttribute : Attribute
    {
    }

    [Mirrors("nanoFramework.TestFramework", "3.0.80")]
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
    public class DataRowAttribute : Attribute
    {
        public DataRowAttribute(params object[] methodParameters) { throw Facade.NotOnDevice(); }
    }

    [Mirrors("nanoFramework.TestFramework", "3.0.80")]
    public sealed class Assert
    {
        private Assert() { throw Facade.NotOnDevice(); }
        public static void AreEqual(string expected, string actual, string message = "") { throw Facade.NotOnDevice(); }
        public static void AreEqual(int expected, int actual, string message = "") { throw Facade.NotOnDevice(); }
        public static void AreEqual(long expected, long actual, string message = "") { throw Facade.NotOnDevice(); }
        public static void IsTrue(bool condition, string message = "") { throw Facade.NotOnDevice(); }
        public static void IsFalse(bool condition, string message = "") { throw Facade.NotOnDevice(); }
        public static void ThrowsException(Type exception, Action action, string message = "") { throw Facade.NotOnDevice(); }
    }
}

namespace TestFrameworkShared
{
    /// <summary>What a failed Assert throws. The package declares it in this namespace, not in nanoFramework.TestFramework.</summary>
    [Mirrors("nanoFramework.TestFramework", "3.0.80")]
    public class AssertFailedException : Exception
    {
        public AssertFailedException(string msg) { throw Facade.NotOnDevice(); }
    }
}
