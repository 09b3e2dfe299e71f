using System.Security.Cryptography;
using System.Text;
using PingAnTong.Edge.Core.Field;
using PingAnTong.Edge.Core.Security;
using Xunit;

namespace PingAnTong.Edge.Tests.Security;

public class HmacSha256Tests
{
    private static byte[] Repeat(byte b, int n) => Enumerable.Repeat(b, n).ToArray();
    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);
    private static string Hex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();

    /// <summary>RFC 4231 section 4, every test case, HMAC-SHA-256 outputs (case 5 is truncated to 128 bits).</summary>
    public static TheoryData<int, byte[], byte[], string> Rfc4231 => new()
    {
        { 1, Repeat(0x0b, 20), Ascii("Hi There"), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
        { 2, Ascii("Jefe"), Ascii("what do ya want for nothing?"), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
        { 3, Repeat(0xaa, 20), Repeat(0xdd, 50), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
        { 4, Enumerable.Range(1, 25).Select(i => (byte)i).ToArray(), Repeat(0xcd, 50), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
        { 5, Repeat(0x0c, 20), Ascii("Test With Truncation"), "a3b6167473100ee06e0c796c2955552b" },
        { 6, Repeat(0xaa, 131), Ascii("Test Using Larger Than Block-Size Key - Hash Key First"), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
        { 7, Repeat(0xaa, 131), Ascii("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
    };

    [Theory]
    [MemberData(nameof(Rfc4231))]
    public void Matches_every_RFC_4231_test_case(int testCase, byte[] key, byte[] data, string expected)
    {
        byte[] mac = new HmacSha256(key).Compute(data, 0, data.Length);
        // Case 5 gives only the leftmost 128 bits: a truncated MAC is the prefix of the full one.
        Assert.True(expected == Hex(mac)[..expected.Length], $"RFC 4231 case {testCase}: {Hex(mac)}");
        Assert.Equal(testCase == 5 ? 32 : 64, expected.Length);
    }

    [Fact]
    public void Matches_dotnet_for_every_key_and_message_length_around_the_block_boundaries()
    {
        var rng = new Random(4231);
        foreach (int keyLength in new[] { 0, 1, 31, 32, 63, 64, 65, 128, 200 })
        {
            foreach (int dataLength in new[] { 0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 1000 })
            {
                byte[] key = new byte[keyLength], data = new byte[dataLength + 7];
                rng.NextBytes(key);
                rng.NextBytes(data);
                var hmac = new HmacSha256(key);
                byte[] mine = hmac.Compute(data, 7, dataLength);
                Assert.Equal(HMACSHA256.HashData(key, data.AsSpan(7, dataLength)), mine);
                Assert.Equal(mine, hmac.Compute(data, 7, dataLength)); // the instance is reusable
            }
        }
    }

    [Fact]
    public void Sha256_streaming_matches_dotnet_at_every_length_up_to_three_blocks()
    {
        var rng = new Random(180);
        for (int n = 0; n <= 200; n++)
        {
            byte[] data = new byte[n];
            rng.NextBytes(data);
            Assert.Equal(SHA256.HashData(data), Sha256.Hash(data, 0, n));
        }
    }

    [Fact]
    public void Output_may_be_the_input_as_in_PBKDF2_rounds()
    {
        byte[] key = Ascii("key");
        byte[] u = SHA256.HashData(Ascii("u0"));
        byte[] expected = HMACSHA256.HashData(key, u);
        new HmacSha256(key).Compute(u, 0, u.Length, u, 0);
        Assert.Equal(expected, u);
    }

    [Fact]
    public void Fixed_time_comparison_finds_a_difference_in_any_byte()
    {
        byte[] a = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        Assert.True(HmacSha256.FixedTimeEquals(a, 0, (byte[])a.Clone(), 0, 32));
        for (int i = 0; i < 32; i++)
        {
            byte[] b = (byte[])a.Clone();
            b[i] ^= 0x80;
            Assert.False(HmacSha256.FixedTimeEquals(a, 0, b, 0, 32));
        }
    }
}

public class Pbkdf2Tests
{
    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    /// <summary>RFC 7914 section 11, the PBKDF2-HMAC-SHA256 test vectors.</summary>
    [Theory]
    [InlineData("passwd", "salt", 1, "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")]
    [InlineData("Password", "NaCl", 80000, "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d")]
    public void Matches_the_RFC_7914_vectors(string password, string salt, int iterations, string expected)
    {
        Assert.Equal(expected, Convert.ToHexString(Pbkdf2Sha256.Derive(Ascii(password), Ascii(salt), iterations, 64)).ToLowerInvariant());
    }

    [Fact]
    public void Matches_dotnet_for_short_and_long_outputs()
    {
        foreach (int length in new[] { 1, 20, 32, 33, 64, 100 })
        {
            foreach (int iterations in new[] { 1, 2, 7, 1000 })
            {
                byte[] p = Ascii("13572468"), s = Ascii("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
                Assert.Equal(Rfc2898DeriveBytes.Pbkdf2(p, s, iterations, HashAlgorithmName.SHA256, length), Pbkdf2Sha256.Derive(p, s, iterations, length));
            }
        }
    }
}
