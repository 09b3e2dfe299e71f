extern alias device;
using System.Text;
using device::PingAnTong.Edge.NanoFacades;
using Xunit;
using NanoX509 = device::System.Security.Cryptography.X509Certificates.X509Certificate;

namespace PingAnTong.Edge.DeviceTests.Models;

/// <summary>The X509Certificate model against X509Certificate.cs, ssl_parse_certificate_internal.cpp and mbedtls_x509_crt_parse (see Models/MbedTlsCertificates.cs).</summary>
public class CertificateModelTests : DeviceTest
{
    [Fact]
    public void Pem_bytes_without_a_terminating_NUL_are_refused()
    {
        byte[] pem = Encoding.ASCII.GetBytes(TestCertificates.CaPem);
        var e = Assert.Throws<ArgumentException>(() => new NanoX509(pem));
        Assert.Contains("without a terminating NUL", e.Message);
    }

    [Fact]
    public void The_string_constructor_adds_the_NUL_and_parses()
    {
        var cert = new NanoX509(TestCertificates.CaPem);
        byte[] raw = cert.GetRawCertData();
        Assert.Equal(0, raw[^1]);
        Assert.Equal(new DateTime(2025, 1, 1), cert.GetEffectiveDate());
        Assert.Equal(new DateTime(2035, 1, 1), cert.GetExpirationDate());
    }

    [Fact]
    public void Pem_bytes_with_a_NUL_and_DER_bytes_parse()
    {
        byte[] pem = Encoding.ASCII.GetBytes(TestCertificates.CaPem + "\0");
        Assert.True(MbedTlsCertificates.IsPem(pem));
        new NanoX509(pem);
        new NanoX509(TestCertificates.CaDer);
        Assert.Throws<ArgumentException>(() => new NanoX509(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x00 }));
    }
}
