using PingAnTong.Edge.Core.Alarms;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Events;
using PingAnTong.Edge.Core.Inputs;

namespace PingAnTong.Edge.Core
{
    /// <summary>The hub's inputs and sensors: from debounced states to alarms, faults and evidence of life.</summary>
    public sealed partial class Hub
    {
        private long _mainsLostSinceMs = -1;
        private bool _mainsFaultRaised;

        /// <summary>Id of a reminder (notice command) waiting for the elder's OK press, or null.</summary>
        public string PendingNoticeId { get; internal set; }

        private void BuildInputs(HubConfig config, long now)
        {
            DigitalInput[] inputs = new DigitalInput[config.Inputs.Length];
            int[] ordinals = new int[inputs.Length];
            int activity = 0, layout = 17;
            for (int i = 0; i < inputs.Length; i++)
            {
                // An input on the same pin (a config applied without rewiring) keeps its state and any press still
                // being debounced: the host posts levels only at start-up. A new one starts at the inactive level.
                InputConfig c = config.Inputs[i];
                DigitalInput old = Inputs != null && i < Inputs.Length ? Inputs[i] : null;
                if (old != null && old.Config.Pin == c.Pin && old.Config.ActiveLow == c.ActiveLow && old.Config.Kind == c.Kind) old.Reconfigure(c);
                else old = new DigitalInput(c, c.ActiveLow, now);
                inputs[i] = old;
                ordinals[i] = activity;
                if (InputKind.IsActivity(c.Kind))
                {
                    activity++;
                    layout = layout * 31 + (Json.NameTable.Hash(c.Id) ^ c.Kind);
                }
            }
            // The profile learns per activity sensor in this order: another layout forgets the sensor rows.
            if (Inactivity.Profile.SetLayout(layout == 0 ? 1 : layout))
            {
                Inactivity.MarkChanged();
                Inactivity.ForgetOnsetSensor();
            }
            Inputs = inputs;
            _activityOrdinals = ordinals;
            AnalogSensor[] sensors = new AnalogSensor[config.Sensors.Length];
            for (int i = 0; i < sensors.Length; i++) sensors[i] = new AnalogSensor(config.Sensors[i], now);
            Sensors = sensors;
            _mainsLostSinceMs = -1;
        }

        /// <summary>Index of the first input of this kind, or -1.</summary>
        public int FindInput(byte kind)
        {
            for (int i = 0; i < Inputs.Length; i++)
            {
                if (Inputs[i].Config.Kind == kind) return i;
            }
            return -1;
        }

        private void TickInputs(long now)
        {
            for (int i = 0; i < Inputs.Length; i++)
            {
                DigitalInput input = Inputs[i];
                int change = input.Tick(now);
                if (input.ChatterChanged) ReportInputFault(input, input.IsChattering, "chatter");
                while (change != DigitalInput.NoChange)
                {
                    if (change == DigitalInput.BecameActive) OnActive(input, i, now);
                    else OnInactive(input, i, now);
                    change = input.NextChange();
                }
                if (input.Config.Kind == InputKind.Ok && input.IsActive && !input.LongPressReported && !input.IsChattering
                    && now - input.ActiveSinceMs >= Config.OkLongPressMs)
                {
                    input.LongPressReported = true;
                    OnOkLongPress(input);
                }
                Supervise(input, now);
            }
            TickMains(now);
        }

        private void OnActive(DigitalInput input, int index, long now)
        {
            byte kind = input.Config.Kind;
            if (InputKind.IsActivity(kind))
            {
                Alive.RecordActivity(kind, _clock.UtcMs, now);
                OnActivityForInactivity(kind, index, true, now);
            }
            switch (kind)
            {
                case InputKind.Sos:
                    RaiseOrEscalate(EventKind.Sos, input.Config.Id);
                    break;
                case InputKind.Smoke:
                    if (IsNewEpisode(EventKind.Smoke)) Raise(EventKind.Smoke, input.Config.Id);
                    break;
                case InputKind.Gas:
                    if (IsNewEpisode(EventKind.Gas)) Raise(EventKind.Gas, input.Config.Id);
                    break;
                case InputKind.BatteryLow:
                    Events.Emit(EventKind.Battery, EventClass.Fault, EventState.Raised, Priority.Fault, input.Config.Id, null, "battery low");
                    break;
                case InputKind.Ok:
                    input.LongPressReported = false;
                    break;
            }
            UpdateIndication(now);
        }

