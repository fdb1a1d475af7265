using System.Text;

namespace WaferNotebooks.Core.Validation;

/// <summary>One CSV record and the line of the file it starts on (1-based).</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// RFC 4180 reader: comma-separated fields, optional double quotes around a field, "" for a
/// quote inside one, line breaks (CRLF or LF) inside quoted fields. A quote left open at the end
/// of the file is an error that names the line where the field began.
/// </summary>
public static class CsvReader
{
    public static IReadOnlyList<CsvRecord> Parse(string text)
    {
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, recordLine = 1, quoteLine = 0;
        bool quoted = false, fieldStarted = false;

        void EndField()
        {
            fields.Add(field.ToString());
            field.Clear();
            fieldStarted = false;
        }
        void EndRecord()
        {
            EndField();
            if (!(fields.Count == 1 && fields[0].Length == 0))
                records.Add(new CsvRecord(recordLine, fields.ToArray()));
            fields.Clear();
        }

        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                    else quoted = false;
                }
                else
                {
                    if (c == '\n') line++;
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when !fieldStarted && field.Length == 0:
                    quoted = true; fieldStarted = true; quoteLine = line;
                    break;
                case ',':
                    EndField();
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\n' or '\r':
                    EndRecord();
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c); fieldStarted = true;
                    break;
            }
        }
        if (quoted)
            throw new FormatException($"line {quoteLine}: a quoted field is never closed (missing '\"')");
        if (field.Length > 0 || fields.Count > 0) EndRecord();
        return records;
    }
}
