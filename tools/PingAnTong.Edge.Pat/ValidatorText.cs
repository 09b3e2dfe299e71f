using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PingAnTong.Edge.Pat;

/// <summary>
/// The hub validator's problems (ConfigParser, ConfigFields, PinMap, JsonReader, and pat's own rules in
/// <see cref="ConfigValidate"/>) in pat's language. The hub core has no room for a second language (it runs on the
/// ESP32 with a few KB of heap to spare), so it speaks English and pat translates: each entry's English text in
/// Resources/Messages.resx is the core's message as a template ({0} the path, {1}… the variable parts: values,
/// numbers, lists, pin names), matched whole against a problem, and its Messages.zh-CN.resx text is said instead,
/// with the same values. Paths, values and JSON names stay as they are; a described value ("got text \"x\"", "the
/// LED") is translated through the fragments. A problem no template matches is said in English unchanged, so a new
/// core message is never lost (and the drift test in PatValidatorTextTests fails until it is added here).
/// </summary>
public static class ValidatorText
{
    /// <summary>A message key and which of its placeholders hold a described value (translated themselves).</summary>
    public sealed record Entry(string Key, params int[] Described);

    public static readonly Entry[] Entries =
    {
        new("VMoreProblem"),
        new("VMoreProblems"),
        new("VObject", 1),
        new("VUnknownSetting"),
        new("VIntMissing"),
        new("VIntRange", 3),
        new("VTextMissing"),
        new("VText", 1),
        new("VEmpty"),
        new("VTextLength"),
        new("VBool", 1),
        new("VIdentifier"),
        new("VTopicLevels"),
        new("VTopicWildcards"),
        new("VTlsFalse"),
        new("VInsecureWithTls"),
        new("VCaFile"),
        new("VPinKdf"),
        new("VPinIterationsOnly"),
        new("VOneOfColon"),
        new("VSaltLength"),
        new("VPrintable"),
        new("VPinHashPbkdf2"),
        new("VPinHashSha256"),
        new("VFloorAboveCeiling"),
        new("VPromptBelowCeiling"),
        new("VAwayLimit"),
        new("VUpByLatest"),
        new("VClockTime"),
        new("VInputsList", 1),
        new("VOneOf"),
        new("VDuplicateInput"),
        new("VSosRequired"),
        new("VSensorsList", 1),
        new("VSensorKind"),
        new("VLowBelowHigh"),
        new("VDuplicateSensor"),
        new("VFlashPin"),
        new("VFlashPinFor", 2),
        new("VPinUsedByInput"),
        new("VPinUsedByLed"),
        new("VPinUsedByBuzzer"),
        new("VInputOnlyDrive", 2),
        new("VFlashSize"),
        new("VPinsArray", 1),
        new("VMapPinTwice"),
        new("VMapNoSuchPin"),
        new("VMapFlashPin"),
        new("VMapUart0"),
        new("VMapGpio12"),
        new("VMapPsram"),
        new("VMapInputOnly"),
        new("VMapNoPull"),
        new("VMapStrapping"),
        new("VMapAdc2"),
        new("VMapNoAdc"),
        new("VMapI2cPull"),
        new("VMapI2cPair"),
        new("VBoardInputMissing"),
        new("VBoardInputUse"),
        new("VBoardNoI2c"),
        new("VBoardPinMissing"),
        new("VBoardPinUse"),
        new("VJsonNothing"),
        new("VJsonTooBig"),
        new("VJsonTrailing"),
        new("VJsonEnd"),
        new("VJsonNodes"),
        new("VJsonValue"),
        new("VJsonDepth"),
        new("VJsonMemberName"),
        new("VJsonMembers"),
        new("VJsonDuplicate"),
        new("VJsonColon"),
        new("VJsonObjectComma"),
        new("VJsonElements"),
        new("VJsonArrayComma"),
        new("VJsonDigit"),
        new("VJsonLeadingZero"),
        new("VJsonFraction"),
        new("VJsonExponent"),
        new("VJsonRange"),
        new("VJsonNumberLong"),
        new("VJsonUnterminated"),
        new("VJsonControl"),
        new("VJsonEscapeEnd"),
        new("VJsonEscape"),
        new("VJsonUtf8"),
        new("VJsonHex"),
        new("VJsonTextLong"),
        new("VJsonWord"),
        new("VPatInsecureBool"),
        new("VPatTlsFalse"),
        new("VPatPinKdf"),
        new("VPatIterationsRequired"),
        new("VPatIterationsRange"),
        new("VPatIterationsOnly"),
        new("VPatTlsFalseWarning"),
        new("VPatInsecureNoEffect"),
        new("VPatNoUsername"),
        new("VPatLegacyPinProvision"),
        new("VPatLegacyPinCore"),
        new("VPatPending"),
        new("VPatPinMap", 1),
        new("VPatUnknownBoard"),
    };

    /// <summary>Values the core describes in words ("got nothing", "got text \"x\"", "cannot drive the LED").</summary>
    public static readonly string[] Fragments = { "VDNothing", "VDText", "VDNumber", "VDFraction", "VDArray", "VDObject", "VDNull", "VDTheLed", "VDTheBuzzer" };

