namespace PingAnTong.Edge.Core
{
    /// <summary>The LED and buzzer. The core decides which <see cref="Alarms.Indication"/> to show; the
    /// host plays its pattern (<see cref="Alarms.IndicationPattern"/>) on GPIO/PWM or renders it in the terminal.</summary>
    public interface IIndicator
    {
        void Show(int indication);
    }
}
