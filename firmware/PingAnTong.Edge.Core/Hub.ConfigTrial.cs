using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Events;
using PingAnTong.Edge.Core.Net;
using PingAnTong.Edge.Core.Storage;
using PingAnTong.Edge.Core.Telemetry;

namespace PingAnTong.Edge.Core
{
    /// <summary>
    /// A config that changes how the hub reaches the centre (broker, port, TLS, CA, user name, password file,
    /// keepalive, topic prefix, command key file) is applied as a trial, never blindly: the hub answers the
    /// command on the old broker, publishes <c>offline</c> there (retained) and disconnects cleanly, then runs
    /// the new config without storing it. If a signed, fresh command reaches it on the new broker within
    /// <see cref="TrialMs"/>, the new config becomes the stored last-good one (<c>config</c> <c>applied</c>);
    /// otherwise it publishes <c>offline</c> on the new broker if it got there, returns to the last good config
    /// and reports <c>config</c> <c>rolled_back</c>. A reboot during the trial boots the last good config (it was
    /// never replaced) and reports the rollback too.
    /// </summary>
    public sealed partial class Hub
    {
        /// <summary>10 minutes for the centre to reach the hub on its new broker: the first connect is immediate, and the backoff allows about 7 attempts.</summary>
        public const long TrialMs = 600000L;

        /// <summary>At most this long for the reply (and anything else waiting) to leave on the old broker before the hub moves.</summary>
        public const long LeaveWaitMs = 15000L;

        private const int TrialNone = 0;
        private const int TrialLeaving = 1;
        private const int TrialTrying = 2;

        private int _trialState;
        private HubConfig _trialConfig;
        private HubConfig _lastGoodConfig;
        private byte[] _trialJson;
        private bool _trialRewire;
        private long _trialDeadlineMs;
        private DualSlotFile _trialMarker;
        private readonly byte[] _markerBuffer = new byte[4];

        /// <summary>True from a trial config's acceptance until it is confirmed or rolled back.</summary>
        public bool ConfigTrialActive { get { return _trialState != TrialNone; } }

        /// <summary>The config on trial, or null.</summary>
        public HubConfig TrialConfig { get { return _trialConfig; } }

        /// <summary>True when <paramref name="next"/> changes how the hub reaches the centre or checks its commands.</summary>
        internal static bool NeedsTrial(HubConfig current, HubConfig next)
        {
            return !SameBroker(current, next) || current.Broker.InsecureForTesting != next.Broker.InsecureForTesting
                || current.CommandKeyFile != next.CommandKeyFile;
        }

        private void StartTrial(HubConfig next, byte[] json, int length, bool rewire, long now)
        {
            _trialConfig = next;
            _trialJson = new byte[length];
            System.Array.Copy(json, 0, _trialJson, 0, length);
            _trialRewire = rewire;
            _lastGoodConfig = Config;
            _trialState = TrialLeaving;
            _trialDeadlineMs = now + LeaveWaitMs;
            Events.Emit(EventKind.Config, EventClass.Info, EventState.Trial, Priority.Information, null, null,
                "version " + next.Version.ToString() + " on trial: moving to " + BrokerName(next) + "; confirm with any signed command there within "
                + (TrialMs / 60000).ToString() + " min or the hub returns to version " + Config.Version.ToString());
        }

        internal static string BrokerName(HubConfig c)
        {
            return c.Broker.Host + ":" + c.Broker.Port.ToString() + (c.Broker.Tls ? " (TLS)" : " (no TLS)");
        }

