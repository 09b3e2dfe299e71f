using System.Collections;
using PingAnTong.Edge.Core.Storage;

namespace PingAnTong.Edge.Core.Alarms
{
    /// <summary>
    /// Follows every alarm until the backend closes it. An alarm not acknowledged by the backend
    /// within <see cref="AckTimeoutMs"/> of delivery is re-sent with doubling intervals (capped at
    /// 15 min) and marked escalated; the hub never gives up. An alarm not delivered within 60 s
    /// turns the indication to "not delivered". "Help is coming" is held at least 5 minutes.
    /// </summary>
    public sealed class AlarmLifecycle
    {
        public const long NotDeliveredAfterMs = 60000;
        public const long AckTimeoutMs = 60000;
        public const long MaxResendIntervalMs = 900000;
        public const long HelpComingHoldMs = 300000;

        /// <summary>Ids of recently closed alarms remembered, so a re-sent <c>ack</c> or <c>close</c> is answered "already done".</summary>
        public const int RememberedClosed = 16;

        private readonly Outbox _outbox;
        private readonly ArrayList _alarms = new ArrayList();
        private readonly string[] _closedIds = new string[RememberedClosed];
        private int _closedNext;

        public AlarmLifecycle(Outbox outbox)
        {
            _outbox = outbox;
        }

        /// <summary>Alarms being followed (Alarm), including closed ones still holding "help coming".</summary>
        public ArrayList Alarms { get { return _alarms; } }

