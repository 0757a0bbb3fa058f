namespace StateMachineMqtt;

/// <summary>Names reason codes for error messages, from spec/'s MQTT 5 reason code table.</summary>
internal static class ReasonCodeNames
{
    private static readonly Spec.ReasonCodeRow[] Rows = Spec.ReasonCodeTable.CreateRows();

    /// <summary>"Not authorized (0x87)", or "reason code 0x87" for a code the table does not name.</summary>
    public static string Describe(int code) =>
        Spec.ReasonCodeTable.Find(Rows, code) is { } row
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{row.Name} (0x{code:X2})")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"reason code 0x{code:X2}");
}
