using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Json;
using PingAnTong.Edge.Fakes;
using Xunit;

namespace PingAnTong.Edge.Tests.Config;

/// <summary>
/// Issue 16, finding 10: parsing and validating a config costs work in proportion to its size.
/// Measured as bytes allocated (deterministic, unlike time) for hostile documents of 1 KB, 64 KB
/// and 1 MB under lifted limits (the production limits refuse the larger ones before reading
/// them). Before the fix, 64 KB of unknown members allocated 103,000 bytes per input byte (1 KB:
/// 1,500) and 64 KB of inputs 1.3 million; now every shape stays near a constant.
/// </summary>
public class ParserWorkTests
{
    /// <summary>Limits high enough for every synthetic document up to a few megabytes.</summary>
    public static readonly JsonLimits Lifted = new JsonLimits(8 << 20, JsonLimits.MaxDepth, 1 << 22, 1 << 22, 1 << 24, 1 << 22);

    /// <summary>Bytes allocated per input byte, whatever the size (measured: 3 to 40).</summary>
    private const double MaxBytesPerInputByte = 64;

    public static TheoryData<string> Shapes => new(SyntheticJson.Shapes);

    private static double AllocatedPerInputByte(string shape, int size)
    {
        byte[] doc = SyntheticJson.Build(shape, size);
        long before = GC.GetAllocatedBytesForCurrentThread();
        try { ConfigParser.Parse(doc, 0, doc.Length, Lifted); }
        catch (ConfigException e) { Assert.True(e.Message.Length < 4096, $"{shape} {size}: message of {e.Message.Length} characters"); }
        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)doc.Length;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Allocation_per_input_byte_stays_flat_from_1_KB_to_1_MB(string shape)
    {
        AllocatedPerInputByte(shape, 1 << 10); // warm-up: static tables, first-call paths
        double small = AllocatedPerInputByte(shape, 1 << 10);
        double medium = AllocatedPerInputByte(shape, 64 << 10);
        double large = AllocatedPerInputByte(shape, 1 << 20);
        string figures = $"{shape}: {small:F1} / {medium:F1} / {large:F1} bytes allocated per input byte at 1 KB / 64 KB / 1 MB";
        Assert.True(small <= MaxBytesPerInputByte && medium <= MaxBytesPerInputByte && large <= MaxBytesPerInputByte, figures);
        // Fixed costs weigh most on the smallest document, so per byte the cost may only fall as documents grow.
        Assert.True(medium <= small * 1.25 + 1, figures);
        Assert.True(large <= medium * 1.25 + 1, figures);
    }
}
