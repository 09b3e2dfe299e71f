using System.Text;
using CsvHelper;

namespace PingAnTong.Edge.Pat;

/// <summary>
/// Reads an installer's CSV as Excel saves it: the encoding is detected (UTF-8 with or without a byte order mark,
/// else GB18030, the superset of GBK that Excel's "CSV (逗号分隔)" writes on Chinese Windows), and the text is
/// parsed by CsvHelper (quoted fields with embedded commas, quotes and line breaks; <c>#</c> comment lines and empty
/// lines skipped; spaces around values trimmed; trailing empty cells, which Excel writes for formatted columns,
/// ignored). A file that is neither UTF-8 nor GB18030 is refused with the first line that is not.
/// </summary>
public static class InstallerCsv
{
    public sealed record Record(int Line, string[] Cells);

    public const string Utf8Name = "UTF-8";
    public const string Gb18030Name = "GB18030/GBK";

    /// <summary>The file's text and the name of its encoding, or null with <paramref name="problem"/> set ("FILE line N: ...").</summary>
    public static string Decode(byte[] bytes, string file, out string encodingName, out string problem)
    {
        problem = null;
        encodingName = Utf8Name;
        var utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);
        int start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
        {
            problem = Text.Get("CsvUtf16", file);
            return null;
        }
        try
        {
            return utf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException) when (start == 0)
        {
            // not UTF-8 (a file with a UTF-8 byte order mark is UTF-8 or broken, never GBK)
        }
        catch (DecoderFallbackException)
        {
            problem = Text.Get("ProvAt", file, FirstBadLine(bytes, start, utf8), Text.Get("CsvBadUtf8"));
            return null;
        }
        var gb18030 = Gb18030();
        try
        {
            encodingName = Gb18030Name;
            return gb18030.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            problem = Text.Get("ProvAt", file, FirstBadLine(bytes, 0, gb18030), Text.Get("CsvNotText"));
            return null;
        }
    }

    /// <summary>GB18030 that throws on bytes that are not GB18030 (never a replacement character).</summary>
    public static Encoding Gb18030()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(54936, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }

    /// <summary>The 1-based line of the first bytes <paramref name="encoding"/> refuses (a line feed is never inside a UTF-8 or GB18030 character).</summary>
    private static int FirstBadLine(byte[] bytes, int start, Encoding encoding)
    {
        int line = 1;
        for (int i = start; i <= bytes.Length;)
        {
            int end = Array.IndexOf(bytes, (byte)'\n', i);
            if (end < 0) end = bytes.Length;
            try
            {
                encoding.GetString(bytes, i, end - i);
            }
            catch (DecoderFallbackException)
            {
                return line;
            }
            line++;
            i = end + 1;
        }
        return line;
    }

    /// <summary>
    /// The records of the file, the header included (line numbers count every line of the file). Problems (encoding,
    /// broken quoting) go to <paramref name="problems"/>, each with the file and line.
    /// </summary>
    public static List<Record> Read(string file, List<string> problems, out string encodingName)
    {
        if (file.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase))
        {
            encodingName = Utf8Name; // an .xlsx holds Unicode text: no encoding to guess
            return ReadXlsx(file, problems);
        }
        var records = new List<Record>();
        string text = Decode(File.ReadAllBytes(file), file, out encodingName, out string problem);
        if (text == null)
        {
            problems.Add(problem);
            return records;
        }
        var options = new CsvReaderOptions
        {
            HasHeader = false,
            Separator = ',',
            CommentPrefix = '#',
            SkipEmptyLines = true,
            TrimWhitespace = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Skip,
            OnMalformedRecord = r => problems.Add(Text.Get("ProvAt", file, r.LineNumber, Text.Get("CsvQuoting", r.Reason))),
        };
        using var reader = CsvReader.FromText(text, options);
        while (reader.Read())
        {
            var cells = new string[reader.FieldCount];
            for (int i = 0; i < cells.Length; i++) cells[i] = reader.GetString(i).Trim();
            int used = cells.Length;
            while (used > 1 && cells[used - 1].Length == 0) used--; // Excel's trailing empty cells
            if (used == 1 && cells[0].Length == 0) continue; // a row of empty cells
            records.Add(new Record((int)reader.LineNumber, cells[..used]));
        }
        return records;
    }

    /// <summary>
    /// The first sheet of an Excel workbook (.xlsx, read with MiniExcel), one record per row; the line of a record is
    /// its row number in Excel. Numbers and dates are written as Excel shows them in the invariant culture; empty rows
    /// and rows whose first cell starts with # are skipped, as in a CSV.
    /// </summary>
    private static List<Record> ReadXlsx(string file, List<string> problems)
    {
        var records = new List<Record>();
        try
        {
            int row = 0;
            foreach (IDictionary<string, object> cells in MiniExcelLibs.MiniExcel.Query(file, useHeaderRow: false))
            {
                row++;
                var values = cells.OrderBy(c => c.Key.Length).ThenBy(c => c.Key, StringComparer.Ordinal)
                    .Select(c => Convert.ToString(c.Value, System.Globalization.CultureInfo.InvariantCulture)?.Trim() ?? "").ToArray();
                int used = values.Length;
                while (used > 0 && values[used - 1].Length == 0) used--;
                if (used == 0 || values[0].StartsWith('#')) continue;
                records.Add(new Record(row, values[..used]));
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException) // whatever a damaged workbook makes the reader throw: one line, no stack trace
        {
            problems.Add(Text.Get("XlsxUnreadable", file, e.Message));
        }
        return records;
    }
}
