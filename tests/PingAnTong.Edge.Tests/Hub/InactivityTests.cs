using PingAnTong.Edge.Core.Alarms;
using PingAnTong.Edge.Core.Inactivity;
using PingAnTong.Edge.Fakes;
using Xunit;

namespace PingAnTong.Edge.Tests.Hub;

/// <summary>Inactivity detection on synthetic days: a resident up 07:00-23:00 moving every 20 min, out 09:00-12:00 on weekdays.</summary>
public class InactivityTests
{
    private const long Minute = 60_000, Hour = 3_600_000, Day = 86_400_000;

    /// <summary>Local midnight of the first day, in UTC ms (demo config is UTC+8).</summary>
    private static readonly long StartUtc = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();

    private static TestBench Bench(string inactivity = null, string extraInput = null)
    {
        string json = TestBench.DemoConfigJson;
        if (extraInput != null) json = json.Replace("{ \"id\": \"smoke\"", extraInput + ",\n    { \"id\": \"smoke\"");
        if (inactivity != null) json = json.Replace("\"heartbeatMinutes\": 5", "\"heartbeatMinutes\": 5, \"inactivity\": " + inactivity);
        // Routine activity must not be mistaken for silent sensors in these tests.
        json = json.Replace("\"kind\": \"motion\", \"pin\": 34", "\"kind\": \"motion\", \"pin\": 34, \"supervisionHours\": 0")
                   .Replace("\"kind\": \"door\", \"pin\": 27", "\"kind\": \"door\", \"pin\": 27, \"supervisionHours\": 0");
        var b = new TestBench(json);
        b.Clock.SyncWallClock(StartUtc);
        b.Connect();
        return b;
    }

    private static long LocalMinuteOfDay(TestBench b) => (b.Clock.UtcMs - StartUtc) % Day / Minute;

    /// <summary>Runs to local <paramref name="minuteOfDay"/>, moving every 20 min from 07:00.</summary>
    private static void UpUntil(TestBench b, int minuteOfDay)
    {
        while (LocalMinuteOfDay(b) < minuteOfDay)
        {
            if (LocalMinuteOfDay(b) >= 7 * 60 && LocalMinuteOfDay(b) % 20 == 0) Motion(b);
            b.Step(Minute - b.Clock.UptimeMs % Minute);
        }
    }

    private static void Motion(TestBench b)
    {
        b.SetInput("pir", true);
        b.Step(500);
        b.SetInput("pir", false);
        b.Step(500);
    }

    private static void Door(TestBench b)
    {
        b.SetInput("door", true);
        b.Step(2000);
        b.SetInput("door", false);
        b.Step(1000);
    }

    /// <summary>Runs normal days: asleep 23:00-07:00, motion every 20 min while up, out 09:00-12:00 when <paramref name="goesOut"/>.</summary>
    private static void LiveDays(TestBench b, int days, bool goesOut = true)
    {
        for (int d = 0; d < days; d++)
        {
            long dayEnd = b.Clock.UptimeMs + Day;
            while (b.Clock.UptimeMs < dayEnd)
            {
                long m = LocalMinuteOfDay(b);
                bool up = m >= 7 * 60 && m < 23 * 60;
                bool out_ = goesOut && m >= 9 * 60 && m < 12 * 60;
                if (goesOut && m == 9 * 60) Door(b);
                if (goesOut && m == 12 * 60) { Door(b); Motion(b); }
                if (up && !out_ && m % 20 == 0) Motion(b);
                b.Step(Minute - (b.Clock.UptimeMs % Minute));
            }
        }
    }

    /// <summary>Distinct inactivity events in <paramref name="state"/> (re-sends of the same alarm count once).</summary>
    private static List<System.Text.Json.JsonElement> Inactivity(TestBench b, string state = "raised") =>
        b.Events().Where(e => e.Str("kind") == "inactivity" && e.Str("state") == state).GroupBy(e => e.Str("id")).Select(g => g.First()).ToList();

