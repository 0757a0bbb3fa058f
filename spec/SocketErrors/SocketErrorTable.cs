namespace StateMachineMqtt.Spec
{
    /// <summary>One row of the socket-error classifier: a code, the errno it stands for, and the Connection trigger it fires.</summary>
    public sealed class SocketErrorRow
    {
        /// <summary>Creates a row.</summary>
        public SocketErrorRow(SocketErrorCode code, string errno, ConnectionTrigger trigger)
        {
            Code = code;
            Errno = errno;
            Trigger = trigger;
        }

        /// <summary>The socket error code.</summary>
        public SocketErrorCode Code { get; }
        /// <summary>The POSIX name of the error, for people.</summary>
        public string Errno { get; }
        /// <summary>The Connection trigger the error fires.</summary>
        public ConnectionTrigger Trigger { get; }
    }

    /// <summary>
    /// Socket errors mapped to Connection triggers, in one place for core/ and nano-port/.
    /// In-progress results keep waiting; errors that say the address itself is unusable are
    /// configuration errors; everything else — including any code not listed — means the link is lost.
    /// </summary>
    public static class SocketErrorTable
    {
        /// <summary>The trigger for a code the table does not list.</summary>
        public const ConnectionTrigger Default = ConnectionTrigger.LinkLost;

        /// <summary>Returns a fresh copy of the rows.</summary>
        public static SocketErrorRow[] CreateRows()
        {
            return new SocketErrorRow[]
            {
                R(SocketErrorCode.InProgress, "EINPROGRESS", ConnectionTrigger.SocketPending),
                R(SocketErrorCode.WouldBlock, "EWOULDBLOCK", ConnectionTrigger.SocketPending),
                R(SocketErrorCode.AlreadyInProgress, "EALREADY", ConnectionTrigger.SocketPending),
                R(SocketErrorCode.Interrupted, "EINTR", ConnectionTrigger.SocketPending),

                R(SocketErrorCode.HostNotFound, "EAI_NONAME", ConnectionTrigger.ConfigurationError),
                R(SocketErrorCode.NoData, "EAI_NODATA", ConnectionTrigger.ConfigurationError),
                R(SocketErrorCode.NoRecovery, "EAI_FAIL", ConnectionTrigger.ConfigurationError),
                R(SocketErrorCode.AddressFamilyNotSupported, "EAFNOSUPPORT", ConnectionTrigger.ConfigurationError),
                R(SocketErrorCode.AccessDenied, "EACCES", ConnectionTrigger.ConfigurationError),
                R(SocketErrorCode.InvalidArgument, "EINVAL", ConnectionTrigger.ConfigurationError),

                R(SocketErrorCode.TimedOut, "ETIMEDOUT", ConnectionTrigger.LinkLost),
                R(SocketErrorCode.ConnectionAborted, "ECONNABORTED", ConnectionTrigger.LinkLost),
                R(SocketErrorCode.ConnectionReset, "ECONNRESET", ConnectionTrigger.LinkLost),
                R(SocketErrorCode.ConnectionRefused, "ECONNREFUSED", ConnectionTrigger.LinkLost),
                R(SocketErrorCode.NetworkDown, "ENETDOWN", ConnectionTrigger.LinkLost),
                R(SocketErrorCode.NetworkUnreachable, "ENETUNREACH", ConnectionTrigger.LinkLost),
                R(SocketErrorCode.NetworkReset, "ENETRESET", ConnectionTrigger.LinkLost),
                R(SocketErrorCode.HostUnreachable, "EHOSTUNREACH", ConnectionTrigger.LinkLost),
                R(SocketErrorCode.HostDown, "EHOSTDOWN", ConnectionTrigger.LinkLost),
                R(SocketErrorCode.Shutdown, "EPIPE", ConnectionTrigger.LinkLost),
                R(SocketErrorCode.NotConnected, "ENOTCONN", ConnectionTrigger.LinkLost),
                R(SocketErrorCode.TryAgain, "EAI_AGAIN", ConnectionTrigger.LinkLost),
                R(SocketErrorCode.SystemNotReady, "ENETDOWN (stack not ready)", ConnectionTrigger.LinkLost),
                R(SocketErrorCode.NoBufferSpaceAvailable, "ENOBUFS", ConnectionTrigger.LinkLost),
                R(SocketErrorCode.TooManyOpenSockets, "EMFILE", ConnectionTrigger.LinkLost),
                R(SocketErrorCode.AddressAlreadyInUse, "EADDRINUSE", ConnectionTrigger.LinkLost),
                R(SocketErrorCode.AddressNotAvailable, "EADDRNOTAVAIL", ConnectionTrigger.LinkLost),
                R(SocketErrorCode.OperationAborted, "ECANCELED", ConnectionTrigger.LinkLost),
                R(SocketErrorCode.SocketError, "(unspecified)", ConnectionTrigger.LinkLost),
            };
        }

        /// <summary>The trigger for a numeric socket error code.</summary>
        public static ConnectionTrigger Classify(int code)
        {
            SocketErrorRow[] rows = CreateRows();
            for (int i = 0; i < rows.Length; i++)
            {
                if ((int)rows[i].Code == code)
                {
                    return rows[i].Trigger;
                }
            }

            return Default;
        }

        private static SocketErrorRow R(SocketErrorCode code, string errno, ConnectionTrigger trigger)
        {
            return new SocketErrorRow(code, errno, trigger);
        }
    }
}