    private sealed record Template(string Key, Regex Pattern, int Literal, int[] Described);

    private static readonly Lazy<Template[]> Templates = new(() => Entries.Select(e => Compile(e.Key, e.Described)).ToArray());
    private static readonly Lazy<Template[]> FragmentTemplates = new(() => Fragments.Select(k => Compile(k, Array.Empty<int>())).ToArray());

    /// <summary>The English template of <paramref name="key"/> as a whole-text pattern, placeholders captured as p0, p1 ….</summary>
    private static Template Compile(string key, int[] described)
    {
        string english = Text.Format(Text.English, key);
        var pattern = new StringBuilder("^");
        var literal = new StringBuilder();
        int literalLength = 0;
        foreach (Match m in Regex.Matches(english, @"\{\{|\}\}|\{(\d+)\}|[^{}]+"))
        {
            if (m.Groups[1].Success) pattern.Append("(?<p").Append(m.Groups[1].Value).Append(">.+?)");
            else
            {
                string text = m.Value == "{{" ? "{" : m.Value == "}}" ? "}" : m.Value;
                pattern.Append(Regex.Escape(text));
                literalLength += text.Length;
            }
        }
        pattern.Append('$');
        return new Template(key, new Regex(pattern.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant), literalLength, described);
    }

    /// <summary>The key of the entry that matches <paramref name="message"/> best (the most literal text), or null.</summary>
    public static string Match(string message) => Find(Templates.Value, message, out _)?.Key;

    private static Template Find(Template[] templates, string message, out Match match)
    {
        Template best = null;
        match = null;
        foreach (var t in templates)
        {
            var m = t.Pattern.Match(message);
            if (m.Success && (best == null || t.Literal > best.Literal)) { best = t; match = m; }
        }
        return best;
    }

    /// <summary><paramref name="message"/> (a validator problem or warning) in the current language; unchanged in English or when no template matches.</summary>
    public static string Translate(string message) => Translate(message, Text.Culture);

    public static string Translate(string message, CultureInfo culture)
    {
        if (message == null || !culture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase)) return message;
        return Translate(Templates.Value, message, culture, 0) ?? message;
    }

    private static readonly Regex RefusedInReply = new(@"config refused: (?<problems>\$.*?)(?: \(the running config version (?<kept>\d+) is kept\))?$", RegexOptions.CultureInvariant);
    private static readonly Regex ProblemBoundary = new(@"; (?=\$|and \d+ more problem)", RegexOptions.CultureInvariant);

    /// <summary>
    /// The hub's console reply (<c>config apply</c> refused: "config refused: $.a: …; $.b: … (the running config version N is kept)") with the validator's
    /// problems in Chinese when pat speaks Chinese or the hub's own words around them are Chinese (console.language
    /// zh-CN): the hub says the problems in English (the core has no room for a second language), pat translates each
    /// as for pat validate. Every other line, and any problem no template knows, stays as the hub said it.
    /// </summary>
    public static string TranslateReply(string reply) => TranslateReply(reply, Text.Culture);

    public static string TranslateReply(string reply, CultureInfo culture)
    {
        if (reply == null || !reply.Contains("config refused: $")) return reply;
        string template = PingAnTong.Edge.Core.Field.ConsoleText.Template(PingAnTong.Edge.Core.Field.ConsoleText.Zh, PingAnTong.Edge.Core.Field.ConsoleText.ConfigApplyRefused);
        string hubChinese = template[..template.IndexOf("{0}", StringComparison.Ordinal)];
        var lines = reply.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var m = RefusedInReply.Match(lines[i]);
            if (!m.Success) continue;
            var zh = culture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? culture : lines[i].StartsWith(hubChinese, StringComparison.Ordinal) ? Text.Chinese : null;
            if (zh == null) continue;
            var problems = ProblemBoundary.Split(m.Groups["problems"].Value).Select(p => Translate(p, zh));
            lines[i] = lines[i][..m.Index] + Text.In(zh, "VConfigRefused") + string.Join("；", problems)
                + (m.Groups["kept"].Success ? Text.In(zh, "VRunningKept", m.Groups["kept"].Value) : "");
        }
        return string.Join("\n", lines);
    }

    private static string Translate(Template[] templates, string message, CultureInfo culture, int depth)
    {
        var t = Find(templates, message, out var m);
        if (t == null) return null;
        string format = Text.Format(culture, t.Key);
        int count = 0;
        while (m.Groups["p" + count].Success) count++;
        var args = new object[count];
        for (int i = 0; i < count; i++)
        {
            string value = m.Groups["p" + i].Value;
            if (t.Described.Contains(i) && depth < 2)
                value = Translate(FragmentTemplates.Value, value, culture, depth + 1) ?? Translate(Templates.Value, value, culture, depth + 1) ?? value;
            args[i] = value;
        }
        return string.Format(CultureInfo.InvariantCulture, format, args);
    }
}
