namespace StateMachineMqtt.PropertyTests.Fixtures.Requirements;

/// <summary>A program (or privilege) that some tests need and the .NET SDK does not bring.</summary>
public enum Tool
{
    /// <summary>The Mosquitto broker, /usr/sbin/mosquitto (Debian package mosquitto).</summary>
    Mosquitto,

    /// <summary>mosquitto_pub and mosquitto_sub (Debian package mosquitto-clients).</summary>
    MosquittoClients,

    /// <summary>The spin model checker and a C compiler for the verifiers it writes (Debian packages spin and gcc).</summary>
    Spin,

    /// <summary>Graphviz's dot, which renders the state diagrams as SVG (Debian package graphviz).</summary>
    Graphviz,

    /// <summary>Root, ip (iproute2) and iptables: network namespaces, veth pairs and DROP rules for real half-open links.</summary>
    NetworkNamespaces,

    /// <summary>script, which runs a command under a pseudo-terminal (Debian package bsdutils, from util-linux).</summary>
    PseudoTerminal,

    /// <summary>afl++'s afl-fuzz, which drives the SharpFuzz-instrumented decoders in fuzz/ (Debian package afl++).</summary>
    AflFuzz,
}
