namespace MailerQ.Www.Smtp.Client;

/// <summary>The commands of one message transaction, in wire order (RFC 2920 section 3.1 allows them in one group).</summary>
internal enum TransactionStep
{
    Rset,
    Mail,
    Rcpt,
    Data,
}
