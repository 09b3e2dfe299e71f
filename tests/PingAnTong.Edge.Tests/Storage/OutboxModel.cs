using System.Text;
using PingAnTong.Edge.Core.Events;
using PingAnTong.Edge.Core.Storage;

namespace PingAnTong.Edge.Tests.Storage;

/// <summary>What the outbox should hold: seq → (body, state), for comparing after recovery.</summary>
internal sealed class OutboxModel
{
    public Dictionary<long, (string Body, byte State, byte Class)> Entries { get; } = new();

    public OutboxModel Clone()
    {
        var m = new OutboxModel();
        foreach (var kv in Entries) m.Entries[kv.Key] = kv.Value;
        return m;
    }

    public static OutboxEntry Append(Outbox outbox, long seq, byte cls, byte priority, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        string kind = cls == EventClass.Alarm ? "sos" : null;
        return outbox.Append(Channel.Event, cls, priority, seq, "hub-" + seq, kind, seq * 10, -1, bytes, bytes.Length);
    }

    public static Dictionary<long, (string Body, byte State, byte Class)> Read(Outbox outbox)
    {
        var result = new Dictionary<long, (string, byte, byte)>();
        byte[] buffer = new byte[64];
        foreach (OutboxEntry e in outbox.Entries)
        {
            if (result.ContainsKey(e.Seq)) throw new InvalidOperationException("duplicate seq " + e.Seq);
            int n = outbox.ReadBody(e, ref buffer);
            result[e.Seq] = (Encoding.UTF8.GetString(buffer, 0, n), e.State, e.EventClass);
        }
        return result;
    }

    public static OutboxEntry Find(Outbox outbox, long seq) => outbox.Entries.Cast<OutboxEntry>().First(e => e.Seq == seq);
}