    [Fact]
    public void Learns_the_home_in_a_week_without_false_alarms_then_alarms_within_hours_by_day()
    {
        var b = Bench();
        LiveDays(b, 9);
        Assert.True(b.Hub.Inactivity.Profile.DaysLearned >= 7, $"learned {b.Hub.Inactivity.Profile.DaysLearned} days");
        Assert.Empty(Inactivity(b));
        // Day 10: active until 14:00, then a collapse: nothing more.
        while (LocalMinuteOfDay(b) < 14 * 60) { if (LocalMinuteOfDay(b) % 20 == 0) Motion(b); b.Step(Minute - b.Clock.UptimeMs % Minute); }
        long collapse = b.Clock.UptimeMs;
        while (Inactivity(b).Count == 0 && b.Clock.UptimeMs - collapse < 24 * Hour) b.Step(Minute);
        long delay = b.Clock.UptimeMs - collapse;
        Assert.True(delay >= 30 * Minute && delay <= 3 * Hour, $"alarm after {delay / Minute} min; line {b.Hub.Inactivity.LineMs() / Minute} min, learned {b.Hub.Inactivity.Profile.DaysLearned} days, presence {b.Hub.Inactivity.Presence}, longest by slot " + string.Join(",", Enumerable.Range(0, 48).Select(sl => b.Hub.Inactivity.Profile.OnsetMaxMinutes(sl * 30, 0))));
    }

    [Fact]
    public void The_sensor_that_fired_last_sets_the_line_a_nap_after_the_bedroom_door_is_not_a_collapse()
    {
        var b = Bench(extraInput: "{ \"id\": \"bedroom\", \"kind\": \"contact\", \"pin\": 32, \"activeLow\": false, \"supervisionHours\": 0 }");
        void Bedroom() { b.SetInput("bedroom", true); b.Step(500); b.SetInput("bedroom", false); b.Step(500); }
        // Up 07:00-23:00 moving every 20 min, and every day a 150-min nap after the bedroom door at 13:00.
        void LiveDay(bool nap)
        {
            long dayEnd = b.Clock.UptimeMs + Day;
            while (b.Clock.UptimeMs < dayEnd)
            {
                long m = LocalMinuteOfDay(b);
                if (nap && m == 13 * 60) Bedroom();
                bool napping = nap && m >= 13 * 60 && m < 15 * 60 + 30;
                if (m >= 7 * 60 && m < 23 * 60 && !napping && m % 20 == 0) Motion(b);
                b.Step(Minute - (b.Clock.UptimeMs % Minute));
            }
        }
        for (int d = 0; d < 9; d++) LiveDay(nap: true);
        Assert.Empty(Inactivity(b));
        // Day 10: the nap again, no alarm; the line after the bedroom door is longer than after the hall PIR.
        UpUntil(b, 13 * 60);
        Bedroom();
        long afterBedroom = b.Hub.Inactivity.LineMs();
        b.Run(150 * Minute, 60_000);
        Assert.Empty(Inactivity(b, "prompted"));
        Motion(b);
        long afterHall = b.Hub.Inactivity.LineMs();
        Assert.True(afterBedroom > afterHall, $"after the bedroom door {afterBedroom / Minute} min, after the hall PIR {afterHall / Minute} min");
        Assert.InRange(afterBedroom, 150 * Minute, 4 * Hour);
        Assert.InRange(afterHall, 1 * Hour, afterBedroom - 30 * Minute); // the 1-h floor in a home moving every 20 min
    }

    [Fact]
    public void An_alarmed_spell_is_learned_at_most_at_twice_its_line()
    {
        var profile = new InactivityProfile();
        profile.Record(20_000, 14 * 60, 3, 2000);
        Assert.InRange(profile.OnsetMaxMinutes(14 * 60, 0), 1000, 1016); // one byte per cell: 4-min units, capped near 17 h
        var b = Bench("{\"ceilingMinutes\": 60, \"promptMinutes\": 5}");
        Motion(b);
        b.Run(10 * Hour, 60_000); // alarmed after 60 min; the resident was fine and moves again 10 h later
        Assert.Single(Inactivity(b));
        Motion(b);
        // 2 × the 55-min line (the 5-min prompt comes on top) = 110 min, stored in 4-min units
        Assert.Equal(112, b.Hub.Inactivity.Profile.OnsetMaxMinutes((int)(((b.Clock.UtcMs - StartUtc) / Minute - 600 + 1440) % 1440), 0));
    }

