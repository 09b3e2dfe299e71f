using PingAnTong.Edge.Core.Storage;

namespace PingAnTong.Edge.Core.Inputs
{
    /// <summary>
    /// R0 (the MQ sensor's resistance in clean air / 6.5) for one gas sensor, learned once and kept
    /// across reboots. During the warm-up the hub ignores gas values; in its second half (heater hot)
    /// the highest Rs seen is taken as clean air. At the first reading after warm-up, when no R0 is
    /// stored, that estimate becomes R0 and is written once. The installer guide asks for the first
    /// power-up in clean air and a test with gas; <see cref="Forget"/> starts a new calibration.
    /// </summary>
    public sealed class MqGasCalibration
    {
        private readonly DualSlotFile _file;
        private readonly byte[] _buffer = new byte[4];
        private int _r0;
        private int _maxRs;

        public MqGasCalibration(IDurableStore store, string sensorId)
        {
            _file = new DualSlotFile(store, "gas-r0-" + sensorId);
            byte[] data = _file.Read();
            if (data != null && data.Length == 4) _r0 = (int)ByteCodec.GetUInt32(data, 0);
        }

        /// <summary>Stored R0 in ohms, or 0 while not calibrated.</summary>
        public int R0 { get { return _r0; } }

        /// <summary>Converts a sensor resistance read at <paramref name="uptimeMs"/> to ppm; 0 during warm-up (the hub ignores warm-up values).</summary>
        public int Ppm(int sensorOhms, long uptimeMs, int warmupSeconds)
        {
            long warmupMs = warmupSeconds * 1000L;
            if (uptimeMs < warmupMs)
            {
                if (uptimeMs >= warmupMs / 2 && sensorOhms > _maxRs) _maxRs = sensorOhms;
                return 0;
            }
            if (_r0 <= 0)
            {
                _r0 = MqGas.R0FromCleanAir(_maxRs > 0 ? _maxRs : sensorOhms);
                if (_r0 <= 0) _r0 = 1;
                ByteCodec.PutUInt32(_buffer, 0, (uint)_r0);
                _file.Write(_buffer, 0, 4);
            }
            return MqGas.Ppm(sensorOhms, _r0);
        }

        /// <summary>Drops the stored R0; the next warm-up calibrates again.</summary>
        public void Forget()
        {
            _r0 = 0;
            _maxRs = 0;
            ByteCodec.PutUInt32(_buffer, 0, 0);
            _file.Write(_buffer, 0, 4);
        }
    }
}
