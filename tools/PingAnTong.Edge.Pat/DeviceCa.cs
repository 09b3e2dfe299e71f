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
    public static byte[] FromFile(string path, out string problem)
    {
        problem = null;
        byte[] raw;
        try
        {
            raw = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"caFile {path}: {e.Message}";
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
            problem = $"caFile {path}: not a PEM or DER X.509 certificate";
            return null;
        }
        var pem = new StringBuilder();
        foreach (var certificate in certificates) pem.Append(certificate.ExportCertificatePem()).Append('\n');
        byte[] bytes = Encoding.ASCII.GetBytes(pem.ToString());
        Array.Resize(ref bytes, bytes.Length + 1); // the terminating NUL mbedTLS needs to see PEM
        return bytes;
    }
}
