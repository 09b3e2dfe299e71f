using System.Globalization;
using System.Resources;

namespace PingAnTong.Edge.Pat;

/// <summary>
/// pat's messages for people, in English (Resources/Messages.resx) and Chinese (Messages.zh-CN.resx), chosen by
/// <c>--lang en|zh-CN</c> or else the system's UI culture (any zh culture: Chinese). Machine-readable output (JSON
/// files, exit codes) is the same in both. The language is per call of <see cref="PatCli.Run"/> (an AsyncLocal, so
/// the console's threads inherit it and parallel tests do not share it). Problems reported by the hub's own
/// validator are the hub's English words; <see cref="ValidatorText"/> says them in Chinese (field paths such as
/// $.inputs[2].pin, values and JSON names unchanged).
/// </summary>
public static class Text
{
    private static readonly ResourceManager Resources = new("PingAnTong.Edge.Pat.Resources.Messages", typeof(Text).Assembly);
    private static readonly AsyncLocal<CultureInfo> Current = new();

    public static readonly CultureInfo English = CultureInfo.InvariantCulture;
    public static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");

    /// <summary>The language of this call: --lang, else the system's UI culture.</summary>
    public static CultureInfo Culture
    {
        get => Current.Value ?? ForSystem(CultureInfo.CurrentUICulture);
        set => Current.Value = value;
    }

    /// <summary>en, zh-CN (zh, zh-Hans, zh-CN … all mean Chinese); null for anything else.</summary>
    public static CultureInfo Parse(string lang)
    {
        if (string.IsNullOrWhiteSpace(lang)) return null;
        lang = lang.Trim();
        if (lang.Equals("en", StringComparison.OrdinalIgnoreCase) || lang.StartsWith("en-", StringComparison.OrdinalIgnoreCase)) return English;
        if (lang.Equals("zh", StringComparison.OrdinalIgnoreCase) || lang.StartsWith("zh-", StringComparison.OrdinalIgnoreCase)) return Chinese;
        return null;
    }

    private static CultureInfo ForSystem(CultureInfo ui) => ui.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? Chinese : English;

    /// <summary>The message <paramref name="key"/> in the current language, formatted with <paramref name="args"/>.</summary>
    public static string Get(string key, params object[] args) => In(Culture, key, args);

    /// <summary>The message <paramref name="key"/> in <paramref name="culture"/>, formatted with <paramref name="args"/>.</summary>
    public static string In(CultureInfo culture, string key, params object[] args)
    {
        string format = Format(culture, key);
        return args.Length == 0 ? format : string.Format(CultureInfo.InvariantCulture, format, args);
    }

    /// <summary>The unformatted template of <paramref name="key"/> in <paramref name="culture"/> (English for the invariant culture).</summary>
    public static string Format(CultureInfo culture, string key) =>
        Resources.GetString(key, culture) ?? throw new KeyNotFoundException("no message " + key);

    /// <summary>Every message key with its English and Chinese text (for the test that every message has both).</summary>
    public static IEnumerable<(string Key, string English, string Chinese)> All()
    {
        var neutral = Resources.GetResourceSet(CultureInfo.InvariantCulture, true, false);
        var chinese = Resources.GetResourceSet(Chinese, true, false);
        foreach (System.Collections.DictionaryEntry e in neutral!)
            yield return ((string)e.Key, (string)e.Value, chinese?.GetString((string)e.Key));
    }
}
