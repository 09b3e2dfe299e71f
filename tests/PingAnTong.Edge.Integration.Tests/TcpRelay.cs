using System.Net;
using System.Net.Sockets;

namespace PingAnTong.Edge.Integration.Tests;

/// <summary>
/// A loopback TCP relay between a client and a broker, so a test can break the link the ways a home's
/// network does: <see cref="CloseAll"/> drops every connection (the router reboots, a socket closes),
/// <see cref="Freeze"/> keeps the sockets open but stops carrying bytes (a half-open link: Wi-Fi gone
/// without a FIN or RST, nothing answers any more), <see cref="CutAfterBrokerBytes"/> closes each new
/// connection once that many bytes came from the broker (4: right after the CONNACK). Shared with
/// tests/PingAnTong.Edge.DeviceMqtt.Tests.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly List<TcpClient> _sockets = new();
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _frozen;

    public TcpRelay(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _ = AcceptLoop();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections accepted so far.</summary>
    public int Accepted { get; private set; }

    /// <summary>When above 0, each new connection is closed once this many bytes came from the broker.</summary>
    public int CutAfterBrokerBytes { get; set; }

    /// <summary>Stops carrying bytes both ways; sockets stay open. New connections hang too.</summary>
    public void Freeze() => _frozen = true;

    public void Thaw() => _frozen = false;

    /// <summary>Closes every relayed connection at once (the client sees the socket end).</summary>
    public void CloseAll()
    {
        lock (_sockets)
        {
            foreach (var s in _sockets) s.Close();
            _sockets.Clear();
        }
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            Accepted++;
            var upstream = new TcpClient();
            try { await upstream.ConnectAsync(IPAddress.Loopback, _targetPort); }
            catch (SocketException) { client.Close(); continue; }
            lock (_sockets) { _sockets.Add(client); _sockets.Add(upstream); }
            _ = Pump(client, upstream, 0);
            _ = Pump(upstream, client, CutAfterBrokerBytes);
        }
    }

    private async Task Pump(TcpClient from, TcpClient to, int cutAfter)
    {
        int carried = 0;
        var buffer = new byte[8192];
        try
        {
            var input = from.GetStream();
            var output = to.GetStream();
            while (true)
            {
                int n = await input.ReadAsync(buffer, _stop.Token);
                if (n == 0) break;
                if (cutAfter > 0 && carried + n >= cutAfter) n = cutAfter - carried;
                // Frozen: the bytes are swallowed, as by a link that went dead without telling anyone.
                if (!_frozen) await output.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
                carried += n;
                if (cutAfter > 0 && carried >= cutAfter) break;
            }
        }
        catch (Exception)
        {
            // The other side closed or the relay stopped.
        }
        if (!_frozen) { from.Close(); to.Close(); }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        CloseAll();
        return ValueTask.CompletedTask;
    }
}
