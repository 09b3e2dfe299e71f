using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PingAnTong.Edge.Pat;

/// <summary>
/// The broker's CA certificate in the form the hub reads it: PEM text ending in a NUL byte. The hub passes
/// the file's bytes to nanoFramework's X509Certificate(byte[]), whose mbedTLS parser takes a buffer as PEM only
/// when its last byte is NUL and otherwise as DER, so a plain PEM file fails there
/// (nanoframework/nf-interpreter src/PAL/COM/sockets/ssl/MbedTLS/ssl_parse_certificate_internal.cpp,
/// Mbed-TLS library/x509_crt.c mbedtls_x509_crt_parse). nanoff's own network deployment adds the NUL to the
/// certificates it stores for the same reason (nanoFirmwareFlasher NetworkDeploymentManager.cs).
/// Accepts PEM (one or more certificates) or DER; refuses anything else.
/// </summary>
public static class DeviceCa
{
    /// <summary>The bytes to deploy as the hub's CA file, or null with <paramref name="problem"/> set.</summary>
    public static byte[] FromFile(string path, out string problem) => FromFile(path, DateTime.UtcNow, out problem, out _);

    /// <summary>
    /// The bytes to deploy as the hub's CA file, or null with <paramref name="problem"/> set: the file must be PEM or
    /// DER certificates, each a CA (basic constraints CA:TRUE: a broker's own certificate in its place makes every
    /// TLS handshake fail on site) and valid at <paramref name="nowUtc"/>. <paramref name="summary"/> names the
    /// certificate that expires first and its days left.
    /// </summary>
    /// <summary>The CA certificate that expires first: its subject, the file, its end of validity and the whole days left.</summary>
    public sealed record Info(string Subject, string File, DateTime NotAfterUtc, int DaysLeft);

    public static byte[] FromFile(string path, DateTime nowUtc, out string problem, out Info summary)
    {
        problem = null;
        summary = null;
        byte[] raw;
        try
        {
            raw = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = Text.Get("CaUnreadable", path, e.Message);
            return null;
        }
        var certificates = new X509Certificate2Collection();
        try
        {
            string text = Encoding.UTF8.GetString(raw).TrimEnd('\0');
            if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)) certificates.ImportFromPem(text);
            else certificates.Add(X509CertificateLoader.LoadCertificate(raw));
        }
        catch (CryptographicException)
        {
            certificates.Clear();
        }
        if (certificates.Count == 0)
        {
            problem = Text.Get("CaNotCertificate", path);
            return null;
        }
        foreach (var certificate in certificates)
        {
            string subject = certificate.GetNameInfo(X509NameType.SimpleName, false);
            var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
            if (constraints == null || !constraints.CertificateAuthority)
            {
                problem = Text.Get("CaNotCa", path, subject);
                return null;
            }
            if (certificate.NotAfter.ToUniversalTime() <= nowUtc)
            {
                problem = Text.Get("CaExpired", path, subject, certificate.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                return null;
            }
            if (certificate.NotBefore.ToUniversalTime() > nowUtc)
            {
                problem = Text.Get("CaNotYetValid", path, subject, certificate.NotBefore.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));
                return null;
            }
        }
        var first = certificates.Cast<X509Certificate2>().OrderBy(c => c.NotAfter).First();
        int daysLeft = (int)Math.Floor((first.NotAfter.ToUniversalTime() - nowUtc).TotalDays);
        summary = new Info(first.GetNameInfo(X509NameType.SimpleName, false), path, first.NotAfter.ToUniversalTime(), daysLeft);
        var pem = new StringBuilder();
        foreach (var certificate in certificates) pem.Append(certificate.ExportCertificatePem()).Append('\n');
        byte[] bytes = Encoding.ASCII.GetBytes(pem.ToString());
        Array.Resize(ref bytes, bytes.Length + 1); // the terminating NUL mbedTLS needs to see PEM
        return bytes;
    }
}
