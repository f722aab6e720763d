using System.Text.Json;
using MailerQ.Www.Core.Settings;
using MailerQ.Www.Smtp.Delivery.Messages;
using MailerQ.Www.Smtp.Dkim;
using MimeKit;
using MailerQ.Www.Core.Dkim;

namespace MailerQ.Www.Smtp.Delivery;

/// <summary>
/// Picks the DKIM keys for a message — the database's keys whose sign patterns match the From domain, plus the
/// message's own <c>dkim</c> property — and signs it. Without keys the bytes go out untouched.
/// </summary>
internal sealed class DkimStage
{
    private readonly MessageDkimSigner _signer = new();

    /// <summary>Signs for the attempt (a <see cref="MessageSigner"/>).</summary>
    public ReadOnlyMemory<byte> Sign(OutboxMessage message, ReadOnlyMemory<byte> mime, SettingsSnapshot settings, DateTimeOffset now, out string? error)
    {
        error = null;
        // Most mail has nothing to sign with: no MIME parsing and no allocation then (docs/perf.md "Delivery").
        if (message.Dkim is null && !settings.HasDkimKeys)
            return mime;
        var keys = new List<DkimSigningKey>();
        if (message.Dkim is { } own)
        {
            using var document = JsonDocument.Parse(own.ToJsonString());
            if (!DkimJson.TryParse(document.RootElement, out var parsed, out var errors))
            {
                error = string.Join("; ", errors);
                return default;
            }
            keys.AddRange(parsed);
        }
        if (FromDomain(mime) is { } domain)
        {
            foreach (var key in settings.DkimKeysFor(domain, now))
                keys.Add(new DkimSigningKey(key.Domain, key.Selector, key.Algorithm, key.PrivateKeyPem, key.Headers.Count == 0 ? null : key.Headers, key.Expire, key.Priority));
        }
        if (keys.Count == 0)
            return mime;
        try
        {
            return _signer.Sign(mime, keys, now);
        }
        catch (DkimKeyException e)
        {
            error = e.Message;
            return default;
        }
    }

    /// <summary>The domain of the first From address, read from the header block only.</summary>
    internal static string? FromDomain(ReadOnlyMemory<byte> mime)
    {
        var span = mime.Span;
        int end = span.IndexOf("\r\n\r\n"u8);
        if (end < 0)
            end = span.IndexOf("\n\n"u8);
        var head = end < 0 ? span : span[..(end + 2)];
        try
        {
            using var stream = new MemoryStream(head.ToArray());
            var headers = HeaderList.Load(stream);
            if (headers[HeaderId.From] is not { } from || !InternetAddressList.TryParse(from, out var list))
                return null;
            foreach (var mailbox in list.Mailboxes)
            {
                int at = mailbox.Address.LastIndexOf('@');
                if (at > 0)
                    return mailbox.Address[(at + 1)..].ToLowerInvariant();
            }
        }
        catch (FormatException)
        {
        }
        return null;
    }
}
