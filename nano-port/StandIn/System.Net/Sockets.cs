// STAND-IN, not nanoFramework: the documented shape of nanoFramework.System.Net's sockets, only what nano-port/Glue
// calls. Every body throws. See nano-port/StandIn/README.md.
using System;

namespace System.Net.Sockets
{
    public enum AddressFamily
    {
        InterNetwork = 2,
    }

    public enum SocketType
    {
        Stream = 1,
    }

    public enum ProtocolType
    {
        Tcp = 6,
    }

    [Flags]
    public enum SocketFlags
    {
        None = 0,
    }

    public enum SelectMode
    {
        SelectRead = 0,
        SelectWrite = 1,
        SelectError = 2,
    }

    public class SocketException : Exception
    {
        // Only nanoFramework's runtime creates these; the glue only reads ErrorCode.
        private SocketException()
        {
        }

        public int ErrorCode
        {
            get { throw StandIn.NotReal(); }
        }
    }

    public class Socket : IDisposable
    {
        public Socket(AddressFamily addressFamily, SocketType socketType, ProtocolType protocolType)
        {
            throw StandIn.NotReal();
        }

        public int Available
        {
            get { throw StandIn.NotReal(); }
        }

        public int SendTimeout
        {
            get { throw StandIn.NotReal(); }
            set { throw StandIn.NotReal(); }
        }

        public void Connect(EndPoint remoteEP)
        {
            throw StandIn.NotReal();
        }

        public bool Poll(int microSeconds, SelectMode mode)
        {
            throw StandIn.NotReal();
        }

        public int Send(byte[] buffer, int offset, int size, SocketFlags socketFlags)
        {
            throw StandIn.NotReal();
        }

        public int Receive(byte[] buffer, int offset, int size, SocketFlags socketFlags)
        {
            throw StandIn.NotReal();
        }

        public void Close()
        {
            throw StandIn.NotReal();
        }

        public void Dispose()
        {
            throw StandIn.NotReal();
        }
    }
}

namespace System.Net
{
    public abstract class EndPoint
    {
    }

    public class IPAddress
    {
        public static IPAddress Parse(string ipString)
        {
            throw StandIn.NotReal();
        }
    }

    public class IPEndPoint : EndPoint
    {
        public IPEndPoint(IPAddress address, int port)
        {
            throw StandIn.NotReal();
        }
    }

    public class IPHostEntry
    {
        public IPAddress[] AddressList
        {
            get { throw StandIn.NotReal(); }
        }
    }

    public static class Dns
    {
        public static IPHostEntry GetHostEntry(string hostNameOrAddress)
        {
            throw StandIn.NotReal();
        }
    }

    internal static class StandIn
    {
        public static NotSupportedException NotReal()
        {
            return new NotSupportedException("This is the CI stand-in for nanoFramework.System.Net (nano-port/StandIn); reference the real package on a device.");
        }
    }
}

namespace System.Net.NetworkInformation
{
    public class NetworkAvailabilityEventArgs : EventArgs
    {
        public bool IsAvailable
        {
            get { throw StandIn.NotReal(); }
        }
    }

    public delegate void NetworkAvailabilityChangedEventHandler(object sender, NetworkAvailabilityEventArgs e);

    public static class NetworkChange
    {
        public static event NetworkAvailabilityChangedEventHandler NetworkAvailabilityChanged
        {
            add { throw StandIn.NotReal(); }
            remove { throw StandIn.NotReal(); }
        }
    }
}