    [Fact]
    public void A_profile_in_another_layout_is_ignored_and_learning_starts_again()
    {
        var profile = new InactivityProfile();
        profile.Record(20_000, 600, 1, 90);
        var bytes = new byte[InactivityProfile.PersistedBytes];
        profile.WriteTo(bytes);
        var copy = new InactivityProfile();
        Assert.True(copy.ReadFrom(bytes));
        Assert.Equal(92, copy.OnsetMaxMinutes(600, 0));
        Assert.Equal(92, copy.SensorMaxMinutes(1, 600, 0));
        Assert.Equal(-1, copy.SensorMaxMinutes(2, 600, 0));
        bytes[0] = 1; // the first layout (half-hour boundary samples) had no version byte of 2
        Assert.False(new InactivityProfile().ReadFrom(bytes));
        Assert.False(new InactivityProfile().ReadFrom(new byte[1357]));
    }

    [Fact]
    public void Before_a_week_is_learned_the_night_line_is_the_prior_bounded_by_the_latest_up_by_time()
    {
        var b = Bench();
        LiveDays(b, 2);
        // Last activity 22:40: the night prior is the ceiling, but the line ends at "usually up by", two mornings
        // (07:00) of the way from the latest time (10:00) to 07:00 + 90 min, before the ceiling (12 h less the prompt).
        int upBy = b.Hub.Inactivity.UpByMinute();
        Assert.InRange(upBy, 9 * 60, 10 * 60);
        Assert.InRange(b.Hub.Inactivity.LineMs(), (upBy + 24 * 60 - (22 * 60 + 40) - 1) * Minute, (upBy + 24 * 60 - (22 * 60 + 40)) * Minute);
        var timer = Bench("{\"learn\": false}");
        LiveDays(timer, 1);
        Assert.Equal(12 * Hour - 5 * Minute, timer.Hub.Inactivity.LineMs()); // learn = false: the fixed timer
    }

    [Fact]
    public void Night_is_quiet_but_a_morning_without_activity_alarms()
    {
        var b = Bench();
        LiveDays(b, 8, goesOut: false);
        // Last activity 22:40; the collapse happens in the night: the alarm must come in the morning, not at night.
        UpUntil(b, 22 * 60 + 40);
        Motion(b);
        while (Inactivity(b).Count == 0 && LocalMinuteOfDay(b) != 14 * 60) b.Step(Minute);
        var alarm = Assert.Single(Inactivity(b));
        long minute = LocalMinuteOfDay(b);
        Assert.InRange(minute, 7 * 60, 13 * 60);
    }

    [Fact]
    public void Going_out_pauses_the_clock_and_coming_home_resumes_it()
    {
        var b = Bench("{\"ceilingMinutes\": 120, \"learn\": false}");
        Motion(b);
        Door(b);
        b.Run(20 * Minute, 10_000);
        Assert.Equal(Presence.Away, b.Hub.Inactivity.Presence);
        Assert.Contains(b.Events(), e => e.Str("kind") == "presence" && e.Str("state") == "away");
        b.Run(6 * Hour, 60_000);
        Assert.Empty(Inactivity(b, "prompted"));
        Door(b);
        Motion(b);
        Assert.Equal(Presence.Home, b.Hub.Inactivity.Presence);
        Assert.Contains(b.Events(), e => e.Str("kind") == "presence" && e.Str("state") == "home");
        b.Run(3 * Hour, 60_000);
        Assert.Single(Inactivity(b));
    }

    [Fact]
    public void A_door_followed_by_indoor_activity_is_not_going_out()
    {
        var b = Bench();
        Door(b);
        b.Run(2 * Minute, 10_000);
        Motion(b);
        b.Run(30 * Minute, 10_000);
        Assert.Equal(Presence.Home, b.Hub.Inactivity.Presence);
    }

