using System.Globalization;
using System.Text;
using StateMachineMqtt.Machines;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Docs;

/// <summary>
/// Renders the spec/ tables as the Markdown blocks of spec/README.md, each between
/// <c>&lt;!-- BEGIN Name --&gt;</c> and <c>&lt;!-- END Name --&gt;</c>, so the README cannot drift from the tables.
/// </summary>
internal static class SpecReadmeTables
{
    /// <summary>Every generated block, by marker name.</summary>
    public static IReadOnlyList<(string Name, string Markdown)> Blocks(SpecXmlDocs docs) =>
    [
        ("ConnectionTable", Machine(docs, SpecTables.Connection(), ConnectionTable.Initial)),
        ("KeepAliveTable", Machine(docs, SpecTables.KeepAlive(), KeepAliveTable.Initial)),
        ("PublishTable", Machine(docs, SpecTables.Publish(), PublishTable.Initial)),
        ("ReceiptTable", Machine(docs, SpecTables.Receipt(), ReceiptTable.Initial)),
        ("AuthenticationTable", Machine(docs, SpecTables.Authentication(), AuthenticationTable.Initial)),
        ("ConnAckRefusalTable", ConnAckRefusals()),
        ("SocketErrorTable", SocketErrors(docs)),
        ("InboundDispatchTable", InboundDispatch(docs)),
        ("PropertyTable", Properties()),
        ("ReasonCodeTable", ReasonCodesBlock()),
    ];

    /// <summary>Replaces the text between each block's markers; throws when a marker is missing.</summary>
    public static string Apply(string readme, IReadOnlyList<(string Name, string Markdown)> blocks) =>
        MarkedBlocks.Apply("spec/README.md", readme, blocks);

    private static string Machine<TState, TTrigger, TGuard, TEffect>(
        SpecXmlDocs docs, TableRow<TState, TTrigger, TGuard, TEffect>[] rows, TState initial)
        where TState : struct, Enum
        where TTrigger : struct, Enum
        where TGuard : struct, Enum
        where TEffect : struct, Enum
    {
        var md = new StringBuilder();
        Legend<TState>(md, docs, "State", initial);
        Legend<TTrigger>(md, docs, "Trigger", null);
        Legend<TGuard>(md, docs, "Guard", null);
        Legend<TEffect>(md, docs, "Effect", null);

        md.Append("| # | From | Trigger | Guard | To | Effect | Rule |\n");
        md.Append("|---|---|---|---|---|---|---|\n");
        foreach (TableRow<TState, TTrigger, TGuard, TEffect> row in rows)
        {
            string guard = Convert.ToInt32(row.Guard, CultureInfo.InvariantCulture) == 0 ? "" : row.Guard.ToString();
            md.Append(CultureInfo.InvariantCulture,
                $"| {row.Index} | {row.From} | {row.Trigger} | {guard} | {row.To} | {row.Effect} | {Cell(row.Rule)} |\n");
        }

        return md.ToString();
    }

    private static void Legend<TEnum>(StringBuilder md, SpecXmlDocs docs, string heading, TEnum? initial)
        where TEnum : struct, Enum
    {
        md.Append(CultureInfo.InvariantCulture, $"| {heading} | Meaning |\n|---|---|\n");
        foreach (TEnum value in Enum.GetValues<TEnum>())
        {
            string note = initial.HasValue && initial.Value.Equals(value) ? " *(initial)*" : "";
            md.Append(CultureInfo.InvariantCulture, $"| {value}{note} | {Cell(docs.Of(value))} |\n");
        }

        md.Append('\n');
    }

    private static string SocketErrors(SpecXmlDocs docs)
    {
        var md = new StringBuilder();
        md.Append("| Code | Value | errno | Trigger |\n|---|---|---|---|\n");
        foreach (SocketErrorRow row in SocketErrorTable.CreateRows())
        {
            md.Append(CultureInfo.InvariantCulture, $"| {row.Code} | {(int)row.Code} | {Cell(row.Errno)} | {row.Trigger} |\n");
        }

        md.Append(CultureInfo.InvariantCulture,
            $"\nAny code not listed: {SocketErrorTable.Default}. Triggers: SocketPending — {docs.Of(ConnectionTrigger.SocketPending)} " +
            $"ConfigurationError — {docs.Of(ConnectionTrigger.ConfigurationError)} LinkLost — {docs.Of(ConnectionTrigger.LinkLost)}\n");
        return md.ToString();
    }

    private static string InboundDispatch(SpecXmlDocs docs)
    {
        var md = new StringBuilder();
        Legend<InboundAction>(md, docs, "Action", null);
        md.Append("| State | Packet | Action | Rule |\n|---|---|---|---|\n");
        foreach (InboundDispatchRow row in InboundDispatchTable.CreateRows())
        {
            md.Append(CultureInfo.InvariantCulture, $"| {row.State} | {row.Packet} | {row.Action} | {Cell(row.Rule)} |\n");
        }

        md.Append("\nAny other (state, packet): ProtocolViolation for a packet type only clients send (CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ, DISCONNECT) on a link; otherwise Ignore (no link: a stale packet from a closed one).\n");
        return md.ToString();
    }

    private static string ConnAckRefusals()
    {
        var md = new StringBuilder();
        md.Append("| Version | Code | Name | Trigger | Why |\n|---|---|---|---|---|\n");
        foreach (ConnAckRefusalRow row in ConnAckRefusalTable.CreateRows())
        {
            string trigger = row.Retryable ? nameof(ConnectionTrigger.ConnAckRefusedRetryable) : nameof(ConnectionTrigger.ConnAckRefusedFatal);
            md.Append(CultureInfo.InvariantCulture, $"| {row.Version} | 0x{row.Code:X2} | {Cell(row.Name)} | {trigger} | {Cell(row.Why)} |\n");
        }

        return md.ToString();
    }

    private static string Properties()
    {
        var md = new StringBuilder();
        md.Append("| Id | Property | Type | Allowed in | Repeatable in | Values | Rule |\n|---|---|---|---|---|---|---|\n");
        foreach (PropertyRow row in PropertyTable.CreateRows())
        {
            string values = row.Type is PropertyType.Byte or PropertyType.TwoByteInteger or PropertyType.FourByteInteger or PropertyType.VariableByteInteger
                ? string.Create(CultureInfo.InvariantCulture, $"{row.Minimum}–{row.Maximum}")
                : "";
            md.Append(CultureInfo.InvariantCulture,
                $"| 0x{(int)row.Id:X2} | {row.Id} | {row.Type} | {Contexts(row.AllowedIn)} | {Contexts(row.RepeatableIn)} | {values} | {Cell(row.Rule)} |\n");
        }

        return md.ToString();
    }

    private static string ReasonCodesBlock()
    {
        var md = new StringBuilder();
        md.Append("| Code | Name | Packets |\n|---|---|---|\n");
        foreach (ReasonCodeRow row in ReasonCodeTable.CreateRows())
        {
            md.Append(CultureInfo.InvariantCulture, $"| 0x{row.Code:X2} | {Cell(row.Name)} | {Contexts(row.Packets)} |\n");
        }

        md.Append("\nFrom 0x80 up, a code is a failure [MQTT-2.4].\n");
        return md.ToString();
    }

    private static string Contexts(PropertyContext contexts) => contexts == PropertyContext.None
        ? "—"
        : string.Join(", ", Enum.GetValues<PropertyContext>().Where(c => c != PropertyContext.None && (contexts & c) != 0));

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