        private void OnInactive(DigitalInput input, int index, long now)
        {
            switch (input.Config.Kind)
            {
                case InputKind.Door:
                    // Closing the door is as much a sign of coming or going as opening it (some contacts are
                    // wired the other way round, and a door left ajar is only seen when it closes).
                    OnActivityForInactivity(InputKind.Door, index, false, now);
                    break;
                case InputKind.Bed:
                case InputKind.Chair:
                    // Getting out of bed or up from the chair is movement too; out of bed at night starts its own timer.
                    OnActivityForInactivity(input.Config.Kind, index, false, now);
                    break;
                case InputKind.Smoke:
                    ClearCondition(EventKind.Smoke, input.Config.Id);
                    break;
                case InputKind.Gas:
                    ClearCondition(EventKind.Gas, input.Config.Id);
                    break;
                case InputKind.BatteryLow:
                    Events.Emit(EventKind.Battery, EventClass.Fault, EventState.Cleared, Priority.Fault, input.Config.Id, null, null);
                    break;
                case InputKind.Ok:
                    if (!input.LongPressReported) OnOkShortPress(input);
                    break;
            }
        }

        private void OnOkShortPress(DigitalInput input)
        {
            if (PendingNoticeId != null)
            {
                Events.Emit(EventKind.Notice, EventClass.Info, EventState.Read, Priority.Information, input.Config.Id, PendingNoticeId, null);
                PendingNoticeId = null;
            }
        }

        /// <summary>
        /// A long OK press during an alarm asks the backend to cancel it (the alarm itself stays until closed);
        /// without an open alarm it is the away key: going out, or back home.
        /// </summary>
        private void OnOkLongPress(DigitalInput input)
        {
            Alarm open = Alarms.NewestOpen();
            if (open == null)
            {
                Inactivity.SetAway(!Inactivity.ReportedAway, _clock.UptimeMs);
                return;
            }
            Events.Emit(open.Kind, EventClass.Info, EventState.CancelRequested, Priority.Information, input.Config.Id, open.Id, "long press on OK");
        }

        /// <summary>Raises an alarm: stored before any send attempt, tracked until closed.</summary>
        internal Alarm Raise(string kind, string sensor)
        {
            return Raise(kind, sensor, Priority.LifeSafety, null);
        }

        internal Alarm Raise(string kind, string sensor, byte priority, string reason)
        {
            long now = _clock.UptimeMs;
            Storage.OutboxEntry e = Events.Emit(kind, EventClass.Alarm, EventState.Raised, priority, sensor, null, reason);
            Alarm a = Alarms.Track(e, now);
            UpdateIndication(now);
            return a;
        }

        private void RaiseOrEscalate(string kind, string sensor)
        {
            Alarm open = Alarms.FindOpen(kind);
            if (open != null && !open.IsAcknowledged)
            {
                // Pressing again while the first alarm is unanswered: send it again now, flagged escalated.
                open.Entry.Escalated = true;
                if (open.IsDelivered && !open.Entry.InFlight) open.Entry.ResendDue = true;
                return;
            }
            Raise(kind, sensor);
        }

        /// <summary>
        /// Smoke, gas, heat or cold seen: a new alarm unless one is open for this condition. One whose condition has
        /// cleared does not count: the backend was told "cleared", and the condition is back.
        /// </summary>
        private bool IsNewEpisode(string kind)
        {
            Alarm open = Alarms.FindOpen(kind);
            return open == null || open.ConditionCleared;
        }

        /// <summary>Smoke or gas gone: reported at once; the alarm closes when the backend has acknowledged it.</summary>
        private void ClearCondition(string kind, string sensor)
        {
            Alarm open = Alarms.FindOpen(kind);
            if (open == null) return;
            open.ConditionCleared = true;
            Events.Emit(kind, EventClass.Alarm, EventState.Cleared, Priority.LifeSafety, sensor, open.Id, null);
            if (open.IsAcknowledged) CloseAlarm(open, "condition cleared after acknowledgement");
        }

        /// <summary>Closes an alarm and tells the backend with a <c>closed</c> event (whoever closed it).</summary>
        internal void CloseAlarm(Alarm a, string reason)
        {
            byte cls = a.Entry.IsRealAlarm ? EventClass.Alarm : EventClass.Test;
            Events.Emit(a.Kind, cls, EventState.Closed, a.Entry.Priority, null, a.Id, reason);
            Alarms.Close(a);
        }

