namespace StateMachineMqtt.Session;

/// <summary>Hands out packet identifiers unique among those in use and never 0 (I2, [MQTT-2.3.1-1]).</summary>
internal sealed class PacketIdAllocator
{
    private readonly HashSet<ushort> _inUse = [];
    private ushort _last;

    /// <summary>Identifiers currently in use.</summary>
    public int InUse => _inUse.Count;

    /// <summary>True when <paramref name="id"/> is in use.</summary>
    public bool Contains(ushort id) => _inUse.Contains(id);

    /// <summary>Takes the next free identifier. Throws when all 65,535 are in use (MaxInflight bounds this far below).</summary>
    public ushort Take()
    {
        if (_inUse.Count >= ushort.MaxValue)
        {
            throw new InvalidOperationException("All 65,535 packet identifiers are in use.");
        }

        do
        {
            _last = _last == ushort.MaxValue ? (ushort)1 : (ushort)(_last + 1);
        }
        while (!_inUse.Add(_last));

        return _last;
    }

    /// <summary>Frees an identifier once its flow has ended.</summary>
    public void Release(ushort id) => _inUse.Remove(id);
}
