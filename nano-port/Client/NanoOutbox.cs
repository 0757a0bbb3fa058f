using System;

namespace StateMachineMqtt.Nano.Client
{
    /// <summary>
    /// The bounded send buffer: packets are encoded straight into it and flushed as far as the non-blocking socket takes
    /// them. Nothing grows: a packet that does not fit waits (unencoded) for the next flush. It counts the bytes committed
    /// and sent over the link's life, so the client knows when a packet has been written.
    /// </summary>
    internal sealed class NanoOutbox
    {
        private int _start;
        private int _end;

        public NanoOutbox(int size)
        {
            Buffer = new byte[size];
        }

        /// <summary>The storage; encode at <see cref="WriteOffset"/> after <see cref="Compact"/>.</summary>
        public byte[] Buffer { get; }

        /// <summary>Bytes waiting to be sent.</summary>
        public int Pending
        {
            get { return _end - _start; }
        }

        /// <summary>Where the next packet goes.</summary>
        public int WriteOffset
        {
            get { return _end; }
        }

        /// <summary>Bytes committed since the link opened: the mark a packet's last byte gets.</summary>
        public long Committed { get; private set; }

        /// <summary>Bytes the socket has taken since the link opened.</summary>
        public long Sent { get; private set; }

        /// <summary>Moves the pending bytes to the front, so all free room is after them.</summary>
        public void Compact()
        {
            if (_start > 0)
            {
                Array.Copy(Buffer, _start, Buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
        }

        /// <summary>Counts <paramref name="length"/> bytes written at <see cref="WriteOffset"/> as pending.</summary>
        public void Commit(int length)
        {
            _end += length;
            Committed += length;
        }

        /// <summary>Drops everything and starts counting afresh (the link closed or a new one opened).</summary>
        public void Clear()
        {
            _start = 0;
            _end = 0;
            Committed = 0;
            Sent = 0;
        }

        /// <summary>Sends as much as the socket takes: 0 when all went or the socket took some, else the socket's code.</summary>
        public int Flush(INanoSocket socket)
        {
            while (_end > _start)
            {
                int code = socket.Send(Buffer, _start, _end - _start, out int sent);
                if (code != 0)
                {
                    return code;
                }

                if (sent <= 0)
                {
                    return 0;
                }

                _start += sent;
                Sent += sent;
            }

            _start = 0;
            _end = 0;
            return 0;
        }
    }
}
