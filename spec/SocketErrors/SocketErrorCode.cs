namespace StateMachineMqtt.Spec
{
    /// <summary>
    /// Socket error codes with the numeric values of System.Net.Sockets.SocketError, which both
    /// .NET (on every OS) and nanoFramework report; the POSIX errno each stands for is in the table.
    /// </summary>
    public enum SocketErrorCode
    {
        /// <summary>An unspecified socket error.</summary>
        SocketError = -1,
        /// <summary>EINTR.</summary>
        Interrupted = 10004,
        /// <summary>EACCES.</summary>
        AccessDenied = 10013,
        /// <summary>EINVAL.</summary>
        InvalidArgument = 10022,
        /// <summary>EMFILE.</summary>
        TooManyOpenSockets = 10024,
        /// <summary>EWOULDBLOCK / EAGAIN.</summary>
        WouldBlock = 10035,
        /// <summary>EINPROGRESS.</summary>
        InProgress = 10036,
        /// <summary>EALREADY.</summary>
        AlreadyInProgress = 10037,
        /// <summary>EAFNOSUPPORT.</summary>
        AddressFamilyNotSupported = 10047,
        /// <summary>EADDRINUSE.</summary>
        AddressAlreadyInUse = 10048,
        /// <summary>EADDRNOTAVAIL.</summary>
        AddressNotAvailable = 10049,
        /// <summary>ENETDOWN.</summary>
        NetworkDown = 10050,
        /// <summary>ENETUNREACH.</summary>
        NetworkUnreachable = 10051,
        /// <summary>ENETRESET.</summary>
        NetworkReset = 10052,
        /// <summary>ECONNABORTED.</summary>
        ConnectionAborted = 10053,
        /// <summary>ECONNRESET.</summary>
        ConnectionReset = 10054,
        /// <summary>ENOBUFS.</summary>
        NoBufferSpaceAvailable = 10055,
        /// <summary>ENOTCONN.</summary>
        NotConnected = 10057,
        /// <summary>ESHUTDOWN / EPIPE.</summary>
        Shutdown = 10058,
        /// <summary>ETIMEDOUT.</summary>
        TimedOut = 10060,
        /// <summary>ECONNREFUSED.</summary>
        ConnectionRefused = 10061,
        /// <summary>EHOSTDOWN.</summary>
        HostDown = 10064,
        /// <summary>EHOSTUNREACH.</summary>
        HostUnreachable = 10065,
        /// <summary>The network subsystem is not ready (Wi-Fi not up yet).</summary>
        SystemNotReady = 10091,
        /// <summary>EHOSTNOTFOUND: the name does not exist.</summary>
        HostNotFound = 11001,
        /// <summary>EAI_AGAIN: name lookup failed for now.</summary>
        TryAgain = 11002,
        /// <summary>EAI_FAIL: name lookup failed for good.</summary>
        NoRecovery = 11003,
        /// <summary>EAI_NODATA: the name has no address.</summary>
        NoData = 11004,
        /// <summary>The operation was aborted because the socket closed.</summary>
        OperationAborted = 995,
    }
}
