namespace MailerQ.Www.Core.Settings;

/// <summary>What a suppression names: one address or a whole domain (UG/suppression-list.md).</summary>
internal enum SuppressionType
{
    Address,
    Domain,
}