    [Fact]
    public void A_single_stray_firing_during_an_absence_only_partly_resets_the_clock()
    {
        var b = Bench("{\"ceilingMinutes\": 600, \"learn\": false, \"promptMinutes\": 0}");
        Motion(b);
        Door(b);
        b.Run(4 * Hour, 60_000);
        Motion(b); // one stray firing, no door
        Assert.Equal(Presence.Uncertain, b.Hub.Inactivity.Presence);
        long elapsed = b.Hub.Inactivity.ElapsedMs(b.Clock.UptimeMs);
        Assert.InRange(elapsed, 110 * Minute, 130 * Minute); // half of the ~4 h absence, not zero
        Assert.Equal(10 * Hour, b.Hub.Inactivity.LineMs()); // and the line is the ceiling
    }

    [Fact]
    public void Two_sensors_firing_close_together_during_an_absence_mean_the_resident_is_back()
    {
        var b = Bench();
        Door(b);
        b.Run(4 * Hour, 60_000);
        Motion(b);
        b.Run(5 * Minute, 10_000);
        Motion(b); // the same PIR again: still one source, not enough
        Assert.Equal(Presence.Uncertain, b.Hub.Inactivity.Presence);
        b.Press("ok"); // a second sensor: someone is in the home
        Assert.Equal(Presence.Home, b.Hub.Inactivity.Presence);
    }

    [Fact]
    public void A_stray_firing_that_nothing_follows_falls_back_to_away_and_raises_nothing()
    {
        var b = Bench();
        Door(b);
        b.Run(4 * Hour, 60_000);
        Motion(b);
        b.Run(3 * Hour, 60_000);
        Assert.Equal(Presence.Away, b.Hub.Inactivity.Presence);
        b.Run(20 * Hour, 60_000);
        Assert.Empty(Inactivity(b, "prompted"));
    }

    [Fact]
    public void A_door_closing_also_counts_as_coming_or_going()
    {
        var b = Bench();
        b.SetInput("door", true);  // contact wired the other way round: "active" while closed
        b.Step(2000);
        Motion(b);
        b.Run(3 * Hour, 60_000);
        Assert.Equal(Presence.Home, b.Hub.Inactivity.Presence);
        b.SetInput("door", false); // opens on the way out: the release is the first sign
        b.Run(20 * Minute, 60_000); // and the door is left open
        Assert.Equal(Presence.Away, b.Hub.Inactivity.Presence);
        b.SetInput("door", true);  // closed behind the resident coming home: the clock runs again
        b.Step(1000);
        Assert.Equal(Presence.Uncertain, b.Hub.Inactivity.Presence);
        Motion(b);
        Assert.Equal(Presence.Home, b.Hub.Inactivity.Presence);
    }

    [Fact]
    public void A_return_through_the_door_with_nothing_after_it_alarms_at_the_ceiling()
    {
        // Came home and collapsed in the hall: the door is the last sign of life.
        var b = Bench("{\"ceilingMinutes\": 600, \"learn\": false, \"promptMinutes\": 5}");
        Motion(b);
        Door(b);
        b.Run(3 * Hour, 60_000);
        Assert.Equal(Presence.Away, b.Hub.Inactivity.Presence);
        Door(b);
        long back = b.Clock.UptimeMs;
        b.Run(30 * Minute, 60_000);
        Assert.Equal(Presence.Uncertain, b.Hub.Inactivity.Presence); // not confirmed by indoor activity yet
        while (Inactivity(b).Count == 0 && b.Clock.UptimeMs - back < 12 * Hour) b.Step(Minute);
        Assert.InRange(b.Clock.UptimeMs - back, 599 * Minute, 601 * Minute);
    }

