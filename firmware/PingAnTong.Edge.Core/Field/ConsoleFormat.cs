using PingAnTong.Edge.Core.Json;

namespace PingAnTong.Edge.Core.Field
{
    /// <summary>Short human formats for console lines.</summary>
    public static class ConsoleFormat
    {
        /// <summary>"2026-11-29T03:00:05Z", or "time-unknown" before SNTP.</summary>
        public static string Time(long utcMs)
        {
            if (utcMs < 0) return "time-unknown";
            long seconds = utcMs / 1000;
            long days = seconds / 86400;
            int secOfDay = (int)(seconds % 86400);
            int y, m, d;
            CivilDate.FromDays(days, out y, out m, out d);
            return y.ToString() + "-" + Two(m) + "-" + Two(d) + "T" + Two(secOfDay / 3600) + ":" + Two(secOfDay / 60 % 60) + ":" + Two(secOfDay % 60) + "Z";
        }

        /// <summary>"3d04h05m", "4h05m", "5m07s" or "7s".</summary>
        public static string Duration(long ms)
        {
            long s = ms / 1000;
            if (s >= 86400) return (s / 86400).ToString() + "d" + Two((int)(s / 3600 % 24)) + "h" + Two((int)(s / 60 % 60)) + "m";
            if (s >= 3600) return (s / 3600).ToString() + "h" + Two((int)(s / 60 % 60)) + "m";
            if (s >= 60) return (s / 60).ToString() + "m" + Two((int)(s % 60)) + "s";
            return s.ToString() + "s";
        }

        /// <summary>A scaled integer as a decimal: Fixed(215, 1) = "21.5", Fixed(-5, 1) = "-0.5".</summary>
        public static string Fixed(long scaled, int decimals)
        {
            if (decimals <= 0) return scaled.ToString();
            bool negative = scaled < 0;
            string digits = (negative ? -scaled : scaled).ToString();
            while (digits.Length <= decimals) digits = "0" + digits;
            int point = digits.Length - decimals;
            return (negative ? "-" : "") + digits.Substring(0, point) + "." + digits.Substring(point);
        }

        private static string Two(int v)
        {
            return v < 10 ? "0" + v.ToString() : v.ToString();
        }
    }
}
