using System;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using nanoFramework.M2Mqtt;
using Net509 = System.Security.Cryptography.X509Certificates;

namespace PingAnTong.Edge.NanoFacades
{
/// <summary>
/// The network under the M2Mqtt model, as M2Mqtt/Net/MqttNetworkChannel.cs at v5.1.220 does it on the device: the host's
/// address is resolved before (the real constructor calls Dns.GetHostEntry), Connect opens a TCP socket and, when secure, a
/// TLS session that checks the broker's name and trusts only the CA the app passed (no CA: the host's store, for the
/// device's stored bundle); Receive fills the buffer or returns 0 when the peer closed. Socket errors surface as the model's
/// NetworkSocketException (the device's SocketException, with a SocketError code), TLS stream errors as IOException, as on
/// the device. Shared by the virtual ESP32 (Network/Install.cs: the name through the virtual Wi-Fi and DNS) and
/// tests/PingAnTong.Edge.DeviceMqtt.Tests (the host's DNS).
/// </summary>
public sealed class SocketChannel : IMqttNetworkChannel
{
    private readonly string _host;
    private readonly IPAddress _address;
    private readonly int _port;
    private readonly bool _secure;
    private readonly Net509.X509Certificate2 _ca;
    private readonly MqttSslProtocols _sslProtocol;
    private Socket _socket;
    private SslStream _ssl;

    /// <param name="caDer">The DER of the CA the application passed (the first certificate mbedTLS parsed from it), or null.</param>
    public SocketChannel(string host, IPAddress address, int port, bool secure, byte[] caDer, MqttSslProtocols sslProtocol)
    {
        _host = host;
        _address = address;
        _port = port;
        _secure = secure;
        _ca = caDer == null ? null : Net509.X509CertificateLoader.LoadCertificate(caDer);
        _sslProtocol = sslProtocol;
    }

    /// <summary>The host's DNS, as the device's constructor resolves it (first IPv4 address), or the device's SocketException.</summary>
    public static IPAddress ResolveIPv4(string host)
    {
        try
        {
            foreach (var a in Dns.GetHostAddresses(host))
                if (a.AddressFamily == AddressFamily.InterNetwork) return a;
        }
        catch (SocketException e)
        {
            throw Socket(e);
        }
        throw new Exception("No address found for the remote host name");
    }

    public bool ValidateServerCertificate { get; set; } = true;

    public void Connect()
    {
        Close();
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _socket.Connect(new IPEndPoint(_address, _port));
        }
        catch (SocketException e)
        {
            throw Socket(e);
        }
        if (!_secure) return;
        SslProtocols protocols = _sslProtocol switch
        {
            MqttSslProtocols.None => SslProtocols.None,
            MqttSslProtocols.TLSv1_2 => SslProtocols.Tls12,
            MqttSslProtocols.TLSv1_3 => SslProtocols.Tls13,
            _ => throw new ArgumentException("SSL/TLS protocol version not supported"),
        };
        _ssl = new SslStream(new NetworkStream(_socket, ownsSocket: false), false, (sender, certificate, chain, errors) => CheckServer(certificate?.GetRawCertData(), errors));
        _ssl.AuthenticateAsClient(new SslClientAuthenticationOptions { TargetHost = _host, EnabledSslProtocols = protocols });
    }

    /// <summary>The broker's certificate (DER; the .NET type is not named: in the virtual ESP32's build X509Certificate is the facade's) must carry its name and chain to the app's CA alone (mbedTLS with the CA as its only trust anchor).</summary>
    private bool CheckServer(byte[] certificate, SslPolicyErrors errors)
    {
        if (!ValidateServerCertificate) return true;
        if (certificate == null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0) return false;
        if (_ca == null) return errors == SslPolicyErrors.None;
        using var own = new Net509.X509Chain();
        own.ChainPolicy.TrustMode = Net509.X509ChainTrustMode.CustomRootTrust;
        own.ChainPolicy.CustomTrustStore.Add(_ca);
        own.ChainPolicy.RevocationMode = Net509.X509RevocationMode.NoCheck;
        using var server = Net509.X509CertificateLoader.LoadCertificate(certificate);
        return own.Build(server);
    }

    public int Send(byte[] buffer)
    {
        try
        {
            if (_secure)
            {
                Ssl().Write(buffer, 0, buffer.Length);
                Ssl().Flush();
                return buffer.Length;
            }
            return Open().Send(buffer, 0, buffer.Length, SocketFlags.None);
        }
        catch (SocketException e)
        {
            throw Socket(e);
        }
    }

    public int Receive(byte[] buffer)
    {
        int index = 0;
        try
        {
            while (index < buffer.Length)
            {
                int read = _secure ? Ssl().Read(buffer, index, buffer.Length - index) : Open().Receive(buffer, index, buffer.Length - index, SocketFlags.None);
                if (read == 0) return 0;
                index += read;
            }
        }
        catch (SocketException e)
        {
            throw Socket(e);
        }
        catch (ObjectDisposedException)
        {
            throw new MqttClient.NetworkSocketException((int)SocketError.OperationAborted, "the socket was closed");
        }
        return buffer.Length;
    }

    public void Close()
    {
        try { _ssl?.Dispose(); } catch (Exception) { }
        _ssl = null;
        try { _socket?.Close(); } catch (Exception) { }
        _socket = null;
    }

    private Socket Open() => _socket ?? throw new MqttClient.NetworkSocketException((int)SocketError.NotConnected, "the socket is closed");

    private SslStream Ssl() => _ssl ?? throw new IOException("the TLS stream is closed");

    private static MqttClient.NetworkSocketException Socket(SocketException e) => new((int)e.SocketErrorCode, e.Message);
}
}