    [Fact]
    public void An_away_limit_alarms_once_when_the_resident_left_by_the_door_and_never_came_back()
    {
        // A collapse right after the door (seeing a visitor out) looks exactly like going out; with the limit
        // set, no return within it is a prompt, then an alarm, once for the absence. Off (the default): none.
        foreach (int limit in new[] { 0, 600 })
        {
            var b = Bench("{\"ceilingMinutes\": 720, \"learn\": false, \"promptMinutes\": 5, \"awayLimitMinutes\": " + limit + "}");
            Motion(b);
            Door(b);
            long door = b.Clock.UptimeMs;
            b.Run(20 * Minute, 60_000);
            Assert.Equal(Presence.Away, b.Hub.Inactivity.Presence);
            while (Inactivity(b).Count == 0 && b.Clock.UptimeMs - door < 30 * Hour) b.Step(Minute);
            if (limit == 0)
            {
                Assert.Empty(Inactivity(b, "prompted"));
                continue;
            }
            Assert.InRange(b.Clock.UptimeMs - door, 599 * Minute, 601 * Minute); // door to alarm, the 5-min prompt included
            Assert.Single(Inactivity(b, "prompted"));
            Assert.Contains("out since the door", Inactivity(b).Single().Str("reason"));
            b.Run(20 * Hour, 60_000);
            Assert.Single(Inactivity(b)); // once per absence
        }
    }

    [Fact]
    public void The_away_limit_does_not_bound_the_away_key_and_a_return_in_time_is_quiet()
    {
        var b = Bench("{\"ceilingMinutes\": 720, \"learn\": false, \"awayLimitMinutes\": 240}");
        b.Press("ok", 2500); // the away key: the resident said they are going out
        Door(b);
        b.Run(20 * Hour, 60_000);
        Assert.Empty(Inactivity(b, "prompted"));
        Door(b);
        Motion(b); // home again
        Assert.Equal(Presence.Home, b.Hub.Inactivity.Presence);
        Door(b);   // out by the door, no key: bounded, but back after 3 h
        b.Run(3 * Hour, 60_000);
        Door(b);
        Motion(b);
        b.Run(2 * Hour, 60_000);
        Assert.Empty(Inactivity(b, "prompted"));
    }

    [Fact]
    public void A_usual_bedtime_quiet_is_sleep_not_an_emergency()
    {
        var b = Bench();
        LiveDays(b, 9, goesOut: false);
        // Day 10: to bed an hour earlier than usual (22:00 instead of 23:00): no alarm during the night.
        UpUntil(b, 22 * 60);
        while (LocalMinuteOfDay(b) != 7 * 60) b.Step(Minute);
        Assert.Empty(Inactivity(b, "prompted"));
    }

    [Fact]
    public void The_prompt_is_shown_first_and_an_ok_press_cancels_it_as_information()
    {
        var b = Bench("{\"ceilingMinutes\": 60, \"learn\": false, \"promptMinutes\": 5}");
        Motion(b);
        b.Run(54 * Minute, 10_000);
        Assert.Empty(Inactivity(b, "prompted"));
        b.Run(2 * Minute, 10_000); // the prompt starts 5 min before the ceiling: the alarm leaves by the ceiling
        Assert.Single(Inactivity(b, "prompted"));
        Assert.Equal(Indication.Prompt, b.Indicator.Current);
        b.Press("ok");
        Assert.Single(Inactivity(b, "cancelled"));
        Assert.Empty(Inactivity(b));
        Assert.Equal(Indication.Idle, b.Indicator.Current);
    }

    [Fact]
    public void An_unanswered_prompt_becomes_an_inactivity_alarm_through_the_lifecycle()
    {
        var b = Bench("{\"ceilingMinutes\": 60, \"learn\": false, \"promptMinutes\": 5}");
        Motion(b);
        b.Run(56 * Minute, 10_000);
        Assert.Empty(Inactivity(b));
        b.Run(5 * Minute, 10_000);
        var alarm = Assert.Single(Inactivity(b)); // by the ceiling, 60 min after the last activity
        Assert.Equal("alarm", alarm.Str("class"));
        Assert.Equal(2, alarm.GetProperty("priority").GetInt32());
        Assert.Equal(Indication.Delivered, b.Indicator.Current);
        b.Run(3 * Hour, 60_000);
        Assert.Single(Inactivity(b).Select(e => e.Str("id")).Distinct()); // one alarm per quiet episode
    }