        public int ActiveCount
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _alarms.Count; i++) if (!((Alarm)_alarms[i]).Closed) n++;
                return n;
            }
        }

        /// <summary>Rebuilds the alarms from the outbox after a boot.</summary>
        public void Restore(long nowMs)
        {
            _alarms.Clear();
            ArrayList entries = _outbox.Entries;
            for (int i = 0; i < entries.Count; i++)
            {
                OutboxEntry e = (OutboxEntry)entries[i];
                if (!e.IsTrackedAlarm) continue;
                Alarm a = Track(e, nowMs);
                // Whether smoke or gas cleared before the reboot is not stored: taken as cleared, so a condition seen
                // at or after start-up is a new alarm rather than absorbed into one whose last word may be "cleared".
                a.ConditionCleared = e.IsRealAlarm && IsCondition(e.Kind);
                if (e.State == OutboxState.Delivered) { a.DeliveredMs = nowMs; a.NextResendMs = nowMs; }
                if (e.State == OutboxState.Acknowledged) { a.AcknowledgedMs = nowMs; a.HelpComingUntilMs = nowMs + HelpComingHoldMs; }
            }
        }

        private static bool IsCondition(string kind)
        {
            return kind == Events.EventKind.Smoke || kind == Events.EventKind.Gas || kind == Events.EventKind.Heat || kind == Events.EventKind.Cold;
        }

        public Alarm Track(OutboxEntry entry, long nowMs)
        {
            Alarm a = new Alarm();
            a.Entry = entry;
            a.RaisedMs = nowMs;
            _alarms.Add(a);
            return a;
        }

        public Alarm Find(string id)
        {
            for (int i = 0; i < _alarms.Count; i++)
            {
                Alarm a = (Alarm)_alarms[i];
                if (a.Id == id) return a;
            }
            return null;
        }

        /// <summary>The newest open real alarm of this kind, or null (smoke and gas are raised once per episode). Test
        /// alarms never match: an open test alarm must not absorb a real one.</summary>
        public Alarm FindOpen(string kind)
        {
            for (int i = _alarms.Count - 1; i >= 0; i--)
            {
                Alarm a = (Alarm)_alarms[i];
                if (!a.Closed && a.Kind == kind && a.Entry.IsRealAlarm) return a;
            }
            return null;
        }

        /// <summary>Test alarms not yet closed.</summary>
        public int OpenTestCount
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _alarms.Count; i++)
                {
                    Alarm a = (Alarm)_alarms[i];
                    if (!a.Closed && !a.Entry.IsRealAlarm) n++;
                }
                return n;
            }
        }

        /// <summary>True when the alarm <paramref name="id"/> was closed recently (see <see cref="RememberedClosed"/>).</summary>
        public bool WasClosed(string id)
        {
            for (int i = 0; i < RememberedClosed; i++) if (_closedIds[i] != null && _closedIds[i] == id) return true;
            return false;
        }

        /// <summary>The newest open alarm (for a cancel request), or null.</summary>
        public Alarm NewestOpen()
        {
            for (int i = _alarms.Count - 1; i >= 0; i--)
            {
                Alarm a = (Alarm)_alarms[i];
                if (!a.Closed) return a;
            }
            return null;
        }

        /// <summary>The broker acknowledged the alarm's publish.</summary>
        public void OnDelivered(OutboxEntry entry, long nowMs)
        {
            Alarm a = FindByEntry(entry);
            if (a == null) return;
            if (a.DeliveredMs < 0) a.DeliveredMs = nowMs;
            if (entry.State == OutboxState.Pending) _outbox.SetState(entry, OutboxState.Delivered);
            if (!a.IsAcknowledged) a.NextResendMs = nowMs + ResendIntervalMs(a.Resends);
        }

        /// <summary>The backend acknowledged the alarm (ack command). Returns false for an unknown id.</summary>
        public bool Acknowledge(string id, long nowMs)
        {
            Alarm a = Find(id);
            if (a == null || a.Closed) return false;
            if (!a.IsAcknowledged) _outbox.SetState(a.Entry, OutboxState.Acknowledged);
            if (a.AcknowledgedMs < 0) a.AcknowledgedMs = nowMs;
            a.HelpComingUntilMs = nowMs + HelpComingHoldMs;
            a.Entry.ResendDue = false;
            a.NextResendMs = -1;
            return true;
        }

        /// <summary>Closes an alarm (backend close, or an acknowledged smoke/gas alarm whose condition cleared).</summary>
        public void Close(Alarm a)
        {
            if (a.Closed) return;
            a.Closed = true;
            _closedIds[_closedNext] = a.Id;
            _closedNext = (_closedNext + 1) % RememberedClosed;
            if (!a.Entry.InFlight) _outbox.SetState(a.Entry, OutboxState.Removed);
        }

        /// <summary>Schedules re-sends and drops closed alarms whose indication hold has ended.</summary>
        public void Tick(long nowMs)
        {
            for (int i = _alarms.Count - 1; i >= 0; i--)
            {
                Alarm a = (Alarm)_alarms[i];
                if (!a.Closed && a.Entry.State == OutboxState.Removed)
                {
                    // Evicted under storage pressure (only test alarms ever are): no longer followed.
                    _alarms.RemoveAt(i);
                    continue;
                }
                if (a.Closed)
                {
                    if (a.Entry.State != OutboxState.Removed && !a.Entry.InFlight) _outbox.SetState(a.Entry, OutboxState.Removed);
                    if (nowMs >= a.HelpComingUntilMs) _alarms.RemoveAt(i);
                    continue;
                }
                if (a.Entry.State == OutboxState.Delivered && a.NextResendMs >= 0 && nowMs >= a.NextResendMs && !a.Entry.InFlight && !a.Entry.ResendDue)
                {
                    a.Resends++;
                    a.Entry.ResendDue = true;
                    a.Entry.Escalated = true;
                    a.NextResendMs = -1;
                }
            }
        }

        /// <summary>The indication the alarms call for (Idle when none).</summary>
        public int CurrentIndication(long nowMs)
        {
            int best = Indication.Idle;
            for (int i = 0; i < _alarms.Count; i++)
            {
                Alarm a = (Alarm)_alarms[i];
                if (a.Entry.EventClass == Events.EventClass.Test && a.IsAcknowledged) continue;
                int ind;
                if (a.AcknowledgedMs >= 0 || a.Closed) ind = nowMs < a.HelpComingUntilMs || !a.Closed ? Indication.HelpComing : Indication.Idle;
                else if (a.IsDelivered) ind = Indication.Delivered;
                else ind = nowMs - a.RaisedMs >= NotDeliveredAfterMs ? Indication.NotDelivered : Indication.Raised;
                if (ind > best) best = ind;
            }
            return best;
        }

        private static long ResendIntervalMs(int resends)
        {
            long interval = AckTimeoutMs;
            for (int i = 0; i < resends && interval < MaxResendIntervalMs; i++) interval *= 2;
            return interval > MaxResendIntervalMs ? MaxResendIntervalMs : interval;
        }

        private Alarm FindByEntry(OutboxEntry entry)
        {
            for (int i = 0; i < _alarms.Count; i++)
            {
                Alarm a = (Alarm)_alarms[i];
                if (a.Entry == entry) return a;
            }
            return null;
        }
    }
}