        private void ReportInputFault(DigitalInput input, bool raised, string reason)
        {
            Events.Emit(EventKind.SensorFault, EventClass.Fault, raised ? EventState.Raised : EventState.Cleared, Priority.Fault, input.Config.Id, null, reason);
        }

        /// <summary>An activity sensor that has not fired for its supervision interval is reported, not trusted (EN 50134-2: every trigger supervised ≤ 24 h).</summary>
        private void Supervise(DigitalInput input, long now)
        {
            int hours = input.Config.SupervisionHours;
            if (hours <= 0) return;
            bool silent = now - input.LastActivityMs >= hours * 3600000L;
            if (silent && !input.IsSilent)
            {
                input.IsSilent = true;
                ReportInputFault(input, true, "silent");
            }
            else if (!silent && input.IsSilent)
            {
                input.IsSilent = false;
                ReportInputFault(input, false, "silent");
            }
        }

        private void TickMains(long now)
        {
            int i = FindInput(InputKind.Mains);
            if (i < 0) return;
            DigitalInput mains = Inputs[i];
            if (!mains.IsActive)
            {
                if (_mainsLostSinceMs < 0) _mainsLostSinceMs = mains.ActiveSinceMs;
                if (!_mainsFaultRaised && now - _mainsLostSinceMs >= Config.MainsDebounceSeconds * 1000L)
                {
                    _mainsFaultRaised = true;
                    Events.Emit(EventKind.Mains, EventClass.Fault, EventState.Raised, Priority.Fault, mains.Config.Id, null, "mains power lost");
                }
            }
            else
            {
                _mainsLostSinceMs = -1;
                if (_mainsFaultRaised)
                {
                    _mainsFaultRaised = false;
                    Events.Emit(EventKind.Mains, EventClass.Fault, EventState.Cleared, Priority.Fault, mains.Config.Id, null, "mains power restored");
                }
            }
        }

        private void TickSensors(long now)
        {
            for (int i = 0; i < Sensors.Length; i++)
            {
                AnalogSensor s = Sensors[i];
                int changed = s.Tick(now, _sensorReader);
                if (changed == 0) continue;
                string id = s.Config.Id;
                if ((changed & AnalogSensor.ChangedFault) != 0)
                {
                    Events.Emit(EventKind.SensorFault, EventClass.Fault, s.IsFaulty ? EventState.Raised : EventState.Cleared, Priority.Fault, id, null,
                        s.IsFaulty ? SensorStatus.Name(s.LastStatus) : null);
                }
                string highKind = s.IsGas ? EventKind.Gas : EventKind.Heat;
                if ((changed & AnalogSensor.ChangedHigh) != 0) OnThreshold(highKind, s, s.IsHigh);
                if ((changed & AnalogSensor.ChangedLow) != 0) OnThreshold(EventKind.Cold, s, s.IsLow);
            }
        }

        private void OnThreshold(string kind, AnalogSensor s, bool raised)
        {
            if (raised)
            {
                if (!IsNewEpisode(kind)) return;
                byte priority = s.IsGas ? Priority.LifeSafety : Priority.Wellbeing;
                Storage.OutboxEntry e = Events.EmitWithValue(kind, EventClass.Alarm, EventState.Raised, priority, s.Config.Id, null, s.Value, s.IsGas ? 0 : 1);
                Alarms.Track(e, _clock.UptimeMs);
            }
            else
            {
                ClearCondition(kind, s.Config.Id);
            }
        }

        /// <summary>True while any input, sensor or storage is faulty, or mains is lost.</summary>
        public bool HasFault()
        {
            if (StorageFault || _mainsFaultRaised) return true;
            for (int i = 0; i < Inputs.Length; i++) if (!Inputs[i].IsHealthy) return true;
            for (int i = 0; i < Sensors.Length; i++) if (Sensors[i].IsFaulty) return true;
            return false;
        }

        /// <summary>True when an activity sensor (PIR, door, contact) is faulty: then absence of activity proves nothing.</summary>
        public bool ActivitySensorsFaulty()
        {
            for (int i = 0; i < Inputs.Length; i++)
            {
                byte k = Inputs[i].Config.Kind;
                if (InputKind.IsActivitySensor(k) && !Inputs[i].IsHealthy) return true;
            }
            return false;
        }
    }
}
