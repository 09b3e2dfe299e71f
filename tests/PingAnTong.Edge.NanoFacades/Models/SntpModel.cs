using System;

namespace PingAnTong.Edge.NanoFacades
{
    /// <summary>
    /// lwIP SNTP on the ESP32 as nanoFramework uses it. Model of
    /// nanoframework/nf-interpreter@a3e8139a1ba778e33ca81b023099765eada6c456:src/DeviceInterfaces/Networking.Sntp/nf_networking_sntp_nanoFramework_Networking_Sntp.cpp (Start = sntp_init,
    /// Stop = sntp_stop, UpdateNow = stop + init, IsStarted = sntp_enabled, Server1/2 = sntp_setservername 0/1),
    /// src/DeviceInterfaces/Networking.Sntp/lwip_sntp_default_options.h (servers 0.pool.ntp.org and 1.pool.ntp.org,
    /// first request 2 s after start, retry after 15 min, update every hour) and
    /// targets/ESP32/_common/targetHAL_Network.cpp (IP_EVENT_STA_GOT_IP starts SNTP natively, with the default
    /// servers, whether or not the application calls Sntp.Start). An answer sets the RTC (<see cref="RtcModel"/>).
    /// The network's time, whether a server answers and how long it takes are set by the test.
    /// </summary>
    public sealed class SntpModel
    {
        private long _networkTicksAtBoot;
        private bool _started;
        private string _server1;
        private string _server2;
        private ModelTimer _next;

        public SntpModel()
        {
            Reset(true);
        }

        /// <summary>First request after start (SNTP_STARTUP_DELAY).</summary>
        public int StartupDelayMs = 2000;
        /// <summary>How long a server takes to answer (model choice).</summary>
        public int AnswerMs = 100;
        /// <summary>After a failed request (SNTP_RETRY_TIMEOUT, 15 min).</summary>
        public int RetryMs = 900000;
        /// <summary>After a successful one (SNTP_UPDATE_DELAY, 1 h).</summary>
        public int UpdateIntervalMs = 3600000;
        /// <summary>False: no server answers (blocked UDP 123, no DNS).</summary>
        public bool Reachable = true;

        /// <summary>Successful synchronisations since the last boot.</summary>
        public int Syncs { get; private set; }

        /// <summary>The time the NTP servers tell (advances with the virtual clock). Default 2026-12-01 08:00 UTC.</summary>
        public DateTime NetworkTime
        {
            get { lock (VirtualEsp32.Sync) { return new DateTime(_networkTicksAtBoot + VirtualEsp32.Clock.NowMicroseconds * 10); } }
            set { lock (VirtualEsp32.Sync) { _networkTicksAtBoot = value.Ticks - VirtualEsp32.Clock.NowMicroseconds * 10; } }
        }

        public bool IsStarted { get { lock (VirtualEsp32.Sync) { return _started; } } }

        public string Server1 { get { lock (VirtualEsp32.Sync) { return _server1; } } }

        public string Server2 { get { lock (VirtualEsp32.Sync) { return _server2; } } }

        internal void Reset(bool newNetwork)
        {
            lock (VirtualEsp32.Sync)
            {
                VirtualEsp32.Clock.Cancel(_next);
                _next = null;
                _started = false;
                _server1 = "0.pool.ntp.org";
                _server2 = "1.pool.ntp.org";
                Syncs = 0;
                if (newNetwork)
                {
                    _networkTicksAtBoot = new DateTime(2026, 12, 1, 8, 0, 0).Ticks;
                    StartupDelayMs = 2000;
                    AnswerMs = 100;
                    RetryMs = 900000;
                    UpdateIntervalMs = 3600000;
                    Reachable = true;
                }
            }
        }

        // ---- native side ----

        internal void Start()
        {
            lock (VirtualEsp32.Sync)
            {
                if (_started) return;
                _started = true;
                ScheduleRequest(StartupDelayMs);
            }
        }

        internal void Stop()
        {
            lock (VirtualEsp32.Sync)
            {
                _started = false;
                VirtualEsp32.Clock.Cancel(_next);
                _next = null;
            }
        }

        internal void UpdateNow()
        {
            lock (VirtualEsp32.Sync)
            {
                Stop();
                Start();
            }
        }

        internal void SetServer(int index, string name)
        {
            lock (VirtualEsp32.Sync)
            {
                if (index == 0) _server1 = name;
                else _server2 = name;
            }
        }

        /// <summary>IP_EVENT_STA_GOT_IP: initialize_sntp (esp_netif_sntp_init with start = true).</summary>
        internal void OnGotAddress()
        {
            Start();
        }

        private void ScheduleRequest(int delayMs)
        {
            VirtualEsp32.Clock.Cancel(_next);
            _next = VirtualEsp32.Clock.Schedule((long)(delayMs + AnswerMs) * 1000, Request);
        }

        private void Request()
        {
            _next = null;
            if (!_started) return;
            if (Reachable && VirtualEsp32.Wifi.HasAddress)
            {
                VirtualEsp32.Rtc.Set(NetworkTime);
                Syncs++;
                ScheduleRequest(UpdateIntervalMs);
            }
            else
            {
                ScheduleRequest(RetryMs);
            }
        }
    }
}
