namespace PingAnTong.Edge.Core.Storage
{
    /// <summary>Writes the JSON body of <paramref name="entry"/> from what is held in memory into
    /// <paramref name="buffer"/> (grown when too small); returns its length.</summary>
    public delegate int BodyRebuilder(OutboxEntry entry, ref byte[] buffer);
}
