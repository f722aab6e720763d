using System.Text;
using System.Text.Json.Nodes;
using MailerQ.Www.Smtp.Delivery.Messages;

namespace MailerQ.Www.Smtp.Delivery;

/// <summary>
/// MailerQ's <c>headers</c> property (json-messages.md): <c>remove</c> (a name or list), <c>prepend</c>,
/// <c>append</c> (alias <c>add</c>), <c>replace</c> and <c>update</c> (objects of name → value or list of values).
/// Works on the raw header block and leaves the body bytes untouched, so nothing else of the message changes.
/// </summary>
/// <remarks>
/// Order of application: remove, replace, update, prepend, append. <c>replace</c> changes the value of every field
/// of that name and adds nothing when there is none; <c>update</c> does the same but appends the field when absent.
/// Values with CR or LF are refused (they would forge header fields); non-ASCII values are sent as UTF-8 (RFC 6532).
/// </remarks>
internal static class HeaderEditor
{
    private readonly record struct Field(string Name, byte[] Raw);

    /// <summary>The edited message, or the input when there is nothing to do; null with <paramref name="error"/> on a bad instruction.</summary>
    public static ReadOnlyMemory<byte> Apply(ReadOnlyMemory<byte> mime, JsonObject operations, out string? error)
    {
        error = null;
        var span = mime.Span;
        int split = HeaderEnd(span, out int separator);
        var fields = Parse(span[..split]);
        bool changed = false;

        foreach (var name in Names(operations["remove"]))
            changed |= fields.RemoveAll(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) > 0;
        if (!Each(operations["replace"], (name, values) => changed |= Replace(fields, name, values, addWhenMissing: false), out error)) return default;
        if (!Each(operations["update"], (name, values) => changed |= Replace(fields, name, values, addWhenMissing: true), out error)) return default;
        var prepend = new List<Field>();
        if (!Each(operations["prepend"], (name, values) => { foreach (var v in values) prepend.Add(Make(name, v)); }, out error)) return default;
        if (prepend.Count > 0)
        {
            fields.InsertRange(0, prepend);
            changed = true;
        }
        foreach (var key in new[] { "append", "add" })
        {
            if (!Each(operations[key], (name, values) => { foreach (var v in values) { fields.Add(Make(name, v)); changed = true; } }, out error)) return default;
        }
        if (!changed)
            return mime;

        var output = new MemoryStream(mime.Length + 256);
        foreach (var field in fields)
            output.Write(field.Raw);
        output.Write(span[split..]);
        return output.ToArray();
    }

    private static bool Replace(List<Field> fields, string name, IReadOnlyList<string> values, bool addWhenMissing)
    {
        int first = fields.FindIndex(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (first < 0)
        {
            if (!addWhenMissing)
                return false;
            foreach (var v in values)
                fields.Add(Make(name, v));
            return values.Count > 0;
        }
        fields.RemoveAll(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        fields.InsertRange(Math.Min(first, fields.Count), values.Select(v => Make(name, v)));
        return true;
    }

    private static Field Make(string name, string value) => new(name, Encoding.UTF8.GetBytes($"{name}: {value}\r\n"));

    private static bool Each(JsonNode? node, Action<string, IReadOnlyList<string>> action, out string? error)
    {
        error = null;
        if (node is null)
            return true;
        if (node is not JsonObject obj)
        {
            error = "headers operations take an object of name → value";
            return false;
        }
        foreach (var (name, value) in obj)
        {
            if (!IsFieldName(name))
            {
                error = $"invalid header name {name}";
                return false;
            }
            var values = new List<string>();
            if (value is JsonArray array)
            {
                foreach (var item in array)
                    values.Add(Text(item));
            }
            else
                values.Add(Text(value));
            if (values.Exists(v => v.AsSpan().IndexOfAny('\r', '\n') >= 0))
            {
                error = $"header {name}: values must not contain line breaks";
                return false;
            }
            action(name, values);
        }
        return true;
    }

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : node?.ToJsonString() ?? "";

    private static IEnumerable<string> Names(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue(out string? one) => [one],
        JsonArray array => array.Select(Text),
        _ => [],
    };

    private static bool IsFieldName(string name)
    {
        if (name.Length == 0)
            return false;
        foreach (char c in name)
        {
            if (c <= 32 || c >= 127 || c == ':')
                return false;
        }
        return true;
    }

    /// <summary>Offset of the empty line that ends the header block (the block includes its line breaks).</summary>
    private static int HeaderEnd(ReadOnlySpan<byte> mime, out int separator)
    {
        int crlf = mime.IndexOf("\r\n\r\n"u8);
        int lf = mime.IndexOf("\n\n"u8);
        if (crlf >= 0 && (lf < 0 || crlf < lf))
        {
            separator = 2;
            return crlf + 2;
        }
        if (lf >= 0)
        {
            separator = 1;
            return lf + 1;
        }
        separator = 0;
        return mime.Length;
    }

    /// <summary>Header fields with their folded continuation lines, bytes kept as they were.</summary>
    private static List<Field> Parse(ReadOnlySpan<byte> block)
    {
        var fields = new List<Field>();
        int start = 0;
        int i = 0;
        while (i < block.Length)
        {
            int eol = block[i..].IndexOf((byte)'\n');
            int next = eol < 0 ? block.Length : i + eol + 1;
            bool continuation = next < block.Length && block[next] is (byte)' ' or (byte)'\t';
            if (!continuation)
            {
                var raw = block[start..next];
                int colon = raw.IndexOf((byte)':');
                string name = colon > 0 ? Encoding.ASCII.GetString(raw[..colon]).Trim() : "";
                fields.Add(new Field(name, raw.ToArray()));
                start = next;
            }
            i = next;
        }
        return fields;
    }
}
