namespace MailerQ.Www.Core.Sessions;

/// <summary>One transcript line for <c>/api/smtp/sessions/{id}</c>: ms since the session started, <c>c</c> or <c>s</c>, the text.</summary>
/// <param name="T">Milliseconds since the session started.</param>
/// <param name="Dir"><c>c</c> for what the client sent, <c>s</c> for the server's replies.</param>
/// <param name="Line">The line without its CRLF.</param>
public readonly record struct TranscriptLine(long T, char Dir, string Line);
