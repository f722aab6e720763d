namespace MailerQ.Www.Smtp.Sessions;

/// <summary>One transcript line for <c>/api/smtp/sessions/{id}</c>: ms since the session started, <c>c</c> or <c>s</c>, the text.</summary>
internal readonly record struct TranscriptLine(long T, char Dir, string Line);
