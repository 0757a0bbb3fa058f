namespace StateMachineMqtt.Nano.Client
{
    /// <summary>
    /// A non-blocking TCP socket, as the client sees it. Every call returns at once with a socket error code: 0 for success,
    /// or a value of System.Net.Sockets.SocketError (the numbers spec/'s SocketErrorTable classifies) — 10036 EINPROGRESS and
    /// 10035 EWOULDBLOCK mean "not yet", anything else is an error. The ESP32 glue (nano-port/Glue) implements it over
    /// nanoFramework's System.Net.Sockets; tests implement it in memory.
    /// </summary>
    public interface INanoSocket
    {
        /// <summary>Starts opening a connection: 0 when open at once, InProgress / WouldBlock while opening, else the error.</summary>
        int Connect(string host, int port);

        /// <summary>While opening: 0 once open, InProgress while still opening, else the error (e.g. 10060 ETIMEDOUT).</summary>
        int Poll();

        /// <summary>Sends up to <paramref name="count"/> bytes: 0 with <paramref name="sent"/> taken (possibly fewer), WouldBlock when none fit, else the error.</summary>
        int Send(byte[] buffer, int offset, int count, out int sent);

        /// <summary>Receives up to <paramref name="count"/> bytes: 0 with <paramref name="received"/> &gt; 0, 0 with 0 at end of stream, WouldBlock when none are waiting, else the error.</summary>
        int Receive(byte[] buffer, int offset, int count, out int received);

        /// <summary>Closes the connection, if any. Never throws.</summary>
        void Close();
    }
}
