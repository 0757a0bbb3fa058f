using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using StateMachineMqtt.Nano.Client;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Glue
{
    /// <summary>
    /// INanoSocket over nanoFramework's System.Net.Sockets.Socket. nanoFramework's Connect and DNS lookup block, so they
    /// run on a worker thread and Connect / Poll report EINPROGRESS until it finishes; Send and Receive ask Socket.Poll
    /// with a zero timeout first and report EWOULDBLOCK instead of blocking. SocketException.ErrorCode is passed through
    /// unchanged for spec/'s SocketErrorTable to classify.
    /// </summary>
    public sealed class NanoSocketAdapter : INanoSocket
    {
        private const int InProgress = (int)SocketErrorCode.InProgress;
        private const int WouldBlock = (int)SocketErrorCode.WouldBlock;
        private const int NotConnected = (int)SocketErrorCode.NotConnected;

        private readonly object _lock = new object();
        private Socket _socket;
        private int _openResult = NotConnected;
        private int _attempt;

        /// <inheritdoc />
        public int Connect(string host, int port)
        {
            Close();
            int attempt;
            lock (_lock)
            {
                attempt = ++_attempt;
                _openResult = InProgress;
            }

            new Thread(delegate { Open(host, port, attempt); }).Start();
            return InProgress;
        }

        /// <inheritdoc />
        public int Poll()
        {
            lock (_lock)
            {
                return _openResult;
            }
        }

        /// <inheritdoc />
        public int Send(byte[] buffer, int offset, int count, out int sent)
        {
            sent = 0;
            Socket socket = Current();
            if (socket == null)
            {
                return NotConnected;
            }

            try
            {
                if (!socket.Poll(0, SelectMode.SelectWrite))
                {
                    return WouldBlock;
                }

                sent = socket.Send(buffer, offset, count, SocketFlags.None);
                return 0;
            }
            catch (SocketException e)
            {
                return e.ErrorCode;
            }
        }

        /// <inheritdoc />
        public int Receive(byte[] buffer, int offset, int count, out int received)
        {
            received = 0;
            Socket socket = Current();
            if (socket == null)
            {
                return NotConnected;
            }

            try
            {
                if (!socket.Poll(0, SelectMode.SelectRead))
                {
                    return WouldBlock;
                }

                // Readable with nothing to read is how a socket reports the peer's close (EOF): received stays 0.
                int available = socket.Available;
                if (available > 0)
                {
                    received = socket.Receive(buffer, offset, available < count ? available : count, SocketFlags.None);
                }

                return 0;
            }
            catch (SocketException e)
            {
                return e.ErrorCode;
            }
        }

        /// <inheritdoc />
        public void Close()
        {
            Socket socket;
            lock (_lock)
            {
                _attempt++; // a worker still opening for an older attempt closes its own socket
                socket = _socket;
                _socket = null;
                _openResult = NotConnected;
            }

            CloseQuietly(socket);
        }

        private void Open(string host, int port, int attempt)
        {
            Socket socket = null;
            int result = (int)SocketErrorCode.HostNotFound;
            try
            {
                IPAddress[] addresses = Dns.GetHostEntry(host).AddressList;
                if (addresses != null && addresses.Length > 0)
                {
                    socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    socket.Connect(new IPEndPoint(addresses[0], port));
                    result = 0;
                }
            }
            catch (SocketException e)
            {
                result = e.ErrorCode;
            }
            catch (Exception)
            {
                result = (int)SocketErrorCode.SocketError;
            }

            lock (_lock)
            {
                if (attempt == _attempt)
                {
                    _openResult = result;
                    if (result == 0)
                    {
                        _socket = socket;
                        socket = null;
                    }
                }
            }

            CloseQuietly(socket);
        }

        private Socket Current()
        {
            lock (_lock)
            {
                return _socket;
            }
        }

        private static void CloseQuietly(Socket socket)
        {
            if (socket == null)
            {
                return;
            }

            try
            {
                socket.Close();
            }
            catch (Exception)
            {
                // Closing a broken socket may throw; it is gone either way.
            }
        }
    }
}
