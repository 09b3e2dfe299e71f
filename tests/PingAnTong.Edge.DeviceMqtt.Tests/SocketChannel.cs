using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using nanoFramework.M2Mqtt;

namespace PingAnTong.Edge.DeviceMqtt.Tests;

/// <summary>
/// The network under the M2Mqtt model, as M2Mqtt/Net/MqttNetworkChannel.cs at v5.1.220 does it on the device: the constructor
/// resolves the host (first IPv4 address), Connect opens a TCP socket and, when secure, a TLS session that checks the broker's
/// name and trusts only the CA the app passed (no CA: the host's store, for the device's stored bundle); Receive fills the
/// buffer or returns 0 when the peer closed. Socket errors surface as the model's NetworkSocketException (the device's
/// SocketException, with a SocketError code), TLS stream errors as IOException, as on the device.
/// </summary>
public sealed class SocketChannel : IMqttNetworkChannel
{
    private readonly string _host;
    private readonly IPAddress _address;
    private readonly int _port;
    private readonly bool _secure;
    private readonly X509Certificate2 _ca;
    private readonly MqttSslProtocols _sslProtocol;
    private Socket _socket;
    private SslStream _ssl;

    /// <summary>Installs this channel and background threads under every MqttClient the tests make.</summary>
    [ModuleInitializer]
    internal static void Install()
    {
        MqttClient.ChannelFactory = (host, port, secure, ca, clientCert, ssl) => new SocketChannel(host, port, secure, ca, ssl);
        MqttClient.NewThread = start => new Thread(start) { IsBackground = true, Name = "M2Mqtt model" };
    }

    public SocketChannel(string host, int port, bool secure, X509Certificate ca, MqttSslProtocols sslProtocol)
    {
        try
        {
            _address = Dns.GetHostAddresses(host).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? throw new Exception("No address found for the remote host name");
        }
        catch (SocketException e)
        {
            throw Socket(e);
        }
        _host = host;
        _port = port;
        _secure = secure;
        _ca = ca == null ? null : X509CertificateLoader.LoadCertificate(ca.GetRawCertData());
        _sslProtocol = sslProtocol;
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
        _ssl = new SslStream(new NetworkStream(_socket, ownsSocket: false), false, CheckServer);
        _ssl.AuthenticateAsClient(new SslClientAuthenticationOptions { TargetHost = _host, EnabledSslProtocols = protocols });
    }

    /// <summary>The broker's certificate must carry its name and chain to the app's CA alone (mbedTLS with the CA as its only trust anchor).</summary>
    private bool CheckServer(object sender, X509Certificate certificate, X509Chain chain, SslPolicyErrors errors)
    {
        if (!ValidateServerCertificate) return true;
        if (certificate == null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0) return false;
        if (_ca == null) return errors == SslPolicyErrors.None;
        using var own = new X509Chain();
        own.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        own.ChainPolicy.CustomTrustStore.Add(_ca);
        own.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var server = new X509Certificate2(certificate);
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
