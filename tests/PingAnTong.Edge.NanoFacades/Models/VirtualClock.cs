using System;
using System.Collections;

namespace PingAnTong.Edge.NanoFacades
{
    /// <summary>Work the virtual device does at a moment of virtual time (a debounce timer, a Wi-Fi join, an SNTP answer).</summary>
    public delegate void ModelAction();

    /// <summary>A condition a blocking native call waits for.</summary>
    public delegate bool ModelCondition();

    /// <summary>
    /// The virtual device's time since boot, in microseconds (esp_timer_get_time on the ESP32, what
    /// HighResTimer.GetCurrent returns). It never moves by itself: a test moves it with <see cref="Advance"/>,
    /// which runs the device's timed work (debounce timers, Wi-Fi joins, SNTP answers, sensor conversions)
    /// in order. A native call that blocks on the device (WifiNetworkHelper.Reconnect waiting for an
    /// address, an I2C clock-stretch timeout) moves it to the moment the call would return: discrete-event
    /// time, so nothing in a model sleeps and every run is the same.
    /// </summary>
    public sealed class VirtualClock
    {
        private readonly ArrayList _timers = new ArrayList();
        private long _nowUs;
        private long _sequence;

        /// <summary>Microseconds since the virtual device booted.</summary>
        public long NowMicroseconds { get { lock (VirtualEsp32.Sync) { return _nowUs; } } }

        /// <summary>Milliseconds since the virtual device booted.</summary>
        public long NowMilliseconds { get { return NowMicroseconds / 1000; } }

        /// <summary>Moves time forward, running every piece of timed device work that falls due on the way, in order.</summary>
        public void Advance(int milliseconds)
        {
            AdvanceMicroseconds((long)milliseconds * 1000);
        }

        public void AdvanceMicroseconds(long microseconds)
        {
            if (microseconds < 0) throw new ArgumentOutOfRangeException("microseconds");
            lock (VirtualEsp32.Sync)
            {
                long target = _nowUs + microseconds;
                while (RunNextDue(target)) { }
                _nowUs = target;
            }
        }

        /// <summary>
        /// Blocks the calling (device) thread in virtual time until <paramref name="condition"/> holds or
        /// <paramref name="deadlineUs"/> passes, running the timed work in between. Returns the condition.
        /// A wait with no deadline (-1) and nothing left that could end it fails loudly, where the device would hang.
        /// </summary>
        internal bool WaitUntil(ModelCondition condition, long deadlineUs)
        {
            VirtualEsp32.CheckCaller(); // a thread of an earlier boot must not move the time of this one
            lock (VirtualEsp32.Sync)
            {
                while (true)
                {
                    if (condition()) return true;
                    long limit = deadlineUs < 0 ? long.MaxValue : deadlineUs;
                    if (RunNextDue(limit)) continue;
                    if (deadlineUs < 0)
                    {
                        throw new VirtualDeviceHangException("virtual ESP32: this call waits with no time limit for something nothing will bring; the device would hang here");
                    }
                    if (_nowUs < deadlineUs) _nowUs = deadlineUs;
                    return condition();
                }
            }
        }

        /// <summary>Runs device work after <paramref name="delayUs"/> of virtual time.</summary>
        internal ModelTimer Schedule(long delayUs, ModelAction action)
        {
            lock (VirtualEsp32.Sync)
            {
                ModelTimer t = new ModelTimer(_nowUs + (delayUs < 0 ? 0 : delayUs), _sequence++, action);
                int i = 0;
                while (i < _timers.Count && !t.Before((ModelTimer)_timers[i])) i++;
                _timers.Insert(i, t);
                return t;
            }
        }

        internal void Cancel(ModelTimer timer)
        {
            if (timer == null) return;
            lock (VirtualEsp32.Sync)
            {
                _timers.Remove(timer);
            }
        }

        /// <summary>Power-on: time since boot starts again at 0 and pending device work is gone.</summary>
        internal void Restart()
        {
            lock (VirtualEsp32.Sync)
            {
                _timers.Clear();
                _nowUs = 0;
            }
        }

        private bool RunNextDue(long limitUs)
        {
            if (_timers.Count == 0) return false;
            ModelTimer next = (ModelTimer)_timers[0];
            if (next.DueUs > limitUs) return false;
            _timers.RemoveAt(0);
            if (next.DueUs > _nowUs) _nowUs = next.DueUs;
            next.Action();
            return true;
        }
    }

    /// <summary>Thrown where the device would wait forever (a blocking call with no time limit and nothing that could end the wait).</summary>
    public sealed class VirtualDeviceHangException : Exception
    {
        public VirtualDeviceHangException(string message) : base(message) { }
    }

    /// <summary>One piece of scheduled device work.</summary>
    internal sealed class ModelTimer
    {
        public readonly long DueUs;
        public readonly long Sequence;
        public readonly ModelAction Action;

        public ModelTimer(long dueUs, long sequence, ModelAction action)
        {
            DueUs = dueUs;
            Sequence = sequence;
            Action = action;
        }

        public bool Before(ModelTimer other)
        {
            return DueUs < other.DueUs || (DueUs == other.DueUs && Sequence < other.Sequence);
        }
    }
}