        private void TickTrial(long now)
        {
            if (_trialState == TrialLeaving)
            {
                // The reply and the trial event go out on the old broker first, so the centre hears where the hub went.
                if (Link.State == ConnectionManager.Connected && Outbox.CountPending() > 0 && now < _trialDeadlineMs) return;
                WriteTrialMarker(_trialConfig.Version);
                LeaveBroker(now);
                Apply(_trialConfig, now);
                _trialState = TrialTrying;
                _trialDeadlineMs = now + TrialMs;
                EventLog.Add(now, _clock.UtcMs, "config version " + _trialConfig.Version.ToString() + " on trial: left the old broker with offline, connecting to " + BrokerName(_trialConfig));
            }
            else if (_trialState == TrialTrying && now >= _trialDeadlineMs)
            {
                RollBack(now, "no signed command on " + BrokerName(_trialConfig) + " within " + (TrialMs / 60000).ToString() + " min");
            }
        }

        /// <summary>
        /// A signed, fresh command was accepted. During a trial, one that arrives over the new broker's link
        /// (connected after the move: anything still queued from the old link was handled before) confirms it.
        /// </summary>
        internal void OnAuthenticatedCommand(long now)
        {
            if (_trialState != TrialTrying || Link.State != ConnectionManager.Connected) return;
            HubConfig confirmed = _trialConfig;
            SaveConfig(_trialJson, _trialJson.Length);
            EndTrial();
            Events.Emit(EventKind.Config, EventClass.Info, EventState.Applied, Priority.Information, null, null,
                "version " + confirmed.Version.ToString() + " confirmed by a signed command on " + BrokerName(confirmed));
            EventLog.Add(now, _clock.UtcMs, "config version " + confirmed.Version.ToString() + " confirmed on " + BrokerName(confirmed));
            if (_trialRewire) ScheduleReboot(now);
        }

        private void RollBack(long now, string why)
        {
            HubConfig failed = _trialConfig;
            HubConfig back = _lastGoodConfig;
            LeaveBroker(now);
            EndTrial();
            Apply(back, now);
            string reason = "version " + failed.Version.ToString() + ": " + why + "; back on version " + back.Version.ToString() + " (" + BrokerName(back) + ")";
            Events.Emit(EventKind.Config, EventClass.Info, EventState.RolledBack, Priority.Information, null, null, reason);
            EventLog.Add(now, _clock.UtcMs, "config rolled back: " + reason);
        }

        private void EndTrial()
        {
            _trialState = TrialNone;
            _trialConfig = null;
            _lastGoodConfig = null;
            _trialJson = null;
            try
            {
                _trialMarker.Clear();
            }
            catch (StorageException)
            {
                // A marker left behind only makes the next boot report a rollback that did not happen.
            }
        }

        /// <summary>
        /// Leaves the broker on purpose: <c>offline</c> (retained) and a clean DISCONNECT, so the broker drops the
        /// will and nobody waits for this hub there; then reconnects with whatever config is applied next.
        /// </summary>
        private void LeaveBroker(long now)
        {
            if (Link.State == ConnectionManager.Connected)
            {
                byte[] offline = StatusPayload.Offline(this);
                _transport.Publish(Topics.For(Channel.Status), offline, offline.Length, true, 0);
            }
            Link.Restart(now);
            Publisher.OnLinkLost();
        }

        private void WriteTrialMarker(int version)
        {
            Storage.ByteCodec.PutUInt32(_markerBuffer, 0, (uint)version);
            try
            {
                _trialMarker.Write(_markerBuffer, 0, 4);
            }
            catch (StorageException)
            {
                // Without the marker a reboot during the trial still boots the last good config; it is just not reported.
            }
        }

        /// <summary>At boot: a trial the hub did not finish (it restarted meanwhile) was rolled back by booting the stored config.</summary>
        private void ReportInterruptedTrial()
        {
            byte[] marker = _trialMarker.Read();
            if (marker == null || marker.Length < 4) return;
            int version = (int)Storage.ByteCodec.GetUInt32(marker, 0);
            Events.Emit(EventKind.Config, EventClass.Info, EventState.RolledBack, Priority.Information, null, null,
                "version " + version.ToString() + ": the hub restarted during its trial; back on version " + Config.Version.ToString() + " (" + BrokerName(Config) + ")");
            try
            {
                _trialMarker.Clear();
            }
            catch (StorageException)
            {
            }
        }
    }
}