    [Fact]
    public void Sos_never_gets_a_prompt()
    {
        var b = Bench("{\"promptMinutes\": 10}");
        b.Press("sos");
        Assert.Contains(b.Events(), e => e.Str("kind") == "sos" && e.Str("state") == "raised");
        Assert.Empty(Inactivity(b, "prompted"));
    }

    [Fact]
    public void Night_door_without_return_raises_door_night()
    {
        var b = Bench("{\"nightStart\": \"23:00\", \"nightEnd\": \"06:00\", \"nightDoorMinutes\": 30}");
        while (LocalMinuteOfDay(b) != 2 * 60) b.Step(Minute);
        Motion(b);
        Door(b);
        b.Run(50 * Minute, 60_000);
        Assert.Contains(b.Events(), e => e.Str("kind") == "door_night" && e.Str("state") == "raised");
    }

    [Fact]
    public void Night_door_with_a_return_is_quiet()
    {
        var b = Bench();
        while (LocalMinuteOfDay(b) != 2 * 60) b.Step(Minute);
        Door(b);
        b.Run(3 * Minute, 10_000);
        Motion(b);
        b.Run(60 * Minute, 60_000);
        Assert.DoesNotContain(b.Events(), e => e.Str("kind") == "door_night");
    }

    [Fact]
    public void Away_key_and_backend_command_set_presence_explicitly()
    {
        var b = Bench("{\"ceilingMinutes\": 60, \"learn\": false}");
        b.Press("ok", 2500); // no open alarm: the away key
        Motion(b);          // moving on the way out does not undo it
        Door(b);
        Assert.Equal(Presence.Away, b.Hub.Inactivity.Presence);
        b.Run(5 * Hour, 60_000);
        Assert.Empty(Inactivity(b, "prompted"));
        b.SendCommand("""{"id":"p1","cmd":"presence","state":"home"}""");
        Assert.Equal(Presence.Home, b.Hub.Inactivity.Presence);
        b.SendCommand("""{"id":"p2","cmd":"presence","state":"away"}""");
        Assert.Equal(Presence.Away, b.Hub.Inactivity.Presence);
        b.SendCommand("""{"id":"p3","cmd":"presence","state":"gone"}""");
        Assert.Equal(3, b.Replies().Last().GetProperty("status").GetInt32());
    }

    [Fact]
    public void Faulty_activity_sensors_give_a_sensor_fault_not_an_inactivity_alarm()
    {
        var b = Bench("{\"ceilingMinutes\": 60, \"learn\": false, \"promptMinutes\": 0}");
        // Both activity sensors chatter for two hours (a loose connector, a failing PIR).
        for (long t = 0; t < 2 * Hour; t += 200) { b.SetInput("pir", t % 400 == 0); b.SetInput("door", t % 400 == 0); b.Step(200); }
        Assert.Contains(b.Events(), e => e.Str("kind") == "sensor_fault" && e.Str("sensor") == "pir");
        Assert.Empty(Inactivity(b));
    }

    [Fact]
    public void The_profile_survives_a_reboot_and_is_written_at_most_hourly()
    {
        var b = Bench();
        LiveDays(b, 8);
        int learned = b.Hub.Inactivity.Profile.DaysLearned;
        UpUntil(b, 8 * 60);
        long before = b.Hub.StorageBytesWritten;
        UpUntil(b, 10 * 60);
        long profileWrites = (b.Hub.StorageBytesWritten - before) / InactivityProfile.PersistedBytes;
        Assert.InRange(profileWrites, 1, 2);
        b.Run(Hour, 60_000);
        b.Restart();
        Assert.InRange(b.Hub.Inactivity.Profile.DaysLearned, learned, learned + 1);
    }

    [Fact]
    public void Profile_state_is_bounded()
    {
        Assert.True(InactivityProfile.PersistedBytes <= 4096, $"{InactivityProfile.PersistedBytes} bytes");
    }
}
