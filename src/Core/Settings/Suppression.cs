namespace MailerQ.Www.Core.Settings;

/// <summary>
/// An entry of the suppression list (REST <c>/v1/suppressions</c>): mail to <see cref="Value"/> (an address or
/// a domain) is not sent and fails in state <c>suppression</c> with the code, extended code and description
/// given here (defaults chosen by the engine when absent).
/// </summary>
internal sealed record Suppression
{
    public long Id { get; init; }
    public SuppressionType Type { get; init; }
    public required string Value { get; init; }
    public int? Code { get; init; }
    public string? Extended { get; init; }
    public string? Description { get; init; }
}
