using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PingAnTong.Edge.DeviceTests;

/// <summary>A CA certificate made on the fly (valid 2025..2035), as PEM text and DER bytes.</summary>
public static class TestCertificates
{
    private static readonly Lazy<(string Pem, byte[] Der)> Ca = new(() =>
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=PingAnTong Test CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var cert = request.CreateSelfSigned(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2035, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return (cert.ExportCertificatePem() + "\n", cert.Export(X509ContentType.Cert));
    });

    public static string CaPem => Ca.Value.Pem;

    public static byte[] CaDer => Ca.Value.Der;
}
