using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Codec
{
    /// <summary>
    /// spec/'s MQTT 5 tables (PropertyTable, ReasonCodeTable), built on first use: a client that speaks 3.1.1 never
    /// touches them, so they cost its heap nothing.
    /// </summary>
    internal static class Mqtt5Tables
    {
        private static PropertyRow[] _properties;
        private static ReasonCodeRow[] _reasonCodes;

        /// <summary>The property rows.</summary>
        public static PropertyRow[] Properties
        {
            get
            {
                if (_properties == null)
                {
                    _properties = PropertyTable.CreateRows();
                }

                return _properties;
            }
        }

        /// <summary>The reason code rows.</summary>
        public static ReasonCodeRow[] ReasonCodes
        {
            get
            {
                if (_reasonCodes == null)
                {
                    _reasonCodes = ReasonCodeTable.CreateRows();
                }

                return _reasonCodes;
            }
        }

        /// <summary>The row of property <paramref name="id"/> (the writer asks only for defined ones).</summary>
        public static PropertyRow Property(PropertyId id)
        {
            return PropertyTable.Find(Properties, (int)id);
        }

        /// <summary>The specification's name of reason code <paramref name="code"/> in <paramref name="packet"/>, or null when it may not appear there.</summary>
        public static string ReasonName(int code, PropertyContext packet)
        {
            ReasonCodeRow row = ReasonCodeTable.Find(ReasonCodes, code);
            return row == null || (row.Packets & packet) == 0 ? null : row.Name;
        }
    }
}
